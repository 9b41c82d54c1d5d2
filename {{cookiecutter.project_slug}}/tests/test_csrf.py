"""Every unsafe call to the browser API needs the CSRF token; the app API needs none."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .conftest import HeadlessClient

UNSAFE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]


def api_paths(client: str) -> list[str]:
    """Every headless endpoint of ``client``, with any path parameter filled in."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    prefix = f"_allauth/{client}/v1/"
    return [
        re.sub(r"<[^>]+>", "x", path).removeprefix(prefix)
        for path in walk(get_resolver().url_patterns)
        if path.startswith(prefix)
    ]


BROWSER_PATHS = api_paths("browser")


def test_the_browser_api_is_all_covered():
    assert {"auth/login", "auth/signup", "auth/session", "account/email", "auth/password/reset"} <= set(BROWSER_PATHS)


@pytest.mark.parametrize("path", BROWSER_PATHS)
@pytest.mark.parametrize("method", UNSAFE_METHODS)
def test_browser_endpoint_refuses_unsafe_calls_without_the_token(user, path, method):
    client = HeadlessClient("browser")
    client.login()

    without = client.request(method, path, {}, csrf=False)
    assert without.status_code == 403
    assert without.json() == {
        "status": 403,
        "errors": [
            {
                "message": "CSRF check failed. Send the csrftoken cookie's value in the X-CSRFToken header.",
                "code": "csrf_failed",
            }
        ],
    }

    with_token = client.request(method, path, {})
    assert with_token.status_code != 403 or with_token.json()["errors"][0]["code"] != "csrf_failed"


@pytest.mark.parametrize("path", ["auth/login", "auth/signup", "auth/password/request"])
def test_app_endpoints_need_no_csrf_token(db, path):
    response = HeadlessClient("app").post(path, {})

    assert response.status_code == 400


def test_the_csrf_check_comes_before_the_body_checks(user):
    client = HeadlessClient("browser")

    response = client.http.post(client.url("auth/login"), b"{not json", content_type="application/json")

    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "csrf_failed"
