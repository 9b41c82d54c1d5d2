"""The authenticator app (TOTP), with codes computed by pyotp: an independent RFC 6238 implementation,
as in the apps users scan the secret into."""

import pyotp
import pytest
from allauth.account import app_settings as account_settings
from django.conf import settings

from ..conftest import EMAIL, PASSWORD, HeadlessClient, flow_ids, mails_to, pending_flow
from ..test_reauthentication import age_authentication
from .conftest import totp_code

TOTP = "account/authenticators/totp"


def start_login(client: HeadlessClient):
    response = client.post("auth/login", {"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 401, response.content
    return response


def wrong_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def error_codes(response) -> list[str]:
    return [error["code"] for error in response.json()["errors"]]


def test_set_up_gives_a_secret_and_an_otpauth_url_that_apps_read(reauthenticated_client):
    response = reauthenticated_client.get(TOTP)

    assert response.status_code == 404  # No app yet: here is a secret for one.
    meta = response.json()["meta"]
    app = pyotp.parse_uri(meta["totp_url"])
    assert meta["totp_url"].startswith("otpauth://totp/")
    assert app.secret == meta["secret"]
    assert (app.name, app.issuer) == (EMAIL, settings.SITE_NAME)
    assert (app.digits, app.interval) == (6, 30)


# The notice is sent once the activation is committed, which the test's usual transaction never is.
@pytest.mark.django_db(transaction=True)
def test_a_code_from_the_app_activates_it(reauthenticated_client):
    secret = reauthenticated_client.get(TOTP).json()["meta"]["secret"]

    response = reauthenticated_client.post(TOTP, {"code": totp_code(secret)})

    assert response.status_code == 200, response.content
    assert response.json()["data"]["type"] == "totp"
    authenticators = reauthenticated_client.get("account/authenticators").json()["data"]
    assert {authenticator["type"] for authenticator in authenticators} == {"totp", "recovery_codes"}
    [notice] = mails_to(EMAIL)
    assert "An authenticator app was set up" in notice.body
    assert "An authenticator app was set up" in notice.alternatives[0][0]


def test_a_wrong_code_does_not_activate_it(reauthenticated_client):
    secret = reauthenticated_client.get(TOTP).json()["meta"]["secret"]

    response = reauthenticated_client.post(TOTP, {"code": wrong_code(totp_code(secret))})

    assert response.status_code == 400
    assert response.json()["errors"][0]["param"] == "code"
    assert error_codes(response) == ["incorrect_code"]
    assert reauthenticated_client.get("account/authenticators").json()["data"] == []


def test_activation_needs_a_recent_reauthentication(reauthenticated_client):
    secret = reauthenticated_client.get(TOTP).json()["meta"]["secret"]
    age_authentication(reauthenticated_client, account_settings.REAUTHENTICATION_TIMEOUT + 1)

    response = reauthenticated_client.post(TOTP, {"code": totp_code(secret)})

    assert response.status_code == 401
    assert "reauthenticate" in flow_ids(response)


def test_login_stops_for_a_code_and_completes_with_one(headless_client, totp_user):
    response = start_login(headless_client)

    flow = pending_flow(response)
    assert flow["id"] == "mfa_authenticate"
    assert set(flow["types"]) == {"totp", "recovery_codes"}
    assert headless_client.get("auth/session").status_code == 401

    response = headless_client.post("auth/2fa/authenticate", {"code": totp_code(totp_user.secret)})

    assert response.status_code == 200, response.content
    assert response.json()["data"]["user"]["email"] == EMAIL
    assert [method["method"] for method in response.json()["data"]["methods"]] == ["password", "mfa"]
    assert headless_client.get("auth/session").status_code == 200


@pytest.mark.parametrize(
    ("tolerance", "periods", "accepted"),
    [(0, -1, False), (0, 1, False), (1, -1, True), (1, 1, True), (1, -2, False), (1, 2, False)],
)
def test_codes_of_the_periods_around_count_only_within_the_tolerance(
    settings, headless_client, totp_user, tolerance, periods, accepted
):
    settings.MFA_TOTP_TOLERANCE = tolerance
    start_login(headless_client)

    response = headless_client.post("auth/2fa/authenticate", {"code": totp_code(totp_user.secret, periods)})

    assert (response.status_code == 200) is accepted, response.content


def test_a_code_is_accepted_only_once(settings, headless_client, totp_user):
    # With a tolerance of 1 the code stays valid in the next period too, so only its use can refuse it.
    settings.MFA_TOTP_TOLERANCE = 1
    code = totp_code(totp_user.secret)
    start_login(headless_client)
    assert headless_client.post("auth/2fa/authenticate", {"code": code}).status_code == 200

    again = HeadlessClient(headless_client.kind)
    start_login(again)
    reused = again.post("auth/2fa/authenticate", {"code": code})

    assert reused.status_code == 400
    assert error_codes(reused) == ["incorrect_code"]
    assert again.post("auth/2fa/authenticate", {"code": totp_code(totp_user.secret, 1)}).status_code == 200


def test_wrong_codes_count_against_the_login_rate_limit(headless_client, totp_user):
    start_login(headless_client)
    code = totp_code(totp_user.secret)
    for _attempt in range(5):
        response = headless_client.post("auth/2fa/authenticate", {"code": wrong_code(code)})
        assert error_codes(response) == ["incorrect_code"]

    response = headless_client.post("auth/2fa/authenticate", {"code": totp_code(totp_user.secret)})

    assert response.status_code == 400
    assert error_codes(response) == ["too_many_login_attempts"]


def test_a_code_of_the_wrong_type_is_a_400_naming_it(headless_client, totp_user):
    start_login(headless_client)

    response = headless_client.post("auth/2fa/authenticate", {"code": 123456})

    assert response.status_code == 400
    assert response.json()["errors"][0]["param"] == "code"


def test_sensitive_changes_accept_a_code_as_reauthentication(headless_client, totp_user):
    start_login(headless_client)
    # A recovery code logs in, so that this period's app code is still unused for the reauthentication.
    assert headless_client.post("auth/2fa/authenticate", {"code": totp_user.recovery_codes[0]}).status_code == 200

    blocked = headless_client.get("account/authenticators/recovery-codes")

    assert blocked.status_code == 401
    assert {"reauthenticate", "mfa_reauthenticate"} <= flow_ids(blocked)
    code = totp_code(totp_user.secret)
    assert headless_client.post("auth/2fa/reauthenticate", {"code": wrong_code(code)}).status_code == 400
    assert headless_client.post("auth/2fa/reauthenticate", {"code": code}).status_code == 200
    assert headless_client.get("account/authenticators/recovery-codes").status_code == 200


def test_removing_the_app_ends_the_second_step(headless_client, totp_user):
    start_login(headless_client)
    assert headless_client.post("auth/2fa/authenticate", {"code": totp_code(totp_user.secret)}).status_code == 200
    assert headless_client.delete(TOTP).status_code == 401
    assert headless_client.post("auth/2fa/reauthenticate", {"code": totp_user.recovery_codes[0]}).status_code == 200

    response = headless_client.delete(TOTP)

    assert response.status_code == 200, response.content
    assert headless_client.get("account/authenticators").json()["data"] == []
    [notice] = mails_to(EMAIL)
    assert "The authenticator app was removed" in notice.body
    again = HeadlessClient(headless_client.kind)
    assert again.post("auth/login", {"email": EMAIL, "password": PASSWORD}).status_code == 200
