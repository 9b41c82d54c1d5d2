"""With production values in the environment the site passes Django's deployment checks and sends its headers."""

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from accounts import frontend_urls

PROJECT_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "off",
    "SECRET_KEY": "x7Qe9rT2mV5nB8kL1pZ4wY6uH3jG0fD-sA_cR7tE9yU2iO5pK8lM1nB4vC6xZ",
    "ALLOWED_HOSTS": "api.example.com",
    "HEADLESS_ONLY": "on",
    **frontend_urls.defaults("https://app.example.com", frontend_urls.BY_SETTING.values()),
}


def manage(*args: str, **environ: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env={**os.environ, **PRODUCTION, **environ},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deployment_checks_pass_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("key", "complaint"),
    [
        ("", "SECRET_KEY is empty"),
        ("django-insecure-" + "k" * 50, "is a well-known example value"),
        ("changeme", "is a well-known example value"),
        ("short-but-random-Q8x", "is too weak (20 characters"),
        ("ab" * 40, "is too weak (80 characters, 2 different"),
    ],
)
def test_a_missing_default_or_weak_secret_key_stops_start_up(key, complaint):
    result = manage("check", SECRET_KEY=key)

    assert result.returncode != 0
    assert complaint in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr


def test_an_admin_url_without_trailing_slash_stops_start_up():
    result = manage("check", ADMIN_URL="/staff")

    assert result.returncode != 0
    assert "ADMIN_URL='/staff' must be a path" in result.stderr


def test_security_headers_are_sent(db, client: Client):
    response = client.get("/healthz")

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]


@pytest.mark.parametrize("request_id", ["abc-123", "7f3e9c1a.b2_X", "r" * 64])
def test_a_request_id_from_the_proxy_is_kept(db, client: Client, request_id):
    response = client.get("/healthz", headers={"X-Request-ID": request_id})

    assert response["X-Request-ID"] == request_id


@pytest.mark.parametrize(
    "request_id",
    ["", "r" * 65, "abc 123", "abc\t123", "<script>alert(1)</script>", "id\x00", "caf\u00e9", "a/b", "a=b; c"],
    ids=["empty", "too_long", "space", "tab", "markup", "nul", "latin1", "slash", "separators"],
)
def test_a_request_id_that_is_not_short_and_plain_is_replaced(db, client: Client, request_id):
    """Any client can send X-Request-ID: only a short id of letters, digits, dots, dashes and underscores is kept."""
    response = client.get("/healthz", headers={"X-Request-ID": request_id})

    assert response.status_code == 200
    assert response["X-Request-ID"] != request_id
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_production_logs_are_json_lines_with_the_request_id():
    script = (
        "import django, logging; django.setup(); "
        "from log_request_id import local; local.request_id = 'req-42'; "
        "logging.getLogger('accounts').warning('hello %s', 'world')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        env={**os.environ, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    [line] = result.stderr.strip().splitlines()
    record = json.loads(line)
    assert record["level"] == "WARNING"
    assert record["logger"] == "accounts"
    assert record["message"] == "hello world"
    assert record["request_id"] == "req-42"
    assert record["time"]


@pytest.mark.skipif(importlib.util.find_spec("sentry_sdk") is not None, reason="sentry-sdk is installed here")
def test_sentry_without_its_package_stops_start_up_with_what_to_do():
    result = manage("check", SENTRY_DSN="https://key@o0.ingest.sentry.io/0")

    assert result.returncode != 0
    assert "SENTRY_DSN is set but sentry-sdk is not installed" in result.stderr
