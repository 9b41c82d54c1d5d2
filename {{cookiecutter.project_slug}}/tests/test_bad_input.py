"""Bodies the API cannot use get a 4xx in allauth's error envelope, never a 5xx."""

import json

import pytest
from django.urls import resolve

from .conftest import EMAIL, PASSWORD, HeadlessClient, username_if_any
from .test_csrf import api_paths

# Endpoints that take a JSON body, with a body they accept: first those for
# anonymous visitors, then those for logged-in users.
ANONYMOUS_BODIES = {
    "auth/signup": {"email": "new@example.com", "password": PASSWORD},
    "auth/login": {"email": EMAIL, "password": PASSWORD},
    "auth/password/request": {"email": EMAIL},
    "auth/password/reset": {"key": "abc-def", "password": PASSWORD},
    "auth/email/verify": {"key": "abc"},
}
USER_BODIES = {
    "auth/reauthenticate": {"password": PASSWORD},
    "account/email": {"email": "other@example.com"},
    "account/password/change": {"current_password": PASSWORD, "new_password": "Another-passphrase-7"},
}
BODIES = ANONYMOUS_BODIES | USER_BODIES
WRONG_TYPES = [None, 42, 4.2, True, [], ["a@example.com"], {}, {"nested": {"deeper": "x"}}]
RAW_BODIES = [b"{", b"not json", b"[]", b'"a string"', b"42", b"null", b"\xff\xfe", b'{"email": "\xc3"}']


def assert_error_envelope(response, status=None) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.content)
    if status is not None:
        assert response.status_code == status
    body = response.json()
    assert body["status"] == response.status_code
    assert body["errors"], body
    assert all(isinstance(error["message"], str) and error["code"] for error in body["errors"])


@pytest.mark.parametrize("path", BODIES)
@pytest.mark.parametrize("raw", RAW_BODIES)
def test_a_body_that_is_not_a_json_object_is_a_400(logged_in_client, path, raw):
    headers = {"X-CSRFToken": logged_in_client.csrf_token()} if logged_in_client.kind == "browser" else {}
    if logged_in_client.session_token:
        headers["X-Session-Token"] = logged_in_client.session_token

    response = logged_in_client.http.post(
        logged_in_client.url(path), raw, content_type="application/json", headers=headers
    )

    assert_error_envelope(response, 400)


@pytest.fixture
def client_for(headless_client, user):
    """Anonymous for the anonymous endpoints, logged in and reauthenticated for the others."""

    def client(path):
        if path in USER_BODIES and headless_client.get("auth/session").status_code != 200:
            headless_client.login()
            headless_client.post("auth/reauthenticate", {"password": PASSWORD})
        return headless_client

    return client


@pytest.mark.parametrize("path", BODIES)
@pytest.mark.parametrize("value", WRONG_TYPES, ids=repr)
def test_a_field_of_the_wrong_type_is_a_400_naming_it(client_for, path, value):
    client = client_for(path)
    for field in BODIES[path]:
        response = client.post(path, {**BODIES[path], field: value})

        assert_error_envelope(response, 400)
        assert field in {error.get("param") for error in response.json()["errors"]}, response.json()


@pytest.mark.parametrize("path", BODIES)
def test_missing_fields_are_named_in_the_errors(client_for, path):
    response = client_for(path).post(path, {})

    assert_error_envelope(response, 400)
    params = {error.get("param") for error in response.json()["errors"]}
    assert params & set(BODIES[path]), response.json()


def test_a_password_sent_as_an_object_is_not_stored_as_text(reauthenticated_client, user):
    response = reauthenticated_client.post(
        "account/password/change", {"current_password": PASSWORD, "new_password": {"nested": {"deeper": "x"}}}
    )

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_unknown_endpoints_answer_in_the_envelope(headless_client, db):
    assert_error_envelope(headless_client.get("no/such/endpoint"), 404)


@pytest.mark.parametrize("value", ["1", 1, {"id": 1}, [{"id": 1}], [None], None], ids=repr)
def test_ending_sessions_needs_a_list_of_ids(logged_in_client, value):
    response = logged_in_client.delete("auth/sessions", {"sessions": value})

    assert_error_envelope(response, 400)
    assert response.json()["errors"][0]["param"] == "sessions"


PASSWORD_PATHS = ["auth/login", "auth/signup", "auth/reauthenticate", "account/password/change", "auth/password/reset"]


@pytest.mark.parametrize("path", PASSWORD_PATHS)
def test_an_overlong_password_is_refused_before_hashing(client_for, settings, path, counting_hasher):
    client = client_for(path)
    counting_hasher.calls = 0

    for field in [field for field in BODIES[path] if "password" in field]:
        response = client.post(path, {**BODIES[path], field: "x" * (settings.PASSWORD_MAX_LENGTH + 1)})

        assert_error_envelope(response, 400)
        assert response.json()["errors"][0] == {
            "message": f"A password has at most {settings.PASSWORD_MAX_LENGTH} characters.",
            "code": "password_too_long",
            "param": field,
        }
    assert counting_hasher.calls == 0


# allauth reads a JSON body on every method but GET (its RESTView.handle), so a login's credentials are checked
# on an OPTIONS, a HEAD or an unknown method too, before the view answers that the method is not allowed.
METHODS_WITH_A_BODY = ["OPTIONS", "HEAD", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND"]


@pytest.mark.parametrize("method", METHODS_WITH_A_BODY)
def test_an_overlong_password_is_refused_before_hashing_whatever_the_method(
    headless_client, user, settings, counting_hasher, method
):
    body = {"email": EMAIL, "password": "x" * (settings.PASSWORD_MAX_LENGTH + 1)}

    response = headless_client.request(method, "auth/login", body)

    assert response.status_code == 400, response.content
    if method != "HEAD":  # an answer to HEAD has no body
        assert response.json()["errors"][0]["code"] == "password_too_long"
    assert counting_hasher.calls == 0


@pytest.mark.parametrize("method", METHODS_WITH_A_BODY)
def test_a_field_of_the_wrong_type_is_refused_whatever_the_method(headless_client, user, method):
    response = headless_client.request(method, "auth/login", {"email": EMAIL, "password": {"a": 1}})

    assert response.status_code == 400, response.content
    if method != "HEAD":
        assert response.json()["errors"] == [
            {"message": "This field must be a string.", "code": "invalid", "param": "password"}
        ]


@pytest.mark.parametrize("path", ["auth/login", "auth/signup", "auth/reauthenticate", "account/password/change"])
def test_a_password_of_the_longest_length_is_hashed(client_for, settings, path, counting_hasher):
    """The counter above would see hashing: a password at the limit gets hashed on each of these endpoints."""
    client = client_for(path)
    counting_hasher.calls = 0
    longest = "x" * settings.PASSWORD_MAX_LENGTH

    body = {**BODIES[path], **{field: longest for field in BODIES[path] if "password" in field}}
    if path == "auth/signup" and username_if_any():
        body["username"] = "newcomer"

    client.post(path, body)

    assert counting_hasher.calls > 0


def test_a_body_over_the_size_limit_is_a_400_in_the_envelope(headless_client, settings, db):
    body = json.dumps({"email": EMAIL, "password": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    response = headless_client.http.post(
        headless_client.url("auth/login"),
        body,
        content_type="application/json",
        headers={"X-CSRFToken": headless_client.csrf_token()} if headless_client.kind == "browser" else {},
    )

    assert_error_envelope(response, 400)
    assert response.json()["errors"][0]["code"] == "request_too_large"


def form_post_endpoints() -> list[str]:
    """The browser endpoints where allauth reads a form post or nothing, not JSON (e.g. the provider redirect)."""
    paths = []
    for path in api_paths("browser"):
        match = resolve(f"/_allauth/browser/v1/{path}")
        if not getattr(getattr(match.func, "view_class", None), "handle_json_input", True):
            paths.append(path)
    return paths


@pytest.mark.parametrize("path", form_post_endpoints())
def test_endpoints_that_take_a_form_post_are_not_held_to_json(path, db):
    browser = HeadlessClient("browser")
    response = browser.http.post(
        browser.url(path),
        "provider=x&process=login&callback_url=%2F",
        content_type="application/x-www-form-urlencoded",
        headers={"X-CSRFToken": browser.csrf_token()},
    )

    assert response.status_code < 500
    if response.get("Content-Type", "").startswith("application/json"):
        assert "invalid_json" not in [error.get("code") for error in response.json().get("errors", [])]


@pytest.mark.parametrize("value", [2**64, -(2**64), [2**64], ["9" * 40]], ids=repr)
def test_an_id_beyond_the_database_range_is_a_400_not_a_database_error(logged_in_client, value):
    response = logged_in_client.delete("auth/sessions", {"sessions": value if isinstance(value, list) else [value]})

    assert_error_envelope(response, 400)
    assert response.json()["errors"][0]["param"] == "sessions"


def test_a_request_allauth_refuses_as_forbidden_gets_a_403_in_the_envelope(headless_client, db):
    # allauth refuses a request whose client address it cannot tell (its rate limits need one).
    response = headless_client.http.post(
        headless_client.url("auth/login"),
        {"email": EMAIL, "password": PASSWORD},
        content_type="application/json",
        headers={"X-CSRFToken": headless_client.csrf_token()} if headless_client.kind == "browser" else {},
        REMOTE_ADDR="",
    )

    assert_error_envelope(response, 403)
