"""MFA_TRUST_ENABLED: a browser may skip the second step for a while after one login with it."""

import pytest

from ..conftest import EMAIL, PASSWORD, HeadlessClient, pending_flow
from .conftest import totp_code


@pytest.fixture
def trust_enabled(routed_settings) -> None:
    routed_settings(MFA_TRUST_ENABLED=True)


def log_in(client: HeadlessClient):
    return client.post("auth/login", {"email": EMAIL, "password": PASSWORD})


@pytest.mark.parametrize("trust", [True, False])
def test_a_browser_trusted_after_its_code_skips_the_code_next_time(trust_enabled, totp_user, trust):
    browser = HeadlessClient("browser")
    log_in(browser)

    response = browser.post("auth/2fa/authenticate", {"code": totp_code(totp_user.secret)})

    assert pending_flow(response)["id"] == "mfa_trust"
    assert browser.post("auth/2fa/trust", {"trust": trust}).status_code == 200
    assert ("mfa_trusted" in browser.http.cookies) is trust
    assert browser.delete("auth/session").status_code == 401
    assert log_in(browser).status_code == (200 if trust else 401)


def test_the_app_client_is_never_trusted(trust_enabled, totp_user):
    app = HeadlessClient("app")
    log_in(app)

    assert app.post("auth/2fa/authenticate", {"code": totp_code(totp_user.secret)}).status_code == 200
    assert app.post("auth/2fa/trust", {"trust": True}).status_code == 404


def test_trust_is_off_unless_enabled(headless_client, totp_user):
    log_in(headless_client)

    assert headless_client.post("auth/2fa/authenticate", {"code": totp_code(totp_user.secret)}).status_code == 200
    assert headless_client.post("auth/2fa/trust", {"trust": True}).status_code == 404
