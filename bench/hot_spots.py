"""Where a request's time goes, in one process: python hot_spots.py REQUESTS.json OUT.json

Run with the settings of one setup (DJANGO_SETTINGS_MODULE, its directory as the
current one), as bench/queries.py is. REQUESTS.json lists requests as
{"label", "path", "headers", "status"}. Each is sent through Django's WSGI
handler in this process, as gunicorn's worker calls it, without gunicorn and
without the network between client and server (the database and Redis are
still reached over their sockets). After a warm-up, it times ROUNDS rounds of
REQUESTS_PER_ROUND requests (the median round's wall-clock and CPU time per
request), then runs PROFILED requests under cProfile and sums the time spent
in each function's own code by where the function lives: the setup's own
code, each installed library, Python's standard library, or C built-ins.
OUT.json gets, per label: the times, those shares, the functions that took
the most time of their own, and the steps that took the most time with what
they call (below the handler and middleware that wrap the whole request).
It also gets each layer's own time per request, without the profiler: Django's
WSGI handler, each middleware, and the view step (URL resolution, the view
middleware and the view), from a second handler whose layers are timed.
"""

import cProfile
import io
import json
import pstats
import statistics
import sys
import sysconfig
import time
from pathlib import Path

import django

django.setup()

from django.core.handlers import base  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.test.client import RequestFactory  # noqa: E402

WARM_UP = 200
ROUNDS = 5
REQUESTS_PER_ROUND = 400
PROFILED = 1000
TOP_FUNCTIONS = 12
INCLUSIVE_BELOW = 0.5  # steps: functions that, with what they call, take less than half a request
WRAPPER_SHARE = 0.9  # a function one of whose callees takes this much of its time only wraps it
SITE_PACKAGES = "site-packages/"
STANDARD_LIBRARY = sysconfig.get_paths()["stdlib"]
OWN_CODE = str(Path.cwd())
HANDLER = "Django's WSGI handler (the request object, the request signals, the answer)"
VIEW_STEP = "the view step (URL resolution, the view middleware, the view)"


def sender(application, path: str, headers: dict[str, str]):
    """A function that sends the request once and answers its status code."""
    # Made once and copied for each request (Django adds to the request's copy), so that the time is the site's.
    environ = RequestFactory(headers=headers, REMOTE_ADDR="127.0.0.1").get(path).environ
    statuses = []

    def start_response(status, response_headers, exc_info=None):
        statuses.append(int(status.split()[0]))

    def send() -> int:
        application({**environ, "wsgi.input": io.BytesIO()}, start_response).close()
        return statuses.pop()

    return send


def where(filename: str) -> str:
    """The part of the setup a function's code belongs to."""
    if filename.startswith("~") or filename.startswith("<"):
        return "C built-ins"
    if SITE_PACKAGES in filename:
        return filename.split(SITE_PACKAGES, 1)[1].split("/", 1)[0].removesuffix(".py")
    if filename.startswith(OWN_CODE):
        return "own code"
    if filename.startswith(STANDARD_LIBRARY):
        return "Python's standard library"
    return "other"


def function_name(key: tuple) -> str:
    filename, line, name = key
    if filename.startswith("~"):
        return name
    if SITE_PACKAGES in filename:
        filename = filename.split(SITE_PACKAGES, 1)[1]
    elif filename.startswith(OWN_CODE):
        filename = filename.removeprefix(OWN_CODE + "/")
    elif filename.startswith(STANDARD_LIBRARY):
        filename = filename.removeprefix(STANDARD_LIBRARY + "/")
    return f"{filename}:{line}({name})"


def measure(send, status: int) -> dict:
    for _ in range(WARM_UP):
        if (answered := send()) != status:
            sys.exit(f"answered {answered}, not {status}")
    walls, cpus = [], []
    for _ in range(ROUNDS):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(REQUESTS_PER_ROUND):
            send()
        walls.append((time.perf_counter() - wall) / REQUESTS_PER_ROUND * 1000)
        cpus.append((time.process_time() - cpu) / REQUESTS_PER_ROUND * 1000)

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PROFILED):
        send()
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    own_time = {key: value[2] for key, value in stats.items()}  # tottime: the function's own code
    total = sum(own_time.values())
    shares: dict[str, float] = {}
    for key, seconds in own_time.items():
        shares[where(key[0])] = shares.get(where(key[0]), 0) + seconds / total
    top = sorted(own_time.items(), key=lambda item: item[1], reverse=True)[:TOP_FUNCTIONS]
    # Below the handler and the middleware every request passes through: the steps that take the time,
    # leaving out a function that only wraps one that it calls (as a view's dispatch wraps its get).
    request_time = max(value[3] for value in stats.values())
    called: dict[tuple, float] = {}  # function -> the most time, with what it calls, of one function it calls
    for value in stats.values():
        for caller, (_, _, _, cumulative) in value[4].items():
            called[caller] = max(called.get(caller, 0), cumulative)
    steps = sorted(
        (
            (key, value[3])
            for key, value in stats.items()
            if value[3] < request_time * INCLUSIVE_BELOW and called.get(key, 0) < value[3] * WRAPPER_SHARE
        ),
        key=lambda item: item[1],
        reverse=True,
    )[:TOP_FUNCTIONS]
    return {
        "wall_ms": statistics.median(walls),
        "cpu_ms": statistics.median(cpus),
        "shares": dict(sorted(shares.items(), key=lambda item: item[1], reverse=True)),
        "top": [
            {"function": function_name(key), "share": seconds / total, "calls": stats[key][1] / PROFILED}
            for key, seconds in top
        ],
        "steps": [
            {"function": function_name(key), "share": seconds / request_time, "calls": stats[key][1] / PROFILED}
            for key, seconds in steps
        ],
    }


class TimedLayers:
    """A WSGI handler whose every layer (each middleware, the view step) adds up the time it takes, with what it wraps.

    Django wraps the view step, then each middleware from the innermost out, in
    convert_exception_to_response as it loads them; while this handler loads,
    that wrapper also times the layer.
    """

    def __init__(self) -> None:
        self.names: list[str] = []  # the innermost first, as Django loads them
        self.nanoseconds: dict[str, int] = {}
        convert = base.convert_exception_to_response
        base.convert_exception_to_response = lambda layer: self.timed(layer_name(layer), convert(layer))
        try:
            self.application = WSGIHandler()
        finally:
            base.convert_exception_to_response = convert

    def timed(self, name: str, layer):
        self.names.append(name)
        self.nanoseconds[name] = 0

        def timed_layer(request):
            start = time.perf_counter_ns()
            try:
                return layer(request)
            finally:
                self.nanoseconds[name] += time.perf_counter_ns() - start

        return timed_layer

    def own_times(self, send) -> list[dict]:
        """Each layer's own time per request, in microseconds, the outermost first (the handler's before them)."""
        for _ in range(WARM_UP):
            send()
        self.nanoseconds = dict.fromkeys(self.names, 0)
        start = time.perf_counter_ns()
        for _ in range(ROUNDS * REQUESTS_PER_ROUND):
            send()
        whole = time.perf_counter_ns() - start
        outermost_first = self.names[::-1]
        inclusive = [self.nanoseconds[name] for name in outermost_first]
        # A layer's own time: its time less that of the layer it wraps; the handler's, the whole less the outermost.
        wrapped = [*inclusive[1:], 0]
        own = [whole - inclusive[0]] + [outer - inner for outer, inner in zip(inclusive, wrapped, strict=True)]
        per_request = 1000 * ROUNDS * REQUESTS_PER_ROUND
        layers = zip([HANDLER, *outermost_first], own, strict=True)
        return [{"layer": name, "us": nanoseconds / per_request} for name, nanoseconds in layers]


def layer_name(layer) -> str:
    """The view step, or the dotted path of a middleware's class or factory function."""
    if getattr(layer, "__name__", "") == "_get_response":
        return VIEW_STEP
    if not hasattr(layer, "__qualname__"):  # a middleware instance
        layer = type(layer)
    return f"{layer.__module__}.{layer.__qualname__.split('.<locals>')[0]}"


def main(requests_file: str, out: str) -> None:
    application, timed = WSGIHandler(), TimedLayers()
    results = {}
    for request in json.loads(Path(requests_file).read_text()):
        send = sender(application, request["path"], request["headers"])
        results[request["label"]] = measure(send, request["status"])
        timed_send = sender(timed.application, request["path"], request["headers"])
        results[request["label"]]["layers"] = timed.own_times(timed_send)
    Path(out).write_text(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
