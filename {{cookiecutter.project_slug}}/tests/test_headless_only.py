"""HEADLESS_ONLY decides whether allauth's own pages exist and where unset mail links point."""

import pytest
from django.test import Client

from .conftest import EMAIL, mails_to

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
    settings.FRONTEND_URLS = {**settings.FRONTEND_URLS, "PASSWORD_RESET_URL": None}

    headless_client.post("auth/password/request", {"email": EMAIL})

    [message] = mails_to(EMAIL)
    link = next(word for word in message.body.split() if "/accounts/password/reset/key/" in word)
    assert link.startswith("http://testserver/accounts/password/reset/key/")
    assert Client().get(link).status_code in (200, 302)


def test_with_login_by_code_allauths_page_for_it_exists_only_without_headless_only(headless_only, routed_settings, db):
    routed_settings(ACCOUNT_LOGIN_BY_CODE_ENABLED=True)

    status = Client().get("/accounts/login/code/").status_code

    assert status == (404 if headless_only else 200)
