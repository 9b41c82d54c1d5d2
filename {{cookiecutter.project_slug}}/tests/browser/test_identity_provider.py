"""Signing in to another site through this one: the provider's login page is the demo frontend's."""

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from ..test_identity_provider import pkce_pair
from .conftest import PASSWORD, PROJECT_DIR, log_in, log_out, sign_up

pytestmark = pytest.mark.browser


def register_client(site, callback: str) -> str:
    create = ["oidc_client", "create", "--name", "Client", "--redirect-uri", callback, "--skip-consent"]
    result = subprocess.run(
        [sys.executable, "manage.py", *create],
        cwd=PROJECT_DIR,
        env=site.environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(line.split("=", 1) for line in result.stdout.split())["OIDC_CLIENT_ID"]


def authorization_request(client_id: str, callback: str, **params: str) -> str:
    _verifier, challenge = pkce_pair()  # the client keeps the verifier; these tests stop at the code
    query = {
        "client_id": client_id,
        "redirect_uri": callback,
        "response_type": "code",
        "scope": "openid email",
        "state": "opaque-state",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **params,
    }
    return f"/identity/o/authorize?{urlencode(query)}"


class ClientCallback(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"the client")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def client_callback():
    """The client's redirect URI: a server on loopback (Chromium lets no test answer a redirect's target)."""
    server = HTTPServer(("127.0.0.1", 0), ClientCallback)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/callback"
    server.shutdown()


def callback_query(page, callback: str) -> dict[str, list[str]]:
    """The query of the redirect to the client."""
    page.wait_for_url(f"{callback}**")
    return parse_qs(urlsplit(page.url).query)


def test_a_signed_out_user_logs_in_on_the_frontend_and_the_client_gets_a_code(open_page, inbox, site, client_callback):
    client_id = register_client(site, client_callback)
    page = open_page()
    sign_up(page, inbox, "ada.oidc@example.com")
    log_out(page)

    page.goto(authorization_request(client_id, client_callback))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert urlsplit(page.url).path == "/account/login"
    page.get_by_label("Email").fill("ada.oidc@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()

    query = callback_query(page, client_callback)
    assert query["state"] == ["opaque-state"]
    assert query["code"][0]


def test_prompt_login_asks_a_signed_in_user_for_the_password_again(open_page, inbox, site, client_callback):
    client_id = register_client(site, client_callback)
    page = open_page()
    sign_up(page, inbox, "grace.oidc@example.com")

    page.goto(authorization_request(client_id, client_callback, prompt="login"))
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm", exact=True).click()

    assert callback_query(page, client_callback)["code"][0]


def test_the_login_page_opens_no_other_address_after_logging_in(open_page, inbox, site):
    page = open_page()
    sign_up(page, inbox, "barbara.oidc@example.com")
    log_out(page)

    page.goto("/account/login?" + urlencode({"next": "https://attacker.example/identity/o/authorize"}))
    log_in(page, "barbara.oidc@example.com")

    expect(page.get_by_role("heading", name="Hello")).to_be_visible()
    assert urlsplit(page.url).netloc == urlsplit(site.url).netloc
