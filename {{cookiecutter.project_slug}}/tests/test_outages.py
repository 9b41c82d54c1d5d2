"""While Redis or the database cannot be reached, the APIs answer 503 in their envelope, quickly, and a
session is not taken for ended: the client tries again later instead of logging its user out."""

import socket
import time

import pytest
from django.db import IntegrityError, OperationalError
from django.test import Client

from accounts import adapters

from .conftest import EMAIL, PASSWORD, HeadlessClient
from .live_server import free_port


def redis_at(settings, settings_from, port: int) -> None:
    """The cache, sessions and rate limits on the Redis at ``port``, with the settings' Redis configuration."""
    configured = settings_from(REDIS_URL=f"redis://127.0.0.1:{port}/0")
    settings.CACHES = configured.CACHES
    settings.SESSION_ENGINE = configured.SESSION_ENGINE


@pytest.fixture
def redis_down(settings, settings_from):
    redis_at(settings, settings_from, free_port())  # nothing listens there


def assert_unavailable(response) -> None:
    assert response.status_code == 503, response.content
    assert response.json() == {
        "status": 503,
        "errors": [
            {
                "message": "A service this site needs is not answering. Try again in a few seconds.",
                "code": "service_unavailable",
            }
        ],
    }
    assert response["Retry-After"]


@pytest.fixture
def client_with_a_session(headless_client, settings) -> HeadlessClient:
    """A client that sends a session, which the site cannot look up while Redis is down."""
    headless_client.http.raise_request_exception = False
    if headless_client.kind == "app":
        headless_client.session_token = "a" * 32
    else:
        headless_client.http.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32
    return headless_client


def app_client() -> HeadlessClient:
    """The app client, answered as a real server answers an error instead of raising it in the test."""
    client = HeadlessClient("app")
    client.http.raise_request_exception = False
    return client


@pytest.mark.usefixtures("redis_down")
def test_with_redis_down_a_session_check_answers_503_not_logged_out(client_with_a_session):
    started = time.monotonic()

    assert_unavailable(client_with_a_session.get("auth/session"))
    assert time.monotonic() - started < 3


@pytest.mark.usefixtures("redis_down")
def test_with_redis_down_a_login_answers_503(user):
    assert_unavailable(app_client().post("auth/login", {"email": EMAIL, "password": PASSWORD}))


@pytest.mark.usefixtures("redis_down")
def test_with_redis_down_the_project_api_answers_503(client_with_a_session):
    assert_unavailable(client_with_a_session.api("GET", "me"))


def test_a_database_that_drops_the_connection_answers_503(user, monkeypatch):
    def drop(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(adapters.AccountAdapter, "pre_login", drop)

    assert_unavailable(app_client().post("auth/login", {"email": EMAIL, "password": PASSWORD}))


def test_a_query_that_breaks_a_constraint_is_a_bug_answered_500(user, monkeypatch):
    def break_a_constraint(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(adapters.AccountAdapter, "pre_login", break_a_constraint)

    response = app_client().post("auth/login", {"email": EMAIL, "password": PASSWORD})

    assert response.status_code == 500
    assert response.json()["errors"][0]["code"] == "server_error"


@pytest.mark.usefixtures("redis_down")
def test_pages_outside_the_apis_answer_503_too(db, settings):
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32

    response = client.get(f"/{settings.ADMIN_URL}")

    assert response.status_code == 503
    assert response["Retry-After"]


def test_a_redis_that_does_not_answer_fails_the_request_within_seconds(settings, settings_from, client_with_a_session):
    with socket.socket() as silent:  # connections wait in its queue, unanswered
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        redis_at(settings, settings_from, silent.getsockname()[1])
        started = time.monotonic()

        assert_unavailable(client_with_a_session.get("auth/session"))

    assert time.monotonic() - started < 4
