"""A person's whole journey through the demo frontend, by mail links and the keyboard, as far as passwords go."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD, answer_reauthentication, fill_in_login, log_in, log_out, screenshot, sign_up

pytestmark = pytest.mark.browser

# Each test has its own people: the site's database may outlive a test (a SQLite file of its own).
ADA = "ada@example.com"
BARBARA = "barbara@example.com"
CHARLES = "charles@example.com"
GRACE = "grace@example.com"
HOPPER = "hopper@example.com"
LOVELACE = "lovelace@example.com"
NEW_PASSWORD = "Another-staple-battery-7"


def test_sign_up_confirm_the_address_log_out_and_in(open_page, inbox):
    page = open_page()
    page.goto("/")
    expect(page.get_by_role("heading", name="Log in")).to_be_focused()
    screenshot(page, "log-in")

    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Email").fill(ADA)
    if page.get_by_label("Username").count():
        page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Sign up", exact=True).click()
    # The API's error stands next to the field it concerns, and the focus moves there.
    password = page.get_by_label("Password")
    expect(password).to_be_focused()
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile("too short"))
    screenshot(page, "sign-up-error")

    password.fill(PASSWORD)
    password.press("Enter")
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    page.goto(inbox.link(ADA, "EMAIL_VERIFICATION_URL"))
    expect(page.get_by_text(f"Confirm that {ADA} is your address")).to_be_visible()
    page.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(f"{ADA} is confirmed.")
    screenshot(page, "account")

    log_out(page)

    # By keyboard alone: the focus starts at the heading, Tab reaches each field, Enter submits.
    page.keyboard.press("Tab")
    page.keyboard.type(ADA)
    page.keyboard.press("Tab")
    page.keyboard.type("wrong password")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Password")).to_be_focused()
    expect(page.get_by_label("Password")).to_have_accessible_description(re.compile("not correct"))
    log_in(page, ADA)
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()


def test_change_the_password_and_reset_a_forgotten_one(open_page, inbox):
    page = open_page()
    sign_up(page, inbox, BARBARA)

    page.goto("/account/password/change")
    page.get_by_label("Current password").fill("not it")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change the password").click()
    expect(page.get_by_label("Current password")).to_have_accessible_description(re.compile("."))
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("button", name="Change the password").click()
    expect(page.get_by_role("status")).to_have_text("Your password is changed.")
    page.goto(inbox.link(BARBARA, "PASSWORD_CHANGED_URL"))
    expect(page.get_by_role("heading", name="Your password was changed")).to_be_visible()

    log_out(page)
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(BARBARA)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("status")).to_contain_text("on its way")
    page.goto(inbox.link(BARBARA, "PASSWORD_RESET_URL"))
    page.get_by_label("New password").fill("password")
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_label("New password")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "password-reset")
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_role("status")).to_contain_text("Your new password is set")

    log_in(page, BARBARA, PASSWORD)
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()


def test_change_the_address_cancel_a_change_and_end_other_sessions(open_page, inbox):
    page = open_page()
    sign_up(page, inbox, CHARLES)

    page.get_by_role("link", name="Email addresses").click()
    page.get_by_label("New email address").fill(GRACE)
    page.get_by_role("button", name="Add").click()
    # The question can be declined; the change is then not made.
    page.get_by_role("group", name="Confirm it is you").get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("group", name="Confirm it is you")).to_be_hidden()
    expect(page.get_by_role("cell", name=GRACE)).to_have_count(0)
    page.get_by_role("button", name="Add").click()
    answer_reauthentication(page)
    expect(page.get_by_role("status")).to_contain_text(f"We sent a link to {GRACE}")
    screenshot(page, "email-addresses")
    page.goto(inbox.link(GRACE, "EMAIL_CHANGE_CONFIRMATION_URL"))
    page.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(f"{GRACE} is confirmed.")
    page.goto("/account/email")
    expect(page.get_by_role("row", name=re.compile(f"{GRACE} primary, confirmed"))).to_be_visible()

    # Someone else (here: ada herself) asks for another change; the current address can cancel it.
    page.get_by_label("New email address").fill(HOPPER)
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("status")).to_contain_text(f"We sent a link to {HOPPER}")
    page.goto(inbox.link(GRACE, "EMAIL_CHANGE_CANCEL_URL"))
    page.get_by_role("button", name=f"Cancel the change to {HOPPER}").click()
    expect(page.get_by_role("status")).to_contain_text("cancelled")
    page.goto("/account/email")
    expect(page.get_by_role("cell", name=HOPPER)).to_have_count(0)

    elsewhere = open_page()
    log_in(elsewhere, GRACE)
    expect(elsewhere.get_by_role("heading", name="Hello")).to_be_visible()

    page.goto("/account/sessions")
    expect(page.get_by_role("row")).to_have_count(3)  # the header, this session and the other
    screenshot(page, "sessions")
    page.get_by_role("button", name="End all other sessions").click()
    expect(page.get_by_role("status")).to_have_text("Ended 1 session.")
    # The other page still shows its account; a screen opened from there finds the session ended and asks
    # for a login.
    elsewhere.get_by_role("link", name="Sessions").click()
    expect(elsewhere.get_by_role("heading", name="Log in")).to_be_visible()


def test_unknown_routes_and_failed_provider_logins_get_a_screen(open_page):
    page = open_page()
    page.goto("/account/no-such-screen")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.goto("/account/provider/callback?error=cancelled")
    expect(page.get_by_role("heading", name="Login with the provider failed")).to_be_visible()
    page.goto("/account/verify-email/not-a-key")
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()


def test_after_logging_in_the_login_screen_opens_the_page_of_this_site_that_sent_the_user(open_page, inbox, site):
    page = open_page()
    sign_up(page, inbox, LOVELACE)
    log_out(page)

    page.goto("/account/login?next=//attacker.example/admin/")
    fill_in_login(page, LOVELACE)
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()
    assert page.url.startswith(site.url)
    log_out(page)

    # The admin sends a signed-out visitor to the frontend's login screen, which opens it again afterwards.
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/account/login\?next=/admin/$"))
    fill_in_login(page, LOVELACE)
    expect(page.get_by_role("heading", name="The admin is closed to this account")).to_be_visible()
    expect(page.get_by_text("which is not a staff account")).to_be_visible()
