"""Deleting an account with a second factor: the demo frontend asks for a code, as the API does, not the password."""

import pytest
from playwright.sync_api import expect

from .conftest import sign_up
from .test_second_factors import set_up_authenticator_app

pytestmark = pytest.mark.browser

HEDY = "hedy@example.com"


def test_delete_an_account_with_an_authenticator_app_after_a_recovery_code(open_page, inbox):
    page = open_page()
    sign_up(page, inbox, HEDY)
    set_up_authenticator_app(page)
    page.get_by_role("button", name="Show the recovery codes").click()
    recovery_code = page.get_by_role("list", name="Unused recovery codes").get_by_role("listitem").first.inner_text()

    page.goto("/account/delete")
    page.get_by_label(f"Type {HEDY} to confirm").fill(HEDY)
    page.get_by_role("button", name="Delete my account").click()

    # The password confirmed moments ago is not enough to delete an account that has a second factor.
    question = page.get_by_role("group", name="Confirm it is you")
    expect(question.get_by_label("Code from your authenticator app, or a recovery code")).to_be_focused()
    expect(question.get_by_label("Password")).to_have_count(0)
    question.get_by_label("Code from your authenticator app, or a recovery code").fill(recovery_code)
    question.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.get_by_role("heading", name="Your account is closed")).to_be_visible()
    inbox.link(HEDY, "ACCOUNT_DELETION_CANCEL_URL")
