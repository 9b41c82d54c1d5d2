"""Codes by mail in the demo frontend: signing up, logging in, resetting the password and changing the address.

The site runs with ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED,
ACCOUNT_LOGIN_BY_CODE_ENABLED and ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED on;
each code is read from the mail the SMTP server received.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD, answer_reauthentication, log_in, log_out, screenshot, start_site

pytestmark = pytest.mark.browser

EVE = "eve@example.com"
FRANCES = "frances@example.com"
KATHERINE = "katherine@example.com"
MARGARET = "margaret@example.com"
MARY = "mary@example.com"
NOBODY = "nobody@example.com"
NEW_PASSWORD = "Another-staple-battery-7"
CODES_BY_MAIL = {
    "ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED": "on",
    "ACCOUNT_LOGIN_BY_CODE_ENABLED": "on",
    "ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED": "on",
}


# This module's own site, stopped after its last test: the other browser tests need the links.
@pytest.fixture(scope="module")
def site(inbox, django_db_setup, tmp_path_factory):
    started = start_site(inbox, tmp_path_factory, **CODES_BY_MAIL)
    yield started
    started.stop()


def another(code: str) -> str:
    return ("B" if code[0] == "C" else "C") + code[1:]


def enter_code(page, code: str) -> None:
    page.get_by_label("Code from the mail").fill(code)
    page.get_by_role("button", name="Continue").click()


def expect_code_refused(page, message: str | re.Pattern) -> None:
    field = page.get_by_label("Code from the mail")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile(message) if isinstance(message, str) else message)


def sign_up_with_code(page, inbox, address: str) -> None:
    page.goto("/account/signup")
    page.get_by_label("Email").fill(address)
    if page.get_by_label("Username").count():
        page.get_by_label("Username").fill(address.split("@")[0])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    enter_code(page, inbox.code(address))
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()


def ask_for_login_code(page, address: str) -> None:
    page.goto("/account/login")
    page.get_by_role("link", name="Mail me a code to log in instead").click()
    page.get_by_label("Email").fill(address)
    page.get_by_role("button", name="Mail me a code").click()
    expect(page.get_by_role("heading", name="Enter the code")).to_be_visible()
    status = f"If an account uses {address}, a code to log in is on its way there."
    expect(page.get_by_role("status")).to_have_text(status)


def test_sign_up_with_a_code_and_log_in_with_one(open_page, inbox):
    page = open_page()
    page.goto("/account/signup")
    page.get_by_label("Email").fill(EVE)
    if page.get_by_label("Username").count():
        page.get_by_label("Username").fill("eve")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    code = inbox.code(EVE)
    enter_code(page, another(code))
    expect_code_refused(page, "Incorrect code")
    screenshot(page, "code-refused")
    enter_code(page, code.lower().replace("-", ""))
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(f"{EVE} is confirmed.")

    log_out(page)
    ask_for_login_code(page, EVE)
    screenshot(page, "login-code")
    first = inbox.code(EVE)
    page.get_by_role("button", name="Mail me a new code").click()
    expect(page.get_by_role("status")).to_have_text("A new code is on its way; the one before no longer works.")
    enter_code(page, first)
    expect_code_refused(page, "Incorrect code")
    enter_code(page, inbox.code(EVE))
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()
    login_steps = page.get_by_role("region", name="This session").get_by_role("listitem")
    expect(login_steps).to_have_text([re.compile("^code by mail, ")])


def test_too_many_wrong_codes_end_the_login(open_page, inbox):
    page = open_page()
    sign_up_with_code(page, inbox, FRANCES)
    log_out(page)
    ask_for_login_code(page, FRANCES)
    code = inbox.code(FRANCES)

    for _ in range(2):
        enter_code(page, another(code))
        expect_code_refused(page, "Incorrect code")
    enter_code(page, another(code))
    expect_code_refused(page, "That was the last try for this code. Start over with a new code.")
    enter_code(page, code)
    expect_code_refused(page, "This code has expired, or too many wrong codes were tried. Start over with a new code.")
    screenshot(page, "code-ended")

    page.get_by_role("link", name="Start over with a new code").click()
    page.get_by_label("Email").fill(FRANCES)
    page.get_by_role("button", name="Mail me a code").click()
    enter_code(page, inbox.code(FRANCES))
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()


def test_an_address_without_an_account_is_answered_as_one_with(open_page, inbox):
    page = open_page()
    ask_for_login_code(page, NOBODY)
    # Its mail says there is no account, and offers to sign up.
    inbox.link(NOBODY, "ACCOUNT_SIGNUP_URL")

    enter_code(page, "BCDF-GHJK")

    expect_code_refused(page, "Incorrect code")


def test_reset_the_password_with_a_code(open_page, inbox):
    page = open_page()
    sign_up_with_code(page, inbox, KATHERINE)
    log_out(page)

    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_text("We will mail you a code to choose a new password with.")).to_be_visible()
    page.get_by_label("Email").fill(KATHERINE)
    page.get_by_role("button", name="Mail me a code").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("a code to reset its password is on its way")
    code = inbox.code(KATHERINE)
    enter_code(page, another(code))
    expect_code_refused(page, "Incorrect code")
    enter_code(page, code)
    page.get_by_label("New password").fill("password")
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_label("New password")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_role("status")).to_have_text("Your new password is set. Log in with it.")
    screenshot(page, "password-reset-code")

    log_in(page, KATHERINE, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()


def test_change_the_address_with_a_code(open_page, inbox):
    page = open_page()
    sign_up_with_code(page, inbox, MARGARET)

    page.get_by_role("link", name="Email addresses").click()
    page.get_by_label("New email address").fill(MARY)
    page.get_by_role("button", name="Add").click()
    answer_reauthentication(page)
    expect(page.get_by_role("status")).to_have_text(f"We sent a code to {MARY}. Enter it below to confirm the address.")
    confirm = page.get_by_role("region", name=f"Confirm {MARY}")
    code = inbox.code(MARY)
    confirm.get_by_label("Code from the mail").fill(another(code))
    confirm.get_by_role("button", name="Continue").click()
    expect(confirm.get_by_label("Code from the mail")).to_have_accessible_description(re.compile("Incorrect code"))
    confirm.get_by_label("Code from the mail").fill(code)
    confirm.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("status")).to_have_text(f"{MARY} is confirmed, and is now your address.")
    expect(page.get_by_role("row", name=re.compile(f"{MARY} primary, confirmed"))).to_be_visible()
