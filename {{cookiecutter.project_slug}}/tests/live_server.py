"""This site in processes of its own: the environment they start with, and real gunicorn servers on the test
database, for tests that need separate processes or concurrency."""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from accounts import frontend_urls

PUBLIC_HOST = "api.example.com"
# How long a server may take to answer after it starts: seconds when idle, much longer on a busy CI machine
# starting several at once.
START_SECONDS = 90
PROJECT_DIR = Path(__file__).resolve().parent.parent
# What production sets, and what its deployment checks want: no debug pages, a strong key, the public host,
# the frontend on https.
PRODUCTION = {
    "DEBUG": "off",
    "SECRET_KEY": "t9Wq2Lx7Rb4Nc8Vm1Zk5Jh3Gf6Ds0Ap-Qe_Ty7Ui2Op9As4Df1Gh6Jk3Lz8Xc5Vb",
    "ALLOWED_HOSTS": PUBLIC_HOST,
    "HEADLESS_ONLY": "on",
    # A cache every process shares, as production needs; loading the settings does not connect to it.
    "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
    **frontend_urls.defaults("https://app.example.com", frontend_urls.BY_SETTING.values()),
}


def have_postgresql_and_redis() -> bool:
    """Whether this run has PostgreSQL and Redis, which processes of their own can share."""
    return os.environ.get("DATABASE_URL", "").startswith("postgres") and bool(os.environ.get("REDIS_URL"))


def require_postgresql_and_redis() -> None:
    """Skips the test without PostgreSQL and Redis.

    A skip, not a failure, even in CI: the template's tests run each generated
    suite on SQLite too. The generated CI sets both, and the template's run on
    PostgreSQL and Redis fails on any skip.
    """
    if not have_postgresql_and_redis():
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL, as production and CI have")


def side_by_side[T](count: int, request: Callable[[int], T]) -> list[T]:
    """``request(i)`` for each i in range(count), each in its own thread, all released at the same moment."""
    start = threading.Barrier(count)

    def send(i: int) -> T:
        start.wait()
        return request(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(send, range(count)))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_environ(**settings: str) -> dict[str, str]:
    """The environment a process of this site starts with: this test run's, .env included, with ``settings`` on top."""
    return {**os.environ, **settings}


def url_of_the_test_database() -> str:
    """The PostgreSQL test database, as DATABASE_URL names it to another process."""
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )


def production_environ() -> dict[str, str]:
    """Production settings, on the test database and the shared Redis."""
    return site_environ(
        **PRODUCTION
        | {
            "SECURE_SSL_REDIRECT": "off",
            "DATABASE_URL": url_of_the_test_database(),
            "REDIS_URL": os.environ["REDIS_URL"],
        }
    )


class Server:
    """One gunicorn instance of this site, on its own port (or ``port``, to start one again where it was);
    ``threads`` above 1 serves requests side by side."""

    def __init__(self, environ: dict[str, str], *, workers: int = 2, threads: int = 1, port: int | None = None) -> None:
        self.port = port or free_port()
        # A file, not a pipe: a pipe nobody reads stalls the server once its buffer is full.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (closed in stop())
        command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
        self.process = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--threads", str(threads)],
            cwd=PROJECT_DIR,
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )

    def call(self, method: str, path: str, data=None, token: str | None = None) -> tuple[int, dict]:
        """Calls the app client's headless API, as the app with session ``token`` if given."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/_allauth/app/v1/{path}",
            method=method,
            data=None if data is None else json.dumps(data).encode(),
            # One public host name, as behind a load balancer: allauth's per-account login limit is kept per host.
            headers={
                "Host": PUBLIC_HOST,
                "Content-Type": "application/json",
                **({"X-Session-Token": token} if token else {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  (our own server)
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.errors()
            try:
                self.call("GET", "config")
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer within {START_SECONDS} seconds")

    def errors(self) -> str:
        """What the server has logged: its errors, and the site's log lines."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self, *, graceful: bool = False) -> None:
        """Stops the server at once, or ``graceful``ly as an orchestrator does: it stops listening, then
        finishes the requests it has (gunicorn's SIGTERM)."""
        # SIGINT is gunicorn's quick shutdown: no waiting on idle connections.
        self.process.send_signal(signal.SIGTERM if graceful else signal.SIGINT)
        self.process.wait(timeout=40)
        self.log.close()


@contextmanager
def serving(count: int, environ: dict[str, str], **options: int) -> Iterator[list[Server]]:
    """``count`` servers with ``environ``, up; stopped afterwards, before the test database is dropped
    (it refuses while connections are open)."""
    servers = [Server(environ, **options) for _ in range(count)]
    try:
        for server in servers:
            server.wait_until_up()
        yield servers
    finally:
        for server in servers:
            server.stop()


def start_up_refusal(*arguments: str, **settings: str) -> str:
    """What a process of this site (``python *arguments``) says when its settings stop it at start-up."""
    result = subprocess.run(
        [sys.executable, *arguments],
        cwd=PROJECT_DIR,
        env=site_environ(**settings),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr
