"""The security events screen: what the person did in the browser, newest first, a page at a time."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD, fill_in_login, log_out, screenshot, sign_up, start_site

pytestmark = pytest.mark.browser

JOAN = "joan@example.com"
HEADLESS = "/_allauth/browser/v1"


# This module's own site: its many logins count against its own rate limits, not those of the other tests.
@pytest.fixture(scope="module")
def site(inbox, django_db_setup, tmp_path_factory):
    started = start_site(inbox, tmp_path_factory)
    yield started
    started.stop()


def log_out_and_in_by_api(page, times: int) -> None:
    """Logs out and in through the headless API in the page's own session, as the frontend does: two events each."""
    login = {"email": JOAN, "password": PASSWORD}
    for _ in range(times):
        for method, path, body in [("DELETE", "auth/session", None), ("POST", "auth/login", login)]:
            # Each login makes a new CSRF token: read the cookie afresh.
            [token] = [cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken"]
            response = page.request.fetch(
                f"{HEADLESS}/{path}", method=method, data=body, headers={"X-CSRFToken": token}
            )
            assert response.status in (200, 401), response.text()


def test_the_events_of_the_account_are_listed_newest_first_a_page_at_a_time(open_page, inbox):
    page = open_page()
    sign_up(page, inbox, JOAN)  # the address confirmed, and the login that brings
    log_out_and_in_by_api(page, 9)
    page.goto("/account")
    log_out(page)
    fill_in_login(page, JOAN, "not the password")
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
    fill_in_login(page, JOAN)

    page.get_by_role("link", name="Security events").click()

    expect(page.get_by_role("heading", name="Security events")).to_be_focused()
    expect(page.get_by_text("Page 1 of 2, 23 events")).to_be_visible()
    rows = page.get_by_role("row")
    expect(rows).to_have_count(21)  # the header and a page of 20
    newest = rows.nth(1)
    expect(newest.get_by_role("cell").nth(0)).to_have_text("Logged in with the password")
    expect(newest.get_by_role("cell").nth(2)).to_have_text("127.0.0.1")
    user_agent = page.evaluate("navigator.userAgent")
    expect(newest.get_by_role("cell").nth(3)).to_have_text(f"Browser{user_agent}")
    at = datetime.fromisoformat(newest.locator("time").get_attribute("datetime"))
    assert timedelta(0) <= datetime.now(UTC) - at < timedelta(minutes=5)
    expect(rows.nth(2).get_by_role("cell").first).to_have_text("Wrong password")
    expect(rows.nth(3).get_by_role("cell").first).to_have_text("Logged out")
    screenshot(page, "security-events")

    page.get_by_role("link", name="Older events").click()
    expect(page).to_have_url(re.compile(r"/account/events\?page=2$"))
    expect(page.get_by_text("Page 2 of 2, 23 events")).to_be_visible()
    expect(rows).to_have_count(4)
    expect(rows.nth(1).get_by_role("cell").first).to_have_text("Logged out")
    expect(rows.nth(2).get_by_role("cell").first).to_have_text("Logged in by confirming the address")
    expect(rows.nth(3).get_by_role("cell").first).to_have_text(f"Email address verified: {JOAN}")
    expect(page.get_by_role("link", name="Older events")).to_have_count(0)

    page.get_by_role("link", name="Newer events").click()
    expect(page.get_by_text("Page 1 of 2, 23 events")).to_be_visible()

    # A page that is no number gets the API's error, and a way back.
    page.goto("/account/events?page=x")
    expect(page.get_by_role("alert")).to_contain_text("This page of events cannot be shown: Input should be")
    page.get_by_role("link", name="Show the newest events").click()
    expect(page.get_by_text("Page 1 of 2, 23 events")).to_be_visible()
