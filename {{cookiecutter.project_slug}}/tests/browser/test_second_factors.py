"""An authenticator app set up from the QR code in the demo frontend, recovery codes, and logins with either."""

import re
import subprocess
import sys
import time

import pyotp
import pytest
from playwright.sync_api import expect

from .conftest import PROJECT_DIR, answer_reauthentication, fill_in_login, log_in, log_out, screenshot, sign_up

pytestmark = pytest.mark.browser

DOROTHY = "dorothy@example.com"
STAFF = "margaret@example.com"


def set_up_authenticator_app(page) -> pyotp.TOTP:
    """Turns on an authenticator app from the account screen, as its user does; returns the app."""
    page.get_by_role("link", name="Two-factor authentication").click()
    page.get_by_role("button", name="Set up an authenticator app").click()
    qr_code = page.get_by_role("img", name="QR code")
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("image => image.decode().then(() => image.naturalWidth)") > 0
    totp = pyotp.TOTP(page.locator("code.secret").inner_text())
    screenshot(page, "authenticator-app")
    page.get_by_label("Code shown by the app").fill(totp.now())
    page.get_by_role("button", name="Turn on").click()
    answer_reauthentication(page)
    expect(page.get_by_role("status")).to_contain_text("The authenticator app is on")
    return totp


def test_set_up_an_authenticator_app_then_log_in_with_a_code_and_with_a_recovery_code(open_page, inbox):
    page = open_page()
    sign_up(page, inbox, DOROTHY)

    totp = set_up_authenticator_app(page)

    page.get_by_role("button", name="Show the recovery codes").click()
    unused_codes = page.get_by_role("list", name="Unused recovery codes").get_by_role("listitem")
    expect(unused_codes.first).to_be_visible()
    codes = unused_codes.all_inner_texts()
    assert len(codes) > 1
    screenshot(page, "recovery-codes")

    log_out(page)
    log_in(page, DOROTHY)
    expect(page.get_by_role("heading", name="Second step")).to_be_visible()
    screenshot(page, "second-step")
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Code from your authenticator app")).to_have_attribute("aria-invalid", "true")
    # The code just used is spent; the site accepts one of the next period too (MFA_TOTP_TOLERANCE=1).
    page.get_by_label("Code from your authenticator app").fill(totp.at(time.time() + totp.interval))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()
    login_steps = page.get_by_role("region", name="This session").get_by_role("listitem")
    expect(login_steps).to_have_text([re.compile("^password, "), re.compile("^code from the authenticator app, ")])

    log_out(page)
    log_in(page, DOROTHY)
    page.get_by_label("Code from your authenticator app").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(login_steps).to_have_text([re.compile("^password, "), re.compile("^recovery code, ")])


def test_staff_open_the_admin_through_the_frontends_login_and_second_step(open_page, inbox, site):
    page = open_page()
    sign_up(page, inbox, STAFF)
    totp = set_up_authenticator_app(page)
    make_administrator(site, STAFF)
    log_out(page)

    page.goto("/admin/accounts/user/")
    expect(page).to_have_url(re.compile(r"/account/login\?next=/admin/accounts/user/$"))
    fill_in_login(page, STAFF)
    page.get_by_label("Code from your authenticator app").fill(totp.at(time.time() + totp.interval))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Select user to change")).to_be_visible()
    assert page.url == f"{site.url}/admin/accounts/user/"


def make_administrator(site, address: str) -> None:
    """Gives the account of ``address`` the whole admin, in the site's database."""
    code = (
        "from accounts.models import User; "
        f"User.objects.filter(email={address!r}).update(is_staff=True, is_superuser=True)"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=PROJECT_DIR,
        env=site.environ,
        check=True,
        capture_output=True,
    )
