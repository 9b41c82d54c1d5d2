"""Passkeys in the demo frontend, made and used by Chromium's virtual authenticator."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import answer_reauthentication, log_out, screenshot, sign_up

pytestmark = pytest.mark.browser

EDSGER = "edsger@example.com"


def test_add_a_passkey_then_log_in_with_it_alone(open_page, inbox):
    page = open_page()
    add_passkey_authenticator(page)
    sign_up(page, inbox, EDSGER)

    page.goto("/account/security")
    page.get_by_label("Name of the new passkey").fill("Laptop")
    page.get_by_role("button", name="Add a passkey").click()
    answer_reauthentication(page)
    expect(page.get_by_role("status")).to_have_text("The passkey Laptop is added.")
    expect(page.get_by_role("listitem").filter(has_text="Laptop, added")).to_be_visible()
    screenshot(page, "passkeys")

    log_out(page)
    page.get_by_role("button", name="Log in with a passkey").click()
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()
    login_steps = page.get_by_role("region", name="This session").get_by_role("listitem")
    expect(login_steps).to_have_text([re.compile("^passkey, ")])


def add_passkey_authenticator(page) -> None:
    """Chromium's virtual authenticator (DevTools WebAuthn domain): a platform authenticator that verifies its user."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable", {"enableUI": False})
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    devtools.send("WebAuthn.addVirtualAuthenticator", {"options": options})
