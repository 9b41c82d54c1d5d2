"""Signing in to another site through this one's OpenID Connect provider asks for the second factor too."""

from ..conftest import EMAIL, PASSWORD, HeadlessClient, pending_flow
from ..test_identity_provider import AUTHORIZE, Authorization, exchange, query, register, submit
from .conftest import totp_code


def test_the_provider_waits_for_the_second_factor_before_it_asks_for_consent(totp_user, settings):
    settings.LOGIN_URL = settings.FRONTEND_URLS["LOGIN_URL"]
    relying_party = register()
    authorization = Authorization(relying_party["OIDC_CLIENT_ID"])
    browser = HeadlessClient("browser")
    next_url = query(browser.http.get(authorization.path)["Location"])["next"]

    password_only = browser.post("auth/login", {"email": EMAIL, "password": PASSWORD})
    assert pending_flow(password_only)["id"] == "mfa_authenticate"
    still_signed_out = browser.http.get(next_url)
    assert still_signed_out.status_code == 302
    assert still_signed_out["Location"].startswith(settings.FRONTEND_URLS["LOGIN_URL"])

    assert browser.post("auth/2fa/authenticate", {"code": totp_code(totp_user.secret)}).status_code == 200
    consent = browser.http.get(next_url)
    code = authorization.code_from(submit(browser, consent, AUTHORIZE, "grant"))

    assert exchange(relying_party, code, authorization.verifier).status_code == 200
