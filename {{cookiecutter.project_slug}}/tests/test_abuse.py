"""Hand-made abuse: huge, deep and malformed bodies, odd characters, and input that tries to inject mail headers.

Each gets a clear 4xx in the envelope (or is handled as ordinary input),
never a 5xx, on both clients; on PostgreSQL (DATABASE_URL) too, which refuses
NUL characters that SQLite stores. (Headers carry no NUL: gunicorn refuses
control characters in header values before the site sees them.)
"""

import json
import re

import pytest
from django.conf import settings
from django.core import mail

from .conftest import EMAIL, FRONTEND, PASSWORD, HeadlessClient, mails_to, username_if_any
from .test_bad_input import assert_error_envelope

NESTING = 100_000


def send_raw(client: HeadlessClient, method: str, url: str, body: bytes | str, content_type: str, **extra):
    """A body exactly as given, with the client's credentials (and its CSRF token for the browser)."""
    headers = {}
    if client.kind == "browser":
        headers["X-CSRFToken"] = client.csrf_token()
    if client.session_token:
        headers["X-Session-Token"] = client.session_token
    return client.http.generic(method, url, body, content_type=content_type, headers=headers, **extra)


def new_username() -> dict[str, str]:
    """A username for a signup, where the site asks for one."""
    return {"username": "newcomer"} if username_if_any() else {}


def deeply_nested(depth: int) -> str:
    return '{"email": ' + '{"a": ' * depth + "1" + "}" * depth + "}"


@pytest.mark.parametrize("body", [deeply_nested(NESTING), "[" * NESTING + "]" * NESTING], ids=["objects", "arrays"])
def test_deeply_nested_json_is_a_400(headless_client, db, body):
    response = send_raw(headless_client, "POST", headless_client.url("auth/login"), body, "application/json")

    assert_error_envelope(response, 400)
    assert response.json()["errors"][0]["code"] == "invalid_json"


def test_deeply_nested_json_is_a_400_on_the_project_api(api_client):
    response = send_raw(api_client, "PATCH", "/api/v1/me", deeply_nested(NESTING), "application/json")

    assert_error_envelope(response, 400)


def test_a_body_over_the_size_limit_is_a_400_on_the_project_api(api_client):
    body = json.dumps({"display_name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    response = send_raw(api_client, "PATCH", "/api/v1/me", body, "application/json")

    assert_error_envelope(response, 400)
    assert response.json()["errors"][0]["code"] == "request_too_large"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (f"email={EMAIL}&password={PASSWORD}", "application/x-www-form-urlencoded"),
        (
            f'--b\r\nContent-Disposition: form-data; name="email"\r\n\r\n{EMAIL}\r\n--b--\r\n',
            "multipart/form-data; boundary=b",
        ),
        (f"{EMAIL} {PASSWORD}", "text/plain"),
    ],
    ids=["form", "multipart", "text"],
)
def test_a_body_that_is_not_json_is_a_400_whatever_its_content_type(headless_client, user, body, content_type):
    response = send_raw(headless_client, "POST", headless_client.url("auth/login"), body, content_type)

    assert_error_envelope(response, 400)
    assert response.json()["errors"][0]["code"] == "invalid_json"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_project_api_body_that_is_not_json_is_a_400(api_client, content_type):
    response = send_raw(api_client, "PATCH", "/api/v1/me", "display_name=Eve", content_type)

    assert_error_envelope(response, 400)


# A NUL in each field that reaches a database lookup or insert (PostgreSQL refuses NUL in text).
NUL_INPUT = {
    "auth/login": ({"email": "ada\x00@example.com", "password": PASSWORD}, "email"),
    "auth/signup": ({"email": "new\x00@example.com", "password": PASSWORD}, "email"),
    "auth/password/request": ({"email": "ada@example.com\x00"}, "email"),
    "auth/password/reset": ({"key": "abc\x00-def", "password": PASSWORD}, "key"),
    "auth/email/verify": ({"key": "abc\x00"}, "key"),
}


@pytest.mark.parametrize("path", NUL_INPUT)
def test_nul_characters_in_json_strings_are_a_400_naming_the_field(headless_client, user, path):
    body, field = NUL_INPUT[path]

    response = headless_client.post(path, {**body, **(new_username() if path == "auth/signup" else {})})

    assert_error_envelope(response, 400)
    assert field in {error.get("param") for error in response.json()["errors"]}, response.json()


def test_a_nul_in_a_password_to_reauthenticate_is_a_400(logged_in_client):
    response = logged_in_client.post("auth/reauthenticate", {"password": "Correct\x00horse"})

    assert_error_envelope(response, 400)


@pytest.mark.parametrize(
    ("path", "header"),
    [("auth/email/verify", "X-Email-Verification-Key"), ("auth/password/reset", "X-Password-Reset-Key")],
)
@pytest.mark.parametrize("key", ["abc def", "\udcff", "é" * 5000])
def test_odd_characters_in_a_key_header_are_a_400(headless_client, db, path, header, key):
    response = headless_client.get(path, headers={header: key})

    assert_error_envelope(response, 400)


# No NUL here: gunicorn refuses control characters in header values before the site sees them.
@pytest.mark.filterwarnings("ignore::django.core.cache.CacheKeyWarning")  # about memcached, which this site has not
@pytest.mark.parametrize("token", ["abcdefgh ijkl", "é" * 5000, "../../etc/passwd", "' OR 1=1 --"])
def test_odd_characters_in_a_session_token_are_not_a_server_error(db, token):
    response = HeadlessClient("app").get("auth/session", headers={"X-Session-Token": token})

    assert response.status_code in (401, 410)
    assert response.json()["status"] == response.status_code


def test_a_nul_in_a_display_name_is_a_400(api_client):
    assert_error_envelope(api_client.api("PATCH", "me", {"display_name": "Ada\x00"}), 400)


def test_invalid_utf8_in_a_raw_body_is_a_400(headless_client, db):
    body = b'{"email": "ada@example.com", "password": "\xed\xa0\x80\xff"}'

    response = send_raw(headless_client, "POST", headless_client.url("auth/login"), body, "application/json")

    assert_error_envelope(response, 400)
    assert response.json()["errors"][0]["code"] == "invalid_encoding"


def test_a_lone_surrogate_escaped_in_json_is_a_400_not_a_database_error(headless_client, db):
    body = '{"email": "ada\\udc80@example.com", "password": "Correct-horse-battery-9"}'

    response = send_raw(headless_client, "POST", headless_client.url("auth/signup"), body, "application/json")

    assert_error_envelope(response, 400)


@pytest.mark.parametrize(
    "email",
    ["a" * 10_000 + "@example.com", "ada@" + "a" * 300 + ".com", "ü" * 65 + "@example.com", "a@" + "ü" * 250 + ".de"],
    ids=["long_local_part", "long_domain", "long_unicode_local_part", "long_unicode_domain"],
)
@pytest.mark.parametrize("path", ["auth/signup", "auth/login", "auth/password/request"])
def test_an_overlong_email_is_a_400_naming_the_field(headless_client, db, path, email):
    response = headless_client.post(path, {"email": email, "password": PASSWORD})

    assert_error_envelope(response, 400)
    assert "email" in {error.get("param") for error in response.json()["errors"]}
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("email", "punycode"), [("ada@exämple.de", "xn--exmple-cua.de"), ("ada@例子.广告", "xn--fsqu00a.xn--4rr70v")]
)
def test_an_address_at_an_international_domain_signs_up_and_gets_its_mail(headless_client, db, email, punycode):
    response = headless_client.post("auth/signup", {"email": email, "password": PASSWORD, **new_username()})

    assert response.status_code == 401, response.content  # waiting for the address to be verified
    [message] = mail.outbox
    assert message.to == [email]
    assert message.message()["To"] == f"ada@{punycode}"  # what mail servers understand


@pytest.mark.parametrize("email", ["zoë@example.com", "用户@例子.广告"])
def test_a_non_ascii_local_part_is_a_400(headless_client, db, email):
    response = headless_client.post("auth/signup", {"email": email, "password": PASSWORD})

    assert_error_envelope(response, 400)
    assert response.json()["errors"][0]["param"] == "email"
    assert mail.outbox == []


CRLF_EMAILS = [
    "ada@example.com\r\nBcc: eve@example.com",
    "ada@example.com\nBcc: eve@example.com",
    "eve@example.com\r\nContent-Type: text/html",
    "ada@example.com%0d%0aBcc:eve@example.com",
]


@pytest.mark.parametrize("email", CRLF_EMAILS)
@pytest.mark.parametrize("path", ["auth/signup", "auth/password/request"])
def test_line_breaks_in_an_email_are_refused_and_no_mail_goes_out(headless_client, user, path, email):
    response = headless_client.post(path, {"email": email, "password": PASSWORD})

    assert_error_envelope(response, 400)
    assert response.json()["errors"][0]["param"] == "email"
    assert mail.outbox == []


@pytest.mark.parametrize("email", CRLF_EMAILS)
def test_line_breaks_in_a_new_email_address_are_refused(reauthenticated_client, email):
    response = reauthenticated_client.post("account/email", {"email": email})

    assert_error_envelope(response, 400)
    assert mail.outbox == []


def test_a_display_name_with_a_line_break_is_refused(api_client):
    response = api_client.api("PATCH", "me", {"display_name": "Ada\r\nBcc: eve@example.com"})

    assert_error_envelope(response, 400)
    assert response.json()["errors"][0]["param"] == "display_name"


def test_markup_in_a_new_address_does_not_become_a_link_in_the_mail_to_the_old_one(reauthenticated_client):
    # A valid address: a quoted local part may hold markup (with "/" where a space would not be allowed).
    crafted = '"<a/href=https://evil.example/reset>reset</a>"@example.com'

    response = reauthenticated_client.post("account/email", {"email": crafted})

    assert response.status_code == 200, response.content
    [notice] = mails_to(EMAIL)
    [(html, _mimetype)] = notice.alternatives
    assert "<a/href=https://evil.example" not in html
    assert "&lt;a/href=https://evil.example/reset&gt;" in html
    assert [link for link in re.findall(r'href="([^"]+)"', html) if not link.startswith(FRONTEND)] == []


def test_a_crafted_user_agent_shows_as_text_in_notices(reauthenticated_client):
    agent = '<a href="https://evil.example/">Reset</a>\r\nBcc: eve@example.com'

    response = reauthenticated_client.post(
        "account/password/change",
        {"current_password": PASSWORD, "new_password": "Another-passphrase-7"},
        headers={"User-Agent": agent},
    )

    assert response.status_code == 200, response.content
    [notice] = mails_to(EMAIL)
    assert notice.message()["Bcc"] is None
    assert notice.recipients() == [EMAIL]
    for html, _mimetype in notice.alternatives:
        assert '<a href="https://evil.example/">' not in html


@pytest.mark.skipif("allauth.socialaccount" not in settings.INSTALLED_APPS, reason="this site has no social login")
@pytest.mark.parametrize(
    "callback_url",
    ["/\r\nSet-Cookie: pwned=1", "https://evil.example/", "//evil.example/", "javascript:alert(1)", "/%0d%0aX: y"],
)
def test_a_crafted_callback_url_neither_injects_headers_nor_redirects_elsewhere(db, callback_url):
    browser = HeadlessClient("browser")
    response = browser.http.post(
        browser.url("auth/provider/redirect"),
        {"provider": "github", "process": "login", "callback_url": callback_url},
        headers={"X-CSRFToken": browser.csrf_token()},
    )

    assert response.status_code < 500
    location = response.get("Location", "")
    assert "\r" not in location and "\n" not in location
    assert "pwned" not in response.cookies
    assert "evil.example" not in location and not location.startswith("javascript:")
