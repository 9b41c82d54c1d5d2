"""With production values in the environment the site passes Django's deployment checks and sends its headers."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from accounts import frontend_urls
from core import production

PROJECT_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "off",
    "SECRET_KEY": "x7Qe9rT2mV5nB8kL1pZ4wY6uH3jG0fD-sA_cR7tE9yU2iO5pK8lM1nB4vC6xZ",
    "ALLOWED_HOSTS": "api.example.com",
    "HEADLESS_ONLY": "on",
    # A cache that every process shares; these commands only load the settings, they do not connect.
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
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


def test_a_wildcard_host_stops_start_up():
    result = manage("check", ALLOWED_HOSTS="api.example.com,*")

    assert result.returncode != 0
    assert "ALLOWED_HOSTS='api.example.com,*': '*' lets any Host header through" in result.stderr
    assert "ALLOWED_HOSTS=api.example.com" in result.stderr
    assert "core.E140" in result.stderr


def test_a_leading_dot_for_subdomains_is_no_wildcard():
    assert production.wildcard_host_problems([".example.com"], example="api.example.com") == []


@pytest.mark.parametrize("cache", [{"CACHE_URL": "locmemcache://"}, {}], ids=["locmem", "unset"])
def test_a_cache_of_each_process_stops_start_up(cache):
    result = manage("check", REDIS_URL="", **cache)

    assert result.returncode != 0
    assert "keeps the cache in each process" in result.stderr
    assert "Set REDIS_URL" in result.stderr
    assert "core.E141" in result.stderr


def test_a_deliberately_single_process_site_may_keep_its_own_cache():
    result = manage("check", REDIS_URL="", CACHE_URL="locmemcache://", SINGLE_PROCESS="on")

    assert result.returncode == 0, result.stderr


def test_no_cache_at_all_stops_start_up_even_in_a_single_process():
    result = manage("check", REDIS_URL="", CACHE_URL="dummycache://", SINGLE_PROCESS="on")

    assert result.returncode != 0
    assert "keeps nothing" in result.stderr
    assert "core.E142" in result.stderr


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


def test_a_request_id_from_the_proxy_is_kept(db, client: Client):
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123"})

    assert response["X-Request-ID"] == "abc-123"


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
