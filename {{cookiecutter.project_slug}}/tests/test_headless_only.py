"""HEADLESS_ONLY decides whether allauth's own pages exist and where unset mail links point."""

import pytest
from django.test import Client

from accounts import frontend_urls

from .conftest import EMAIL, PASSWORD, mails_to, username_if_any

ACCOUNT_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]


@pytest.mark.parametrize("page", ACCOUNT_PAGES)
def test_account_pages_exist_only_without_headless_only(headless_only, page, db):
    status = Client().get(page).status_code

    assert status == (404 if headless_only else 200)


def test_the_headless_api_is_served_either_way(headless_only, headless_client, db):
    assert headless_client.get("config").status_code == 200


def test_a_configured_frontend_url_is_used_either_way(headless_only, headless_client, user):
    headless_client.post("auth/password/request", {"email": EMAIL})

    [message] = mails_to(EMAIL)
    assert "https://app.example.com/account/password/reset/" in message.body


@pytest.mark.parametrize("headless_only", [False], indirect=True, ids=["with_account_pages"])
def test_without_headless_only_an_unset_url_falls_back_to_allauths_page(headless_only, settings, headless_client, user):
    unset(settings, "PASSWORD_RESET_URL")

    headless_client.post("auth/password/request", {"email": EMAIL})

    [message] = mails_to(EMAIL)
    link = next(word for word in message.body.split() if "/accounts/password/reset/key/" in word)
    assert link.startswith("http://testserver/accounts/password/reset/key/")
    assert Client().get(link).status_code in (200, 302)


@pytest.mark.parametrize("headless_only", [False], indirect=True, ids=["with_account_pages"])
def test_without_headless_only_an_unset_url_that_allauth_fills_falls_back_to_its_page(
    headless_only, settings, headless_client, db
):
    unset(settings, "EMAIL_VERIFICATION_URL")

    headless_client.post("auth/signup", {"email": EMAIL, "password": PASSWORD, **username_if_any()})

    [message] = mails_to(EMAIL)
    link = next(word for word in message.body.split() if "/accounts/confirm-email/" in word)
    assert link.startswith("http://testserver/accounts/confirm-email/")
    assert Client().get(link).status_code == 200


@pytest.mark.parametrize("headless_only", [False], indirect=True, ids=["with_account_pages"])
def test_without_headless_only_an_unset_notice_link_falls_back_to_allauths_page(
    headless_only, settings, logged_in_client
):
    unset(settings, "PASSWORD_CHANGED_URL")

    logged_in_client.post(
        "account/password/change", {"current_password": PASSWORD, "new_password": "Another-long-passphrase-4"}
    )

    [notice] = mails_to(EMAIL)
    assert "http://testserver/accounts/password/change/" in notice.body


def test_with_login_by_code_allauths_page_for_it_exists_only_without_headless_only(headless_only, routed_settings, db):
    routed_settings(ACCOUNT_LOGIN_BY_CODE_ENABLED=True)

    status = Client().get("/accounts/login/code/").status_code

    assert status == (404 if headless_only else 200)


def unset(settings, setting: str) -> None:
    """Leaves ``setting`` unset, as settings.py would with an empty environment variable."""
    settings.FRONTEND_URLS = {**settings.FRONTEND_URLS, setting: None}
    settings.HEADLESS_FRONTEND_URLS = frontend_urls.allauth_frontend_urls(settings.FRONTEND_URLS)
