"""A login by code stands for the password only: a user with a second factor is still asked for it."""

import pytest

from ..conftest import EMAIL, HeadlessClient, code_in_mail, pending_flow
from .conftest import totp_code


@pytest.fixture
def login_by_code(routed_settings) -> None:
    routed_settings(ACCOUNT_LOGIN_BY_CODE_ENABLED=True)


def log_in_by_code(client: HeadlessClient):
    assert client.post("auth/code/request", {"email": EMAIL}).status_code == 401
    return client.post("auth/code/confirm", {"code": code_in_mail(EMAIL)})


def test_the_second_factor_is_asked_for_after_the_code(login_by_code, headless_client, totp_user):
    response = log_in_by_code(headless_client)

    assert response.status_code == 401, response.content
    assert pending_flow(response) == {"id": "mfa_authenticate", "is_pending": True, "types": ["recovery_codes", "totp"]}
    assert headless_client.api("GET", "me").status_code == 401
    response = headless_client.post("auth/2fa/authenticate", {"code": totp_code(totp_user.secret)})
    assert response.status_code == 200, response.content
    assert [method["method"] for method in response.json()["data"]["methods"]] == ["code", "mfa"]


def test_a_browser_trusted_after_the_second_factor_skips_it_at_the_next_login_by_code(routed_settings, totp_user):
    routed_settings(ACCOUNT_LOGIN_BY_CODE_ENABLED=True, MFA_TRUST_ENABLED=True)
    browser = HeadlessClient("browser")
    log_in_by_code(browser)
    response = browser.post("auth/2fa/authenticate", {"code": totp_code(totp_user.secret)})
    assert pending_flow(response)["id"] == "mfa_trust"
    assert browser.post("auth/2fa/trust", {"trust": True}).status_code == 200
    assert browser.delete("auth/session").status_code == 401

    response = log_in_by_code(browser)

    assert response.status_code == 200, response.content
