"""With production values in the environment the site passes Django's deployment checks and sends its headers."""

import importlib.util
import json
import subprocess
import sys

import pytest
from django.test import Client

from core import production
from core.validation import ProblemID

from .live_server import PRODUCTION, PROJECT_DIR, site_environ


def manage(*args: str, **environ: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=site_environ(**PRODUCTION | environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_migrate_runs_its_checks_and_creates_an_empty_database(tmp_path):
    result = manage("migrate", "--no-input", DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}")

    assert result.returncode == 0, result.stderr + result.stdout
    assert "Applying accounts.0001_initial... OK" in result.stdout


def test_the_deployment_checks_pass_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("key", "complaint"),
    [
        ("", "SECRET_KEY: is empty and DEBUG is off"),
        ("django-insecure-" + "k" * 50, "is a well-known example value"),
        ("changeme", "is a well-known example value"),
        ("short-but-random-Q8x", "is too weak (20 characters"),
        ("ab" * 40, "is too weak (80 characters, 2 different"),
    ],
)
def test_a_missing_default_or_weak_secret_key_is_refused(key, complaint):
    [problem] = production.find_problems(secret_key=key, allowed_hosts=["api.example.com"], example_host="x")

    assert problem.id == ProblemID.SECRET_KEY_UNSAFE
    assert complaint in str(problem)
    assert "secrets.token_urlsafe(50)" in str(problem)
    assert not key or key not in str(problem)


def test_production_needs_allowed_hosts():
    [problem] = production.find_problems(
        secret_key=PRODUCTION["SECRET_KEY"], allowed_hosts=[], example_host="api.example.com"
    )

    assert str(problem).startswith("ALLOWED_HOSTS='': is empty and DEBUG is off.")
    assert "ALLOWED_HOSTS=api.example.com" in str(problem)


def test_a_weak_secret_key_stops_start_up():
    result = manage("check", SECRET_KEY="changeme")

    assert result.returncode != 0
    assert "SECRET_KEY: is a well-known example value and DEBUG is off" in result.stderr


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


@pytest.mark.parametrize("path", ["/staff/", "staff"])
def test_an_admin_url_needs_a_trailing_slash_and_no_leading_one(path):
    [problem] = production.admin_url_problems(path)

    assert f"ADMIN_URL={path!r}: must be a path" in str(problem)
    assert production.admin_url_problems("staff/") == production.admin_url_problems("") == []


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
        env=site_environ(**PRODUCTION, DJANGO_SETTINGS_MODULE="config.settings"),
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
