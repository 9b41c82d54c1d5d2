"""A frontend on another origin calls the APIs with credentials; other origins get no CORS headers and fail CSRF."""

import pytest

from .conftest import EMAIL, FRONTEND, PASSWORD, HeadlessClient

OTHER_ORIGIN = "https://evil.example.net"
ALLAUTH_HEADERS = ["x-session-token", "x-email-verification-key", "x-password-reset-key", "x-csrftoken"]


@pytest.fixture(autouse=True)
def frontend_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [FRONTEND]
    settings.CSRF_TRUSTED_ORIGINS = [FRONTEND]


def preflight(client: HeadlessClient, url: str, origin: str, method: str, headers: str):
    return client.http.options(
        url,
        headers={"Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers},
    )


@pytest.mark.parametrize(
    ("path", "method", "headers"),
    [
        ("/_allauth/browser/v1/auth/login", "POST", "content-type, x-csrftoken"),
        ("/_allauth/app/v1/auth/session", "DELETE", "x-session-token"),
        ("/_allauth/browser/v1/auth/email/verify", "GET", "x-email-verification-key"),
        ("/_allauth/browser/v1/auth/password/reset", "GET", "x-password-reset-key"),
        ("/api/v1/me", "PATCH", "authorization, content-type"),
    ],
)
def test_a_preflight_from_the_frontend_is_allowed_with_credentials(db, path, method, headers):
    response = preflight(HeadlessClient("browser"), path, FRONTEND, method, headers)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONTEND
    assert response["Access-Control-Allow-Credentials"] == "true"
    assert method in response["Access-Control-Allow-Methods"]
    allowed = {header.strip() for header in response["Access-Control-Allow-Headers"].split(",")}
    assert {header.strip() for header in headers.split(",")} <= allowed
    assert set(ALLAUTH_HEADERS) <= allowed


def test_a_preflight_from_another_origin_gets_no_cors_headers(db):
    response = preflight(
        HeadlessClient("browser"), "/_allauth/browser/v1/auth/login", OTHER_ORIGIN, "POST", "x-csrftoken"
    )

    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Credentials" not in response


def test_the_frontend_logs_in_and_calls_both_apis_with_credentials(user):
    browser = HeadlessClient("browser")
    origin = {"Origin": FRONTEND}

    login = browser.post("auth/login", {"email": EMAIL, "password": PASSWORD}, headers=origin)
    session = browser.get("auth/session", headers=origin)
    me = browser.api("GET", "me", headers=origin)

    for response in (login, session, me):
        assert response.status_code == 200, response.content
        assert response["Access-Control-Allow-Origin"] == FRONTEND
        assert response["Access-Control-Allow-Credentials"] == "true"


def test_another_origin_gets_no_cors_headers_on_an_actual_request(user):
    browser = HeadlessClient("browser")
    browser.login()

    response = browser.get("auth/session", headers={"Origin": OTHER_ORIGIN})

    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("call", ["headless", "project"])
def test_csrf_trusts_the_frontend_origin_and_no_other(user, call):
    browser = HeadlessClient("browser")
    browser.login()

    def change(origin: str):
        if call == "headless":
            return browser.post("auth/reauthenticate", {"password": PASSWORD}, headers={"Origin": origin})
        return browser.api("PATCH", "me", {"display_name": "Ada"}, headers={"Origin": origin})

    refused = change(OTHER_ORIGIN)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "csrf_failed"
    assert change(FRONTEND).status_code == 200


def test_the_key_set_may_be_read_from_any_origin(db):
    response = HeadlessClient("browser").http.get("/.well-known/jwks.json", headers={"Origin": OTHER_ORIGIN})

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
