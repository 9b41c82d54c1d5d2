"""Two gunicorn servers sharing PostgreSQL and Redis behave as one site: sessions and rate limits are shared."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.cache import cache
from django.db import connection

from accounts import frontend_urls

from .conftest import EMAIL, PASSWORD, username_if_any

PUBLIC_HOST = "api.example.com"
# allauth's default login_failed limit: 5 failures per address in 5 minutes.
LOGIN_FAILED_LIMIT = 5

PROJECT_DIR = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"),
        reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL: two servers share nothing else",
    ),
    pytest.mark.django_db(transaction=True),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn instance of this site, on its own port."""

    def __init__(self, environ: dict[str, str]) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
        self.process = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{self.port}", "--workers", "2"],
            cwd=PROJECT_DIR,
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def call(self, method: str, path: str, data=None, token: str | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/_allauth/app/v1/{path}",
            method=method,
            data=None if data is None else json.dumps(data).encode(),
            # One public host name for both, as behind a load balancer: allauth keys its limits by it.
            headers={
                "Host": PUBLIC_HOST,
                "Content-Type": "application/json",
                **({"X-Session-Token": token} if token else {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  (our own server)
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.stderr.read().decode()
            try:
                self.call("GET", "config")
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer within 30 seconds")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def servers():
    """Two servers on the test database and the shared Redis, with production settings."""
    database = connection.settings_dict
    environ = {
        **os.environ,
        **frontend_urls.defaults("https://app.example.com", frontend_urls.BY_SETTING.values()),
        "DEBUG": "off",
        "SECRET_KEY": "t9Wq2Lx7Rb4Nc8Vm1Zk5Jh3Gf6Ds0Ap-Qe_Ty7Ui2Op9As4Df1Gh6Jk3Lz8Xc5Vb",
        "ALLOWED_HOSTS": PUBLIC_HOST,
        "SECURE_SSL_REDIRECT": "off",
        "HEADLESS_ONLY": "on",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        "REDIS_URL": os.environ["REDIS_URL"],
    }
    started = [Server(environ), Server(environ)]
    try:
        for server in started:
            server.wait_until_up()
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def account():
    """A verified user whose password the servers' own hasher (Argon2) can check."""
    user = get_user_model()(email=EMAIL, **username_if_any())
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save()
    EmailAddress.objects.create(user=user, email=EMAIL, primary=True, verified=True)
    cache.clear()
    return user


def test_they_share_the_cache_and_sessions():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache"


def test_a_session_from_one_is_valid_on_the_other_and_logout_ends_it_on_both(servers, account):
    first, second = servers
    status, body = first.call("POST", "auth/login", {"email": EMAIL, "password": PASSWORD})
    assert status == 200, body
    token = body["meta"]["session_token"]

    status, body = second.call("GET", "auth/session", token=token)
    assert status == 200
    assert body["data"]["user"]["email"] == EMAIL

    status, _ = second.call("DELETE", "auth/session", token=token)
    assert status == 401
    assert first.call("GET", "auth/session", token=token)[0] in (401, 410)
    assert second.call("GET", "auth/session", token=token)[0] in (401, 410)


def test_failed_logins_spread_over_both_reach_the_limit_as_on_one(servers, account):
    limit = LOGIN_FAILED_LIMIT
    codes = []
    for attempt in range(limit + 1):
        server = servers[attempt % 2]
        status, body = server.call("POST", "auth/login", {"email": EMAIL, "password": "wrong"})
        assert status == 400
        codes.append(body["errors"][0]["code"])

    assert codes[:limit] == ["email_password_mismatch"] * limit
    assert codes[limit] == "too_many_login_attempts"
    status, body = servers[0].call("POST", "auth/login", {"email": EMAIL, "password": PASSWORD})
    assert body["errors"][0]["code"] == "too_many_login_attempts"
