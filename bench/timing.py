"""gunicorn settings for the benchmark: a server's own settings file, if it has one, plus timing hooks.

BENCH_GUNICORN_CONFIG names the settings file to start from (the generated
site's config/gunicorn.py). Each worker appends a line per request to
BENCH_TIMING_LOG: its pid, the wall-clock and the CPU milliseconds the
request took in the worker (from before gunicorn reads the environ to after
the response is written), the page faults it took, and the path. It leaves out
a request that carries the header UNTIMED_HEADER names, as the load runs'
requests do: these hooks' own work, about 20 microseconds a request, is work
no deployed setup does. CPU time is the worker's own work; wall-clock time
adds whatever else ran on the machine meanwhile. Page faults count the memory
pages the worker first touched or first wrote to (a copy of a page it shared
with the master).

For ``bin/bench --pieces``, BENCH_WITHOUT turns one piece of the site's own
settings off: ``preload_app``, ``warm_up`` (its post_worker_init),
``gc_freeze`` or ``malloc_trim`` (in its when_ready) or ``mallopt`` (its
fixed mmap threshold). A worker that answers a GET of COLLECT_PATH then runs a
full garbage collection, as a long-running worker sooner or later does.
"""

import ctypes
import gc
import os
import resource
import runpy
import time

WITHOUT = os.environ.get("BENCH_WITHOUT", "")
COLLECT_PATH = "/bench/collect"
UNTIMED_HEADER = "X-Bench-Untimed"


class LibcWithout(ctypes.CDLL):
    """The C library, with the function BENCH_WITHOUT names (mallopt or malloc_trim) doing nothing."""

    def __getattr__(self, name: str):
        if name == WITHOUT:
            return lambda *args: 0
        return super().__getattr__(name)


def without_gc_freeze(hook):
    def when_ready(server) -> None:
        freeze, gc.freeze = gc.freeze, lambda: None
        try:
            hook(server)
        finally:
            gc.freeze = freeze

    return when_ready


if "BENCH_GUNICORN_CONFIG" in os.environ:
    real_cdll = ctypes.CDLL
    if WITHOUT in ("mallopt", "malloc_trim"):
        ctypes.CDLL = LibcWithout  # the site's settings load the C library while they are read
    try:
        own_settings = runpy.run_path(os.environ["BENCH_GUNICORN_CONFIG"])
    finally:
        ctypes.CDLL = real_cdll
    own_settings = {name: value for name, value in own_settings.items() if not name.startswith("__")}
    if WITHOUT == "preload_app":
        own_settings["preload_app"] = False
    elif WITHOUT == "warm_up":
        del own_settings["post_worker_init"]
    elif WITHOUT == "gc_freeze":
        own_settings["when_ready"] = without_gc_freeze(own_settings["when_ready"])
    elif WITHOUT not in ("", "mallopt", "malloc_trim"):
        raise ValueError(f"BENCH_WITHOUT={WITHOUT!r} names no piece of the site's gunicorn settings.")
    globals().update(own_settings)


def pre_request(worker, req) -> None:
    if any(name == UNTIMED_HEADER.upper() for name, _ in req.headers):  # gunicorn's names are upper case
        worker.bench_started = None
        return
    worker.bench_started = (time.perf_counter(), time.thread_time(), page_faults())


def post_request(worker, req, environ, resp) -> None:
    if worker.bench_started is None:
        return
    started_wall, started_cpu, started_faults = worker.bench_started
    wall, cpu = time.perf_counter() - started_wall, time.thread_time() - started_cpu
    with open(os.environ["BENCH_TIMING_LOG"], "a") as log:
        log.write(f"{os.getpid()} {wall * 1000:.3f} {cpu * 1000:.3f} {page_faults() - started_faults} {req.path}\n")
    if req.path == COLLECT_PATH:
        gc.collect()


def page_faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
