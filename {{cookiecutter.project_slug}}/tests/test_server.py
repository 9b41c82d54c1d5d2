"""The site starts under gunicorn with config/gunicorn.py and answers over HTTP."""

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from config import gunicorn as gunicorn_settings

from .live_server import PROJECT_DIR, free_port, site_environ


def test_gunicorn_serves_the_health_check(tmp_path):
    port = free_port()
    environ = site_environ(
        PORT=str(port),
        WEB_CONCURRENCY="1",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=os.environ.get("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}"),
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}", "config.wsgi"],
        cwd=PROJECT_DIR,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = None
        deadline = time.monotonic() + 30
        while body is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = response.read()
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                time.sleep(0.2)
        assert body is not None, "gunicorn did not answer within 30 seconds"
        assert b'"status": "ok"' in body
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class Worker:
    """What config/gunicorn.py's hooks use of a gunicorn worker: the site, and a log."""

    def __init__(self) -> None:
        from config.wsgi import application

        self.wsgi = application
        self.log = self
        self.problems: list[str] = []

    def warning(self, message: str, *args: object) -> None:
        self.problems.append(message % args)

    exception = warning


# Requests through the WSGI handler close a connection that is inside a transaction, as a test's is.
@pytest.mark.django_db(transaction=True)
def test_each_worker_warms_up_with_answered_requests_before_taking_callers():
    worker = Worker()

    gunicorn_settings.post_worker_init(worker)

    assert worker.problems == []


def test_gunicorn_refuses_more_than_one_worker_when_the_site_is_declared_single_process(tmp_path):
    environ = {
        **os.environ,
        "PORT": str(free_port()),
        "WEB_CONCURRENCY": "2",
        "SINGLE_PROCESS": "on",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}"),
    }

    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=PROJECT_DIR,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so that a server that does start can be stopped with its workers
    )
    try:
        _, errors = server.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        pytest.fail("gunicorn started its workers instead of refusing to")

    assert server.returncode != 0
    assert "SINGLE_PROCESS is on, but gunicorn is set to start 2 workers" in errors
    assert "WEB_CONCURRENCY=1" in errors
