"""Benchmark the generated site against a bare Django view and a plain allauth headless site (see bin/bench).

Bakes the default site into build/bench and installs its production
requirements (requirements/base.txt) into build/bench/venv, as its Dockerfile
does. From there it serves the site with its config/gunicorn.py, and bench/plain
(allauth's defaults) and bench/bare (one JSON view) with gunicorn's defaults and
as many workers, and measures them side by side: requests/s, p50 and p99 from
wrk, SQL queries per request (bench/queries.py),
memory per worker from /proc and what the libraries only the site loads take of
it (bench/imports.py), time to the first answer, each worker's first request
against its later ones (bench/timing.py), and the site's signups for new
addresses against those for addresses that have an account.

With --pieces it measures the site's own tuning instead (config/gunicorn.py and
config/wsgi.py): the site as configured, and again with each piece turned off
in turn, side by side (measure_pieces).
"""

import argparse
import datetime
import http.client
import itertools
import json
import multiprocessing
import os
import platform
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

# A full garbage collection in the worker that answers it; a request the timing hooks leave alone.
from timing import COLLECT_PATH, UNTIMED_HEADER

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
BUILD = REPO / "build" / "bench"
SITE = BUILD / "auth_service"
VENV = BUILD / "venv"
README = REPO / "README.md"
PYTHON = sys.executable  # the template's environment: cookiecutter and this script's own libraries
SITE_PYTHON = str(VENV / "bin" / "python")  # the site's production requirements: the servers and what runs their code
GUNICORN = str(VENV / "bin" / "gunicorn")
WRK = shutil.which("wrk") or "wrk"  # the load client, from Debian's package (bin/bench installs it)
# A worker's first request is compared with this many of its next ones.
NEXT_REQUESTS = 20
# The pause before the first requests are measured again, as a control (probe_first_requests).
IDLE_SECONDS = 3
# The generated site's default: 2 per core, plus 1.
WORKERS = 2 * (os.cpu_count() or 1) + 1
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Host": "localhost"}
BROWSER = "/_allauth/browser/v1"
APP = "/_allauth/app/v1"
# The pieces of the site's tuning that --pieces turns off one at a time (bench/timing.py, bench/default_wsgi.py).
PIECES = {
    "preload_app": "preload_app",
    "wsgi_imports": "config/wsgi.py's imports",
    "warm_up": "the warm-up requests (post_worker_init)",
    "gc_freeze": "gc.freeze (when_ready)",
    "malloc_trim": "malloc_trim (when_ready)",
    "mallopt": "the fixed mmap threshold (mallopt)",
}
# With --pieces, logins each worker serves (glibc keeps an Argon2 check's 19 MiB from the second on).
LOGINS_PER_WORKER = 3
ANONYMOUS = "session, anonymous"
COOKIE = "session, browser cookie"
TOKEN = "session, app session token"  # noqa: S105  (a row label)
NEW_ADDRESS = "signup (app), new address"
TAKEN_ADDRESS = "signup (app), address with an account"
# Plain allauth as Django leaves it, a new database connection for every request: a second baseline.
PER_REQUEST = "plain-conn-per-request"


@dataclass
class Server:
    name: str
    port: int
    directory: Path
    wsgi: str
    env: dict[str, str]
    probe: str
    process: subprocess.Popen | None = None
    started_in: float = 0.0
    log_dir: Path = BUILD
    emails: list[str] = field(default_factory=list)  # users not logged in yet
    password: str = ""

    @property
    def access_log(self) -> Path:
        return self.log_dir / f"{self.name}-access.log"

    @property
    def timing_log(self) -> Path:
        return self.log_dir / f"{self.name}-timing.log"


def fail(message: str) -> None:
    sys.exit(f"bin/bench: {message}")


# ---------------------------------------------------------------- set-up


def database_url_for_plain(url: str) -> str:
    """The plain site's database: the site's name with _plain, created when missing."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    plain = f"{name}_plain"
    try:
        with psycopg.connect(url, autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [plain]).fetchone():
                connection.execute(f'CREATE DATABASE "{plain}"')
    except psycopg.OperationalError as error:
        fail(f"cannot use DATABASE_URL={url}: {error}")
    return urlunsplit(parts._replace(path=f"/{plain}"))


def bake() -> None:
    shutil.rmtree(BUILD, ignore_errors=True)
    run([str(Path(PYTHON).with_name("cookiecutter")), "--no-input", "-f", "-o", str(BUILD), str(REPO)], REPO)
    # The bench environment below is the whole configuration: no development .env.
    (SITE / ".env").unlink()
    # Without the template's development tools, which would otherwise be imported too (Django's test
    # utilities import Jinja2 when it is installed).
    uv = str(Path(PYTHON).with_name("uv"))
    run([uv, "venv", "--quiet", "--python", PYTHON, str(VENV)], REPO)
    run([uv, "pip", "sync", "--quiet", "--python", SITE_PYTHON, str(SITE / "requirements" / "base.txt")], REPO)


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        fail(f"{' '.join(command[:4])} failed in {cwd}:\n{result.stdout[-2000:]}{result.stderr[-4000:]}")
    return result.stdout


def site_env(database_url: str, redis_url: str) -> dict[str, str]:
    key_line = run([SITE_PYTHON, "-m", "accounts.jwt_keys"], SITE).strip()
    encryption_line = run([SITE_PYTHON, "-m", "accounts.mfa_encryption"], SITE).strip()
    return {
        **base_env(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "BENCH_GUNICORN_CONFIG": str(SITE / "config" / "gunicorn.py"),  # read by bench/timing.py
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "LOG_LEVEL": "WARNING",
        # Mail is queued in the database, as in production; no worker runs to send it.
        "EMAIL_URL": "smtp://127.0.0.1:25",
        # JWTs besides session tokens, so that all three credentials can be measured on one server.
        "APP_TOKEN_STRATEGY": "jwt",
        "HEADLESS_JWT_PRIVATE_KEY": key_line.split("=", 1)[1],
        "MFA_ENCRYPTION_KEYS": encryption_line.split("=", 1)[1],
        # Every frontend route at its default, from the site's own list, so that a route added later is set too.
        **frontend_url_settings("https://app.example.com"),
    }


def frontend_url_settings(origin: str) -> dict[str, str]:
    """Each frontend URL setting of the site, for a frontend at ``origin`` with the default routes."""
    code = (
        "import json; from accounts import frontend_urls; "
        f"print(json.dumps(frontend_urls.defaults({origin!r}, frontend_urls.BY_SETTING.values())))"
    )
    return json.loads(run([SITE_PYTHON, "-c", code], SITE))


def base_env() -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    return {name: os.environ[name] for name in keep if name in os.environ} | {"PYTHONDONTWRITEBYTECODE": "1"}


def count_queries(name: str, directory: Path, env: dict[str, str], run_id: str, users: int) -> dict:
    out = BUILD / f"queries-{name}.json"
    command = [SITE_PYTHON, str(BENCH / "queries.py"), str(out), run_id, str(users)]
    run(command, directory, {**env, "PYTHONPATH": str(directory)})
    return json.loads(out.read_text())


def library_costs(environments: dict[str, dict[str, str]]) -> list[tuple[str, int, float]]:
    """The libraries the site's workers load and plain's do not: each one's module count and resident MiB.

    Each is measured on its own on top of the modules both load (bench/imports.py), so a library's
    figure includes what it imports that plain does not (django-ninja's includes pydantic); the last
    row is all of them together. Both lists are taken after the same requests.
    """
    imports = [SITE_PYTHON, str(BENCH / "imports.py")]
    paths = [f"{BROWSER}/config", f"{BROWSER}/auth/session"]
    site = json.loads(run([*imports, "list", "config.wsgi", *paths], SITE, environments["site"]))
    plain = set(json.loads(run([*imports, "list", "plain.wsgi", *paths], BENCH, environments["plain"])))
    plain_libraries = {name.split(".")[0] for name in plain}
    shared = [name for name in site if name in plain]
    only_site: dict[str, list[str]] = {}
    for name in site:
        if name.split(".")[0] not in plain_libraries:
            only_site.setdefault(name.split(".")[0], []).append(name)

    def cost(added: list[str]) -> float:
        measured = run([*imports, "cost"], SITE, environments["site"], json.dumps({"base": shared, "added": added}))
        return json.loads(measured)

    rows = sorted(((name, len(modules), cost(modules)) for name, modules in only_site.items()), key=lambda row: -row[2])
    everything = [name for modules in only_site.values() for name in modules]
    return [*rows, (f"all {len(only_site)} together", len(everything), cost(everything))]


# ---------------------------------------------------------------- servers


def start(server: Server) -> None:
    # The site with its own gunicorn settings (BENCH_GUNICORN_CONFIG); the others with gunicorn's defaults,
    # as a plain site would be. bench/timing.py adds the timing hooks to both.
    command = [
        GUNICORN,
        "--config", str(BENCH / "timing.py"),
        "--workers", str(WORKERS),
        "--chdir", str(server.directory),
        "--bind", f"127.0.0.1:{server.port}",
        "--access-logfile", str(server.access_log),
        "--error-logfile", str(server.log_dir / f"{server.name}-error.log"),
        server.wsgi,
    ]  # fmt: skip
    try:
        get(server.port, server.probe, PROXY_HEADERS)
    except OSError:
        pass  # nothing listens there yet
    else:
        fail(f"port {server.port}, which {server.name} is to use, is taken by another server")
    begin = time.perf_counter()
    errors = (server.log_dir / f"{server.name}-stderr.log").open("w")
    env = {**server.env, "BENCH_TIMING_LOG": str(server.timing_log)}
    server.process = subprocess.Popen(command, env=env, stdout=errors, stderr=errors)  # noqa: S603
    while True:
        if server.process.poll() is not None:
            fail(f"{server.name} stopped at start-up; see {errors.name} and {server.name}-error.log")
        try:
            status, _ = get(server.port, server.probe, PROXY_HEADERS)
            if status == 200:
                break
        except OSError:
            time.sleep(0.01)
    server.started_in = time.perf_counter() - begin
    # Let every worker finish starting, so that their first requests are not slowed by each other's start.
    while len(workers(server)) < WORKERS:
        time.sleep(0.1)
    time.sleep(2)


def stop(server: Server) -> None:
    if server.process and server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=30)


def workers(server: Server) -> list[int]:
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def memory(server: Server) -> dict[str, float]:
    """Median over the workers, in MiB: resident (RSS), proportional (PSS) and unique to the worker (USS)."""
    rss, pss, uss = [], [], []
    for pid in workers(server):
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
        kib = {name: int(value.split()[0]) for name, value in fields.items()}
        rss.append(kib["Rss"] / 1024)
        pss.append(kib["Pss"] / 1024)
        uss.append((kib["Private_Clean"] + kib["Private_Dirty"]) / 1024)
    return {
        "rss": statistics.median(rss),
        "pss": statistics.median(pss),
        "uss": statistics.median(uss),
        "workers": len(rss),
    }


def timed_requests(server: Server, after_line: int = 1) -> dict[str, list[tuple[str, float, float, int]]]:
    """Each worker's requests in order from the timing log's line `after_line` on: path, wall-clock and CPU ms, faults.

    By default the start-up probe's request is left out: it came while the other workers were still starting.
    """
    by_worker: dict[str, list[tuple[str, float, float, int]]] = {}
    for line in server.timing_log.read_text().splitlines()[after_line:]:
        pid, wall, cpu, faults, path = line.split(" ", 4)
        by_worker.setdefault(pid, []).append((path, float(wall), float(cpu), int(faults)))
    return by_worker


def served_per_worker(server: Server, path: str) -> list[int]:
    """How many requests for ``path`` each worker has served (the timing log's count)."""
    by_worker = timed_requests(server, after_line=0)
    return [sum(request[0] == path for request in by_worker.get(str(pid), [])) for pid in workers(server)]


def probe_every_worker(pool, server: Server, after_line: int = 1) -> None:
    """Requests one at a time, so that none waits for another, until every worker has served NEXT_REQUESTS + 1.

    Each worker's first request can then be compared with its next ones under the same quiet conditions.
    """
    deadline = time.monotonic() + 60
    while True:
        pool.apply(load, (server.port, server.probe, PROXY_HEADERS, 0.5, 1))
        served = [len(requests) for requests in timed_requests(server, after_line).values()]
        if len(served) == WORKERS and min(served) > NEXT_REQUESTS:
            return
        if time.monotonic() > deadline:
            fail(f"{server.name}: not every worker served {NEXT_REQUESTS + 1} requests in 60 s ({served})")


def probe_first_requests(pool, server: Server) -> dict[str, dict[str, float]]:
    """Every worker's first requests after start-up, and again after a pause, when all of them are long loaded.

    The second is the control: a worker that has sat idle for a while answers its next request more
    slowly too (its memory is no longer in the processor's caches), whatever it has loaded.
    """
    probe_every_worker(pool, server)
    after_line = len(server.timing_log.read_text().splitlines())
    time.sleep(IDLE_SECONDS)
    probe_every_worker(pool, server, after_line)
    return {
        "start": first_requests(timed_requests(server)),
        "idle": first_requests(timed_requests(server, after_line)),
    }


def first_requests(by_worker: dict[str, list[tuple[str, float, float, int]]]) -> dict[str, float]:
    """Each worker's first request against the median of its next NEXT_REQUESTS on the same path, the worst worker's.

    Also the most page faults a first request took, and the median of the later ones' medians; and the
    median worker's first request in wall-clock and CPU milliseconds and page faults (bin/bench --pieces).
    """
    firsts, first_cpus, wall_ratios, cpu_ratios, first_faults, later_faults = [], [], [], [], [], []
    for requests in by_worker.values():
        path, wall, cpu, faults = requests[0]
        later = [request[1:] for request in requests[1:] if request[0] == path][:NEXT_REQUESTS]
        firsts.append(wall)
        first_cpus.append(cpu)
        wall_ratios.append(wall / statistics.median(w for w, _, _ in later))
        cpu_ratios.append(cpu / statistics.median(c for _, c, _ in later))
        first_faults.append(faults)
        later_faults.append(statistics.median(f for _, _, f in later))
    return {
        "first_ms": max(firsts),
        "wall_ratio": max(wall_ratios),
        "cpu_ratio": max(cpu_ratios),
        "first_faults": max(first_faults),
        "later_faults": statistics.median(later_faults),
        "median_first_ms": statistics.median(firsts),
        "median_first_cpu_ms": statistics.median(first_cpus),
        "median_first_faults": statistics.median(first_faults),
    }


# ---------------------------------------------------------------- HTTP


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def csrf_cookie(server: Server) -> str:
    """The CSRF cookie that the browser API's config sets for a new visitor."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", f"{BROWSER}/config", headers=PROXY_HEADERS)
        response = connection.getresponse()
        response.read()
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    finally:
        connection.close()
    if "csrftoken" not in cookies:
        fail(f"{server.name}'s config set no csrftoken cookie")
    return cookies["csrftoken"].value


def post(port: int, path: str, body: dict, source: str = "127.0.0.1") -> tuple[int, dict]:
    # Each login comes from its own loopback address, under allauth's per-address login rate limit.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    try:
        headers = {**PROXY_HEADERS, "Content-Type": "application/json"}
        connection.request("POST", path, body=json.dumps(body), headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


class Addresses:
    """Loopback source addresses, new for every run so that no rate limit carries over."""

    def __init__(self) -> None:
        self.second = random.randrange(1, 255)  # noqa: S311
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"127.{self.second}.{self.count // 250}.{self.count % 250 + 1}"


def load(port: int, path: str, headers: dict[str, str], seconds: float, concurrency: int) -> dict:
    """GET path from `concurrency` threads for `seconds`; runs in the load process."""
    deadline = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors: list[str] = []

    def client(own: list[float]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while (begin := time.perf_counter()) < deadline:
            # gunicorn's sync workers close each connection; http.client reopens it.
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            own.append(time.perf_counter() - begin)
            if response.status >= 500 or (response.status != 200 and path.endswith("config")):
                errors.append(f"{response.status} from {path}")
        connection.close()

    threads = [threading.Thread(target=client, args=(own,)) for own in latencies]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "latencies": [ms for own in latencies for ms in own],
        "seconds": time.perf_counter() - begin,
        "errors": errors,
    }


def logins(port: int, emails: list[str], password: str, addresses: list[str]) -> dict:
    """One app login after another, each as another user and from its own address; runs in the load process."""
    latencies: list[float] = []
    errors: list[str] = []
    begin = time.perf_counter()
    for email, source in zip(emails, addresses, strict=True):
        start_of_login = time.perf_counter()
        status, body = post(port, f"{APP}/auth/login", {"email": email, "password": password}, source)
        latencies.append(time.perf_counter() - start_of_login)
        if status != 200:
            errors.append(f"login answered {status}: {body}")
    return {"latencies": latencies, "seconds": time.perf_counter() - begin, "errors": errors}


def signups(port: int, bodies: list[tuple[str, dict]], addresses: list[str]) -> dict[str, dict]:
    """App signups one after another, each from its own address; runs in the load process.

    ``bodies`` pairs each body with its kind (a new address, or one that has an account); the result has the
    latencies of each kind.
    """
    results: dict[str, dict] = {}
    for (kind, body), source in zip(bodies, addresses, strict=True):
        result = results.setdefault(kind, {"latencies": [], "seconds": 0.0, "errors": []})
        start_of_signup = time.perf_counter()
        status, answer = post(port, f"{APP}/auth/signup", body, source)
        result["latencies"].append(time.perf_counter() - start_of_signup)
        result["seconds"] += result["latencies"][-1]
        if status != 401:  # waiting for the address to be verified, for both kinds alike
            result["errors"].append(f"signup answered {status}: {answer}")
    return results


def signup_bodies(run_id: str, taken: list[str], password: str) -> list[tuple[str, dict]]:
    """A signup for a new address and one for a taken address in turn, each pair in the other order than the last."""
    bodies = []
    for number, email in enumerate(taken):
        pair = [
            (NEW_ADDRESS, {"email": f"bench-{run_id}-signup-{number}@example.com", "password": password}),
            (TAKEN_ADDRESS, {"email": email, "password": password}),
        ]
        bodies += pair if number % 2 else pair[::-1]
    return bodies


def login(server: Server, addresses: Addresses) -> dict:
    body = {"email": server.emails.pop(), "password": server.password}
    status, answer = post(server.port, f"{APP}/auth/login", body, addresses.next())
    if status != 200:
        fail(f"logging in to {server.name} answered {status}: {answer}")
    return answer["meta"]


# ---------------------------------------------------------------- the site's tuning, piece by piece


def measure_pieces(environment: dict[str, str], emails: list[str], password: str, pool, rounds: int) -> list[dict]:
    """The site as configured, then with each of PIECES turned off, one server after another, ``rounds`` times.

    For each: the time to the first answer and the first requests (probe_first_requests), and memory per
    worker twice: once every worker has answered its first requests, and after every worker has served
    LOGINS_PER_WORKER logins and run a full garbage collection, as a worker that has been up a while has.
    Each figure is the median over the rounds.
    """
    measured = [measure_pieces_once(environment, emails, password, pool, number) for number in range(rounds)]
    return [
        {"piece": piece, "figures": [statistics.median(figures) for figures in zip(*by_round, strict=True)]}
        for piece, *by_round in zip([None, *PIECES], *measured, strict=True)
    ]


def measure_pieces_once(environment: dict[str, str], emails: list[str], password: str, pool, round_number: int):
    """One round of measure_pieces: each server's figures (PIECE_COLUMNS), the site as configured first."""
    addresses = Addresses()
    users = itertools.cycle(emails)
    results = []
    for number, piece in enumerate([None, *PIECES]):
        env, wsgi = dict(environment), "config.wsgi"
        if piece == "wsgi_imports":
            env["PYTHONPATH"], wsgi = str(BENCH), "default_wsgi"
        elif piece:
            env["BENCH_WITHOUT"] = piece
        name = f"{round_number}-without-{piece}" if piece else f"{round_number}-as-configured"
        server = Server(name, 8410 + number, SITE, wsgi, env, f"{BROWSER}/config")
        label = f"without {PIECES[piece]}" if piece else "as configured"
        print(f"Round {round_number + 1}: starting the site {label} ...", file=sys.stderr)

        def log_in(server: Server = server) -> None:
            body = {"email": next(users), "password": password}
            status, answer = post(server.port, f"{APP}/auth/login", body, addresses.next())
            if status != 200:
                fail(f"logging in to {server.name} answered {status}: {answer}")

        try:
            start(server)
            first = probe_first_requests(pool, server)["start"]
            at_start = memory(server)
            serve_on_every_worker(server, f"{APP}/auth/login", LOGINS_PER_WORKER, log_in)
            serve_on_every_worker(server, COLLECT_PATH, 1, lambda server=server: get(server.port, COLLECT_PATH, {}))
            after = memory(server)
        finally:
            stop(server)
        results.append(
            (
                server.started_in,
                first["median_first_ms"],
                first["median_first_cpu_ms"],
                first["median_first_faults"],
                *(at_start[kind] for kind in ("rss", "pss", "uss")),
                *(after[kind] for kind in ("rss", "pss", "uss")),
            )
        )
    return results


def serve_on_every_worker(server: Server, path: str, times: int, send) -> None:
    """Calls ``send`` (a request for ``path``) until every worker has served ``times`` of them."""
    for _ in range(100 * WORKERS * times):
        if min(served_per_worker(server, path)) >= times:
            return
        send()
    fail(f"{server.name}: not every worker served {times} requests for {path} ({served_per_worker(server, path)})")


# What measure_pieces reports for each server, and in what unit (the first request: the median worker's).
PIECE_COLUMNS = (
    ("start to first answer", "{:.2f} s"),
    ("first request, wall-clock", "{:.1f} ms"),
    ("first request, CPU", "{:.1f} ms"),
    ("first request, page faults", "{:.0f}"),
    ("RSS after start", "{:.1f} MiB"),
    ("PSS after start", "{:.1f} MiB"),
    ("USS after start", "{:.1f} MiB"),
    ("RSS after logins and a full GC", "{:.1f} MiB"),
    ("PSS after", "{:.1f} MiB"),
    ("USS after", "{:.1f} MiB"),
)


def pieces_table(results: list[dict]) -> str:
    """The figures of each server, then each as a ratio to the site as configured's, measured in the same run."""
    header = "| the site | " + " | ".join(name for name, _ in PIECE_COLUMNS) + " |"
    rule = "|---|" + "---:|" * len(PIECE_COLUMNS)
    reference = results[0]["figures"]
    lines = [header, rule]
    ratios = [header.replace("| the site |", "| ratio to the site as configured |"), rule]
    for result in results:
        label = f"without {PIECES[result['piece']]}" if result["piece"] else "as configured"
        figures = result["figures"]
        cells = [unit.format(figure) for figure, (_, unit) in zip(figures, PIECE_COLUMNS, strict=True)]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
        if result["piece"]:
            cells = [ratio(figure, base) for figure, base in zip(figures, reference, strict=True)]
            ratios.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join([*lines, "", *ratios])


# ---------------------------------------------------------------- the run


@dataclass
class Row:
    label: str
    query_key: str | None
    requests: dict[str, tuple[str, dict[str, str]]]  # server name -> path, headers
    status: int = 200  # every answer's


def summary(result: dict) -> dict:
    latencies = sorted(result["latencies"])
    if result["errors"]:
        fail("; ".join(sorted(set(result["errors"]))[:5]))
    return {
        "rps": len(latencies) / result["seconds"],
        "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "n": len(latencies),
    }


def measure(rows: list[Row], servers: dict[str, Server], seconds: float, rounds: int, concurrency: int) -> dict:
    """Each row on each server in turn, `rounds` times, so that all see the same conditions.

    req/s over all rounds; p50 the median of the rounds', p99 the highest (wrk reports percentiles, not
    the latencies themselves).
    """
    by_round: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        for _ in range(rounds):
            for name, (path, headers) in row.requests.items():
                result = wrk(servers[name].port, path, headers, seconds / rounds, concurrency, row.status)
                by_round.setdefault((row.label, name), []).append(result)
    return {
        key: {
            "rps": sum(result["requests"] for result in results) / sum(result["seconds"] for result in results),
            "p50": statistics.median(result["p50"] for result in results),
            "p99": max(result["p99"] for result in results),
            "n": sum(result["requests"] for result in results),
        }
        for key, results in by_round.items()
    }


def wrk(port: int, path: str, headers: dict[str, str], seconds: float, concurrency: int, status: int) -> dict:
    """GET ``path`` from ``concurrency`` connections for ``seconds`` with wrk, which takes a fraction of the
    CPU a Python client would (the servers share the machine with it); fails on any other answer than
    ``status`` and on socket errors."""
    # wrk takes whole seconds.
    command = [WRK, "--threads", "1", "--connections", str(concurrency), "--duration", f"{max(1, round(seconds))}s"]
    # Leaves bench/timing.py's hooks out of these requests, on every server alike.
    for name, value in {**headers, UNTIMED_HEADER: "1"}.items():
        command += ["--header", f"{name}: {value}"]
    command += ["--script", str(BENCH / "load.lua"), f"http://127.0.0.1:{port}{path}", str(status)]
    output = run(command, BENCH)
    line = next((line for line in output.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        fail(f"wrk printed no figures for {path}:\n{output}")
    requests, elapsed, p50, p99, unexpected, errors = line.split()[1:]
    if int(unexpected) or int(errors):
        fail(f"{path} on port {port}: {unexpected} answers other than {status} and {errors} socket errors under load")
    return {"requests": int(requests), "seconds": float(elapsed), "p50": float(p50), "p99": float(p99)}


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a and b else "-"


def timing(result: dict | None, digits: int = 1) -> str:
    return f"{result['p50']:.{digits}f} / {result['p99']:.{digits}f}" if result else "-"


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.machine())
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return (
        f"{model}, {os.cpu_count()} cores, {memory_kib / 1024**2:.0f} GiB, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {datetime.date.today().isoformat()}"
    )


def both_ratios(first: dict[str, float]) -> str:
    return f"{first['cpu_ratio']:.2f}x, {first['wall_ratio']:.2f}x"


def table(rows, results, queries, servers, memories, firsts, login_results, signup_results, libraries) -> str:
    lines = [
        "| request | site req/s | plain req/s | site / plain | site / plain, new connection per request "
        "| site / bare | plain / bare | site p50 / p99 ms | plain p50 / p99 ms | SQL site | SQL plain |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    bare = results[(rows[0].label, "bare")]
    lines.append(f"| {rows[0].label} | {bare['rps']:.0f} | | | | | | {timing(bare)} | | 0 | |")
    for row in rows[1:]:
        site, plain = results[(row.label, "site")], results.get((row.label, "plain"))
        per_request = results.get((row.label, PER_REQUEST))
        lines.append(
            f"| {row.label} | {site['rps']:.0f} | {f'{plain["rps"]:.0f}' if plain else '-'} "
            f"| {ratio(site['rps'], plain and plain['rps'])} "
            f"| {ratio(site['rps'], per_request and per_request['rps'])} "
            f"| {ratio(site['rps'], bare['rps'])} | {ratio(plain and plain['rps'], bare['rps'])} "
            f"| {timing(site)} | {timing(plain)} "
            f"| {queries['site'].get(row.query_key, '-')} | {queries['plain'].get(row.query_key, '-')} |"
        )
    site, plain = login_results["site"], login_results["plain"]
    lines.append(
        f"| login (app, password; one client) | {site['rps']:.1f} | {plain['rps']:.1f} "
        f"| {ratio(site['rps'], plain['rps'])} | | | | {timing(site, 0)} | {timing(plain, 0)} "
        f"| {queries['site']['login']} | {queries['plain']['login']} |"
    )
    for label, key in ((NEW_ADDRESS, "signup"), (TAKEN_ADDRESS, "signup_taken")):
        lines.append(
            f"| {label}; one client | {signup_results[label]['rps']:.1f} | | | | | "
            f"| {timing(signup_results[label], 0)} | | {queries['site'][key]} | {queries['plain'][key]} |"
        )
    lines += [
        "",
        "| server | workers | start to first answer | RSS per worker | PSS | USS "
        "| first request (slowest worker) | first / later: CPU, wall-clock (worst worker) "
        f"| control, after {IDLE_SECONDS} s idle: CPU, wall-clock |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in servers:
        mem, first, idle = memories[name], firsts[name]["start"], firsts[name]["idle"]
        lines.append(
            f"| {name} | {mem['workers']} | {servers[name].started_in:.2f} s | {mem['rss']:.1f} MiB "
            f"| {mem['pss']:.1f} MiB | {mem['uss']:.1f} MiB | {first['first_ms']:.1f} ms "
            f"| {both_ratios(first)} | {both_ratios(idle)} |"
        )
    lines += ["", "| library the site loads, plain not | modules | resident memory it adds |", "|---|---:|---:|"]
    lines += [f"| {name} | {modules} | {mib:.1f} MiB |" for name, modules, mib in libraries]
    return "\n".join(lines)


# What each session request must reach against plain, in requests per second.
SESSION_TARGETS = {"config": 1.5, ANONYMOUS: 1.5, COOKIE: 2.0, TOKEN: 2.0}
TOP_FUNCTIONS = 8
SMALL_SHARE = 0.03  # parts of the code with less than this of every request's time are summed as "the rest"


def targets(results, queries, memories, firsts, login_results, signup_results, libraries) -> str:
    """The benchmark's targets, each with the measured value and whether it is met."""

    def against_plain(label: str) -> float:
        return results[(label, "site")]["rps"] / results[(label, "plain")]["rps"]

    site_queries = queries["site"]
    first, idle = firsts["site"]["start"], firsts["site"]["idle"]
    new, taken = signup_results[NEW_ADDRESS], signup_results[TAKEN_ADDRESS]
    hasher = queries["site_hasher"]
    # The session ratios to three decimals, so that one just under its target does not read as the target.
    checks = [
        (
            f"authenticated session check >= {SESSION_TARGETS[COOKIE]:g}x plain: "
            f"browser cookie {against_plain(COOKIE):.3f}x, app token {against_plain(TOKEN):.3f}x",
            min(against_plain(COOKIE), against_plain(TOKEN)) >= SESSION_TARGETS[COOKIE],
        ),
        (
            f"config and anonymous session >= {SESSION_TARGETS['config']:g}x plain: "
            f"config {against_plain('config'):.3f}x, anonymous {against_plain(ANONYMOUS):.3f}x",
            min(against_plain("config"), against_plain(ANONYMOUS)) >= SESSION_TARGETS["config"],
        ),
        (
            f"SQL: config {site_queries['config']} and anonymous session {site_queries['session_anonymous']} (0 each)",
            site_queries["config"] == 0 and site_queries["session_anonymous"] == 0,
        ),
        (
            f"SQL: authenticated session {site_queries['session_cookie']} (cookie), "
            f"{site_queries['session_token']} (token) (<= 1)",
            max(site_queries["session_cookie"], site_queries["session_token"]) <= 1,
        ),
        (
            f"SQL: login {site_queries['login']} (of which {site_queries['login_security_events']} the security "
            f"event), signup {site_queries['signup']} (<= 12 each)",
            max(site_queries["login"], site_queries["signup"]) <= 12,
        ),
        (
            f"first request within 2x of later ones: worst worker {first['cpu_ratio']:.2f}x in CPU time, "
            f"{first['wall_ratio']:.2f}x wall-clock (after {IDLE_SECONDS} s idle: {idle['cpu_ratio']:.2f}x, "
            f"{idle['wall_ratio']:.2f}x); page faults: first requests up to {first['first_faults']}, "
            f"later ones {first['later_faults']:.0f}",
            max(first["cpu_ratio"], first["wall_ratio"]) <= 2,
        ),
        (
            f"login time <= 0.15x plain's (p50): {login_results['site']['p50'] / login_results['plain']['p50']:.2f}x, "
            f"with {hasher['algorithm']} at memory {hasher['memory_cost']} KiB, {hasher['time_cost']} passes, "
            f"{hasher['parallelism']} lane(s) (OWASP's minimum: 19456 KiB, 2 passes, 1 lane)",
            login_results["site"]["p50"] <= login_results["plain"]["p50"] * 0.15
            and hasher["algorithm"] == "argon2"
            and hasher["memory_cost"] >= 19456
            and hasher["time_cost"] >= 2,
        ),
        (
            f"signup for an address with an account within 10% of one for a new address (p50): "
            f"{taken['p50']:.1f} ms against {new['p50']:.1f} ms, {taken['p50'] / new['p50']:.2f}x",
            abs(taken["p50"] / new["p50"] - 1) <= 0.1,
        ),
        (
            f"memory per worker <= plain's: RSS {memories['site']['rss']:.1f} vs {memories['plain']['rss']:.1f} MiB "
            f"(of which {libraries[-1][2]:.1f} MiB the libraries plain does not load), "
            f"USS {memories['site']['uss']:.1f} vs {memories['plain']['uss']:.1f} MiB",
            memories["site"]["rss"] <= memories["plain"]["rss"],
        ),
    ]
    return "\n".join(f"- {'met' if met else 'NOT met'}: {text}" for text, met in checks)


def missed(rows: list[Row], results: dict) -> list[Row]:
    """The session requests whose target against plain the load did not reach."""
    return [
        row
        for row in rows
        if row.label in SESSION_TARGETS
        and results[(row.label, "site")]["rps"] / results[(row.label, "plain")]["rps"] < SESSION_TARGETS[row.label]
    ]


def hot_spots(name: str, directory: Path, env: dict[str, str], rows: list[Row]) -> dict:
    """bench/hot_spots.py's times and profile of each of ``rows``' requests, in one process of ``name``."""
    requests = [
        {"label": row.label, "path": row.requests[name][0], "headers": row.requests[name][1], "status": row.status}
        for row in rows
    ]
    spec, out = BUILD / f"hot-spots-{name}-requests.json", BUILD / f"hot-spots-{name}.json"
    spec.write_text(json.dumps(requests))
    command = [SITE_PYTHON, str(BENCH / "hot_spots.py"), str(spec), str(out)]
    run(command, directory, {**env, "PYTHONPATH": str(directory)})
    return json.loads(out.read_text())


def hot_spots_report(rows: list[Row], results: dict, spots: dict[str, dict]) -> str:
    """The times in one process next to the ratios under load, where the site's time goes, and its top functions."""
    lines = [
        "| request | site ms (CPU ms) | plain ms (CPU ms) | site / plain in one process | site / plain under load |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        site, plain = spots["site"][row.label], spots["plain"][row.label]
        under_load = results[(row.label, "site")]["rps"] / results[(row.label, "plain")]["rps"]
        lines.append(
            f"| {row.label} | {site['wall_ms']:.2f} ({site['cpu_ms']:.2f}) | {plain['wall_ms']:.2f} "
            f"({plain['cpu_ms']:.2f}) | {plain['wall_ms'] / site['wall_ms']:.2f}x | {under_load:.2f}x |"
        )
    site_shares = {row.label: spots["site"][row.label]["shares"] for row in rows}
    parts = sorted(
        {part for shares in site_shares.values() for part, share in shares.items() if share >= SMALL_SHARE},
        key=lambda part: -max(shares.get(part, 0) for shares in site_shares.values()),
    )
    lines += ["", f"| the site's time, by where the code lives | {' | '.join(parts)} | the rest |"]
    lines.append("|---|" + "---:|" * (len(parts) + 1))
    for label, shares in site_shares.items():
        rest = 1 - sum(shares.get(part, 0) for part in parts)
        cells = " | ".join(f"{shares.get(part, 0):.0%}" for part in parts)
        lines.append(f"| {label} | {cells} | {rest:.0%} |")
    lines += ["", *layers_table(rows, spots)]
    for key, title in (
        ("steps", "The site's steps that took the most time, with what they call (share, calls per request):"),
        ("top", "The site's functions that took the most time of their own (share, calls per request):"),
    ):
        lines += ["", title]
        for row in rows:
            top = spots["site"][row.label][key][:TOP_FUNCTIONS]
            functions = "; ".join(f"`{item['function']}` {item['share']:.0%} ({item['calls']:.3g})" for item in top)
            lines.append(f"- {row.label}: {functions}")
    return "\n".join(lines)


def layers_table(rows: list[Row], spots: dict[str, dict]) -> list[str]:
    """Each layer's own microseconds per request, the site's and plain's side by side; - where plain has none."""
    labels = [row.label for row in rows]
    own = {
        (name, label): {layer["layer"]: layer["us"] for layer in spots[name][label]["layers"]}
        for name in ("site", "plain")
        for label in labels
    }
    names = [layer["layer"] for layer in spots["site"][labels[0]]["layers"]]
    names += [layer["layer"] for layer in spots["plain"][labels[0]]["layers"] if layer["layer"] not in names]
    lines = [
        "| each layer's own time per request, µs (site / plain) | " + " | ".join(labels) + " |",
        "|---|" + "---:|" * len(labels),
    ]
    for name in names:
        cells = []
        for label in labels:
            site, plain = own[("site", label)].get(name), own[("plain", label)].get(name)
            cells.append(" / ".join("-" if value is None else f"{value:.0f}" for value in (site, plain)))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    totals = [" / ".join(f"{sum(own[(name, label)].values()):.0f}" for name in ("site", "plain")) for label in labels]
    lines.append("| all (timed layer by layer, so a little more than above) | " + " | ".join(totals) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="load time per request and server (default 10)")
    parser.add_argument("--logins", type=int, default=24, help="timed logins per server (default 24)")
    parser.add_argument(
        "--pieces",
        action="store_true",
        help="measure the site's gunicorn and WSGI tuning instead: the site as configured and with each piece off",
    )
    parser.add_argument("--rounds", type=int, default=3, help="with --pieces: rounds over all servers (default 3)")
    parser.add_argument("--signups", type=int, default=30, help="timed signups of the site, of each kind (default 30)")
    parser.add_argument("--write-readme", action="store_true", help="put the tables into README.md")
    args = parser.parse_args()

    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not database_url or not redis_url:
        fail(
            "set DATABASE_URL (a PostgreSQL database the benchmark may write to; a second one named after it "
            "with _plain is created next to it) and REDIS_URL (a Redis database), e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379/0 bin/bench"
        )
    if not database_url.startswith(("postgres://", "postgresql://")):
        fail(f"DATABASE_URL={database_url} is not a PostgreSQL URL (postgres://...).")

    print("Baking the default site into build/bench ...", file=sys.stderr)
    bake()
    environment = site_env(database_url, redis_url)
    run([SITE_PYTHON, "manage.py", "migrate", "--no-input"], SITE, environment)
    if args.pieces:
        run_pieces(environment, rounds=args.rounds, write_readme=args.write_readme)
        return
    plain_database_url = database_url_for_plain(database_url)
    environments = {
        "site": environment,
        "plain": {**base_env(), "DATABASE_URL": plain_database_url, "SECRET_KEY": secrets.token_urlsafe(50)},
        "bare": base_env(),
    }
    directories = {"site": SITE, "plain": BENCH, "bare": BENCH}
    environments["plain"]["DJANGO_SETTINGS_MODULE"] = "plain.settings"
    run([SITE_PYTHON, "-m", "django", "migrate", "--no-input"], BENCH, environments["plain"])

    print("Measuring what the libraries take ...", file=sys.stderr)
    libraries = library_costs(environments)

    print("Counting SQL queries ...", file=sys.stderr)
    run_id = secrets.token_hex(4)
    counted = {
        name: count_queries(name, directories[name], environments[name], run_id, args.logins + 3 + args.signups)
        for name in ("site", "plain")
    }
    queries = {name: counted[name]["queries"] for name in counted}
    queries["site_hasher"] = counted["site"]["hasher"]

    servers = {
        "bare": Server("bare", 8401, BENCH, "bare.wsgi", environments["bare"], "/hello"),
        "site": Server("site", 8402, SITE, "config.wsgi", environments["site"], f"{BROWSER}/config"),
        "plain": Server("plain", 8403, BENCH, "plain.wsgi", environments["plain"], f"{BROWSER}/config"),
        PER_REQUEST: Server(
            PER_REQUEST, 8404, BENCH, "plain.wsgi", {**environments["plain"], "CONN_MAX_AGE": "0"}, f"{BROWSER}/config"
        ),
    }
    context = multiprocessing.get_context("spawn")
    firsts = {}
    try:
        with context.Pool(1) as pool:
            for server in servers.values():
                print(f"Starting {server.name} ...", file=sys.stderr)
                start(server)
                firsts[server.name] = probe_first_requests(pool, server)
            concurrency = len(workers(servers["site"]))

            addresses = Addresses()
            headers: dict[str, dict[str, dict[str, str]]] = {}
            for name in ("site", "plain"):
                servers[name].emails, servers[name].password = counted[name]["emails"], counted[name]["password"]
                cookie_name = counted[name]["session_cookie_name"]
                by_cookie, by_token = login(servers[name], addresses), login(servers[name], addresses)
                headers[name] = {
                    "anonymous": PROXY_HEADERS,
                    # A browser sends back the CSRF cookie it got with its first answer, as the frontend's does.
                    "cookie": {
                        **PROXY_HEADERS,
                        "Cookie": f"{cookie_name}={by_cookie['session_token']}; csrftoken={csrf_cookie(servers[name])}",
                    },
                    "token": {**PROXY_HEADERS, "X-Session-Token": by_token["session_token"]},
                }
            jwt = login(servers["site"], addresses)["access_token"]
            headers["site"]["jwt"] = {**PROXY_HEADERS, "Authorization": f"Bearer {jwt}"}

            both = ("site", "plain")
            # The two plain setups share a database, so plain's sessions hold on both.
            headers[PER_REQUEST] = headers["plain"]
            compared = (*both, PER_REQUEST)
            rows = [
                Row("bare Django JSON view", None, {"bare": ("/hello", PROXY_HEADERS)}),
                Row("config", "config", {n: (f"{BROWSER}/config", headers[n]["anonymous"]) for n in compared}),
                Row(
                    ANONYMOUS,
                    "session_anonymous",
                    {n: (f"{BROWSER}/auth/session", headers[n]["anonymous"]) for n in compared},
                    status=401,
                ),
                Row(
                    COOKIE,
                    "session_cookie",
                    {n: (f"{BROWSER}/auth/session", headers[n]["cookie"]) for n in compared},
                ),
                Row(
                    TOKEN,
                    "session_token",
                    {n: (f"{APP}/auth/session", headers[n]["token"]) for n in compared},
                ),
                Row("session, app JWT", "session_jwt", {"site": (f"{APP}/auth/session", headers["site"]["jwt"])}),
                Row("/api/v1/me, app session token", "me", {"site": ("/api/v1/me", headers["site"]["token"])}),
            ]
            print("Loading ...", file=sys.stderr)
            results = measure(rows, servers, args.seconds, rounds=5, concurrency=concurrency)

            print("Logging in ...", file=sys.stderr)
            login_results = {}
            for name in both:
                emails = servers[name].emails[: args.logins]
                sources = [addresses.next() for _ in emails]
                result = pool.apply(logins, (servers[name].port, emails, servers[name].password, sources))
                login_results[name] = summary(result)

            print("Signing up ...", file=sys.stderr)
            taken = servers["site"].emails[args.logins : args.logins + args.signups]
            bodies = signup_bodies(run_id, taken, servers["site"].password)
            sources = [addresses.next() for _ in bodies]
            result = pool.apply(signups, (servers["site"].port, bodies, sources))
            signup_results = {kind: summary(timed) for kind, timed in result.items()}
            memories = {name: memory(server) for name, server in servers.items()}
    finally:
        for server in servers.values():
            stop(server)

    output = table(rows, results, queries, servers, memories, firsts, login_results, signup_results, libraries)
    output += "\n\nTargets:\n" + targets(results, queries, memories, firsts, login_results, signup_results, libraries)
    if missing := missed(rows, results):
        print("Profiling the requests whose target is not met ...", file=sys.stderr)
        spots = {name: hot_spots(name, directories[name], environments[name], missing) for name in both}
        output += (
            "\n\nWhere the time of each request whose target is not met goes (bench/hot_spots.py: in one process, "
            "through Django's WSGI handler without gunicorn; PostgreSQL and Redis over their sockets):\n\n"
            + hot_spots_report(missing, results, spots)
        )
    description = (
        f"Measured on {machine()}; {WORKERS} gunicorn workers each, the site with its config/gunicorn.py, "
        "plain and bare with gunicorn's defaults."
    )
    print(f"\n{output}\n\n{description}")
    if args.write_readme:
        write_readme_block("bench", f"{description}\n\n{output}")


def run_pieces(environment: dict[str, str], *, rounds: int, write_readme: bool) -> None:
    counted = count_queries("site", SITE, environment, secrets.token_hex(4), users=10)
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        results = measure_pieces(environment, counted["emails"], counted["password"], pool, rounds)
    output = pieces_table(results)
    description = (
        f"Measured on {machine()}; {WORKERS} gunicorn workers each, one server after another, the median of "
        f"{rounds} rounds. The first request and memory are the median worker's; memory once every worker has "
        f"answered its first requests, then after each has served {LOGINS_PER_WORKER} logins and run a full "
        "garbage collection."
    )
    print(f"\n{output}\n\n{description}")
    if write_readme:
        write_readme_block("bench-pieces", f"{description}\n\n{output}")


def write_readme_block(name: str, content: str) -> None:
    text = README.read_text()
    block = f"<!-- {name} -->\n{content}\n<!-- /{name} -->"
    text, replaced = re.subn(rf"<!-- {name} -->.*<!-- /{name} -->", lambda _: block, text, flags=re.DOTALL)
    if not replaced:
        fail(f"README.md has no <!-- {name} --> ... <!-- /{name} --> block to fill.")
    README.write_text(text)


if __name__ == "__main__":
    main()
