"""The demo frontend's account data screens: the export downloaded, the account deleted, then kept from the mail."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from .conftest import answer_reauthentication, fill_in_login, log_in, screenshot, sign_up

pytestmark = pytest.mark.browser

ANNIE = "annie@example.com"
EDITH = "edith@example.com"
RADIA = "radia@example.com"


def test_export_my_data_after_confirming_it_is_me(open_page, inbox):
    page = open_page()
    sign_up(page, inbox, ANNIE)
    page.get_by_role("link", name="Your data").click()

    with page.expect_download() as download:
        page.get_by_role("button", name="Export my data").click()
        answer_reauthentication(page)  # a login is not enough: the export asks for the password again

    assert download.value.suggested_filename == "account-export.json"
    exported = json.loads(download.value.path().read_text())
    assert exported["user"]["email"] == ANNIE
    assert [address["email"] for address in exported["email_addresses"]] == [ANNIE]
    assert {"email_confirmed", "login", "reauthenticated"} <= {event["kind"] for event in exported["security_events"]}
    expect(page.get_by_role("status")).to_have_text("Your data is saved as account-export.json.")

    # Within the reauthentication's few minutes, a second export asks nothing.
    with page.expect_download() as again:
        page.get_by_role("button", name="Export my data").click()
    assert json.loads(again.value.path().read_text())["user"]["email"] == ANNIE


def test_delete_my_account_then_keep_it_from_the_mail(open_page, inbox):
    page = open_page()
    sign_up(page, inbox, EDITH)
    elsewhere = open_page()
    log_in(elsewhere, EDITH)
    expect(elsewhere.get_by_role("heading", name="Hello")).to_be_visible()

    page.get_by_role("link", name="Your data").click()
    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Delete your account")).to_be_focused()
    confirmation = page.get_by_label(f"Type {EDITH} to confirm")
    confirmation.fill("someone@example.com")
    page.get_by_role("button", name="Delete my account").click()
    expect(confirmation).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("group", name="Confirm it is you")).to_have_count(0)  # nothing was asked of the API
    screenshot(page, "delete-account")
    confirmation.fill(EDITH)
    page.get_by_role("button", name="Delete my account").click()
    answer_reauthentication(page)

    expect(page.get_by_role("heading", name="Your account is closed")).to_be_visible()
    delete_after = datetime.fromisoformat(page.locator("time").get_attribute("datetime"))
    assert timedelta(days=1) < delete_after - datetime.now(UTC)
    expect(page.get_by_role("navigation").get_by_role("link", name="Log in")).to_be_visible()  # logged out here
    elsewhere.reload()
    expect(elsewhere.get_by_role("heading", name="Log in")).to_be_visible()  # and everywhere else
    log_in(elsewhere, EDITH)
    expect(elsewhere.get_by_role("alert").filter(has_text="This account is closed")).to_be_visible()

    cancel_link = inbox.link(EDITH, "ACCOUNT_DELETION_CANCEL_URL")
    page.goto(cancel_link)
    expect(page.get_by_role("heading", name="Keep your account?")).to_be_visible()
    page.get_by_role("button", name="Keep my account").click()
    expect(page.get_by_role("heading", name="Your account is kept")).to_be_visible()
    screenshot(page, "account-kept")
    page.get_by_role("main").get_by_role("link", name="Log in").click()
    fill_in_login(page, EDITH)
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()
    page.get_by_role("link", name="Security events").click()
    expect(page.get_by_role("row").nth(2).get_by_role("cell").first).to_have_text("Account deletion cancelled")
    expect(page.get_by_role("row", name=re.compile("^Account deletion requested: to be deleted on "))).to_be_visible()

    # The link works once.
    page.goto(cancel_link)
    page.get_by_role("button", name="Keep my account").click()
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    expect(page.get_by_text("This link is not valid")).to_be_visible()


def test_a_link_the_site_did_not_make_keeps_nothing(open_page):
    page = open_page()
    page.goto("/account/delete/cancel/not-a-key")
    page.get_by_role("button", name="Keep my account").click()

    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()


def test_keep_my_account_by_leaving_the_confirmation(open_page, inbox):
    page = open_page()
    sign_up(page, inbox, RADIA)
    page.goto("/account/delete")

    page.get_by_role("link", name="Keep my account").click()

    expect(page.get_by_role("heading", name="Hello")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()
