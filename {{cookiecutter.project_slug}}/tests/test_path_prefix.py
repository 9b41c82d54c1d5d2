"""Served under a path prefix (SCRIPT_NAME, as behind a proxy that mounts the site at /auth/), every check holds.

The site matches requests by the path it routes (PATH_INFO, or the view it
resolved), not by the whole path the browser asked for, so the body checks in
front of allauth, the JSON error answers and the health check's exemption from
the https redirect work the same with a prefix as without.
"""

import pytest
from django.test import Client

from .conftest import EMAIL, HeadlessClient

PREFIX = "/auth"


@pytest.fixture
def prefixed(headless_client) -> HeadlessClient:
    """The headless client, its requests sent as to a site mounted at PREFIX."""
    headless_client.http.defaults["SCRIPT_NAME"] = PREFIX
    return headless_client


def test_an_overlong_password_is_refused_before_hashing(prefixed, user, settings, counting_hasher):
    response = prefixed.post("auth/login", {"email": EMAIL, "password": "x" * (settings.PASSWORD_MAX_LENGTH + 1)})

    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["code"] == "password_too_long"
    assert counting_hasher.calls == 0


def test_a_field_of_the_wrong_type_is_refused(prefixed, user):
    response = prefixed.post("auth/login", {"email": EMAIL, "password": ["a", "list"]})

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == [
        {"message": "This field must be a string.", "code": "invalid", "param": "password"}
    ]


def test_a_body_that_is_not_a_json_object_gets_the_envelope(prefixed, db):
    headers = {"X-CSRFToken": prefixed.csrf_token()} if prefixed.kind == "browser" else {}

    response = prefixed.http.post(prefixed.url("auth/login"), b"[]", content_type="application/json", headers=headers)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_json"


def test_an_unknown_endpoint_answers_in_the_envelope(prefixed, db):
    response = prefixed.get("no/such/endpoint")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_the_project_api_answers_a_wrong_method_in_the_envelope(db):
    response = Client(SCRIPT_NAME=PREFIX).put("/api/v1/me")

    assert response.status_code == 405
    assert response.json()["errors"][0]["code"] == "method_not_allowed"


def test_the_health_check_is_not_redirected_to_https(db, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert Client(SCRIPT_NAME=PREFIX).get("/healthz").status_code == 200
    assert Client(SCRIPT_NAME=PREFIX).get("/api/v1/me").status_code == 301
