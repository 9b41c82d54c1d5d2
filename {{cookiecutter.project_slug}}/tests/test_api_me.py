"""The project API's example endpoint, /api/v1/me, with each way to authenticate and without."""

import pytest
from django.test import Client

from .conftest import EMAIL, HeadlessClient


def test_me_describes_the_logged_in_user(api_client, user):
    response = api_client.api("GET", "me")

    assert response.status_code == 200, response.content
    me = response.json()
    assert me["id"] == str(user.pk)
    assert me["email"] == EMAIL
    assert me["email_verified"] is True
    assert me["display_name"] == ""


def test_the_display_name_is_changed_and_kept(api_client, user):
    response = api_client.api("PATCH", "me", {"display_name": "  Ada Lovelace "})

    assert response.status_code == 200, response.content
    assert response.json()["display_name"] == "Ada Lovelace"
    user.refresh_from_db()
    assert user.display_name == "Ada Lovelace"
    assert api_client.api("GET", "me").json()["display_name"] == "Ada Lovelace"


def test_a_display_name_is_stored_composed_and_measured_so(api_client, user):
    decomposed = "Zoe\u0308 " + "e\u0301" * 145  # 295 code points, 149 once composed

    response = api_client.api("PATCH", "me", {"display_name": decomposed})

    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert user.display_name == "Zoë " + "é" * 145
    assert api_client.api("PATCH", "me", {"display_name": "Ada " + "é" * 147}).status_code == 400


def test_an_empty_patch_changes_nothing(api_client, user):
    user.display_name = "Ada"
    user.save()

    response = api_client.api("PATCH", "me", {})

    assert response.status_code == 200
    assert response.json()["display_name"] == "Ada"


@pytest.mark.parametrize("method", ["GET", "PATCH"])
@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Session-Token": "not-a-session"}, {"Authorization": "Bearer not.a.token"}, {"Authorization": "Basic x"}],
    ids=["nothing", "unknown_session_token", "malformed_access_token", "other_scheme"],
)
def test_without_valid_credentials_the_answer_is_401_in_json(db, method, headers):
    response = Client().generic(method, "/api/v1/me", '{"display_name": "Eve"}', "application/json", headers=headers)

    assert response.status_code == 401
    assert response.json() == {
        "status": 401,
        "errors": [
            {
                "message": "Log in first, then send the session cookie, the X-Session-Token header or an access "
                "token in Authorization: Bearer.",
                "code": "not_authenticated",
            }
        ],
    }


def test_a_logged_out_client_gets_401(api_client):
    api_client.delete("auth/session")

    assert api_client.api("GET", "me").status_code == 401


def test_the_browser_session_needs_the_csrf_token_to_change_anything(user):
    browser = HeadlessClient("browser")
    browser.login()

    response = browser.api("PATCH", "me", {"display_name": "Mallory"}, csrf=False)

    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "csrf_failed"
    user.refresh_from_db()
    assert user.display_name == ""
    assert browser.api("GET", "me", csrf=False).status_code == 200  # reading needs no token


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"display_name": None}, "display_name"),
        ({"display_name": 42}, "display_name"),
        ({"display_name": ["Ada"]}, "display_name"),
        ({"display_name": "x" * 151}, "display_name"),
        ({"display_name": "Ada\nLovelace"}, "display_name"),
        ({"display_name": "Ada\x00"}, "display_name"),
        ({"email": "eve@example.com"}, "email"),
    ],
    ids=["null", "number", "list", "too_long", "line_break", "nul", "unknown_field"],
)
def test_a_bad_display_name_is_a_400_naming_the_field(api_client, user, body, param):
    response = api_client.api("PATCH", "me", body)

    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert param in {error.get("param") for error in errors}, errors
    assert all(error["message"] and error["code"] for error in errors)
    user.refresh_from_db()
    assert user.display_name == ""
    assert user.email == EMAIL


@pytest.mark.parametrize("raw", [b"{", b"not json", b"[]", b'"a string"', b"42", b"null", b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_a_400(api_client, raw):
    headers = {}
    if api_client.kind == "browser":
        headers["X-CSRFToken"] = api_client.csrf_token()
    elif api_client.bearer:
        headers["Authorization"] = f"Bearer {api_client.access_token}"
    else:
        headers["X-Session-Token"] = api_client.session_token

    response = api_client.http.generic("PATCH", "/api/v1/me", raw, "application/json", headers=headers)

    assert response.status_code == 400, response.content
    assert response.json()["status"] == 400


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_a_method_the_endpoint_lacks_is_a_405_in_json(api_client, method):
    response = api_client.api(method, "me", {})

    assert response.status_code == 405
    assert response.json()["errors"][0]["code"] == "method_not_allowed"
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH", "DELETE"}


def test_an_unknown_path_is_a_404_in_json(db):
    response = Client().get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
