"""Export and deletion for a user with a second factor: deletion needs it, the export describes it without secrets."""

from allauth.mfa.models import Authenticator

from ..conftest import EMAIL, PASSWORD, HeadlessClient
from .conftest import totp_code


def logged_in_with_a_recovery_code(kind: str, totp_user) -> HeadlessClient:
    client = HeadlessClient(kind)
    assert client.post("auth/login", {"email": EMAIL, "password": PASSWORD}).status_code == 401
    # A recovery code logs in, so that this period's app code is still unused for the reauthentication.
    assert client.post("auth/2fa/authenticate", {"code": totp_user.recovery_codes[0]}).status_code == 200
    return client


def test_deletion_needs_the_second_factor_not_the_password(headless_client, totp_user, user):
    client = logged_in_with_a_recovery_code(headless_client.kind, totp_user)
    assert client.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200

    refused = client.api("DELETE", "me")

    assert refused.status_code == 401
    assert refused.json()["errors"][0]["code"] == "reauthentication_required"
    [flow] = refused.json()["data"]["flows"]
    assert flow["id"] == "mfa_reauthenticate"
    assert set(flow["types"]) == {"totp", "recovery_codes"}
    assert client.post("auth/2fa/reauthenticate", {"code": totp_code(totp_user.secret)}).status_code == 200
    assert client.api("DELETE", "me").status_code == 202
    user.refresh_from_db()
    assert not user.is_active


def test_the_export_accepts_either_reauthentication_and_describes_factors_without_secrets(
    headless_client, totp_user, user
):
    client = logged_in_with_a_recovery_code(headless_client.kind, totp_user)
    assert client.api("GET", "me/export").status_code == 401
    assert client.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200

    response = client.api("GET", "me/export")

    assert response.status_code == 200, response.content
    factors = {factor["type"]: factor for factor in response.json()["second_factors"]}
    assert factors.keys() == {"totp", "recovery_codes"}
    assert factors["recovery_codes"]["recovery_codes_left"] == len(totp_user.recovery_codes) - 1
    text = response.content.decode()
    assert totp_user.secret not in text
    assert not any(code in text for code in totp_user.recovery_codes)
    for authenticator in Authenticator.objects.filter(user=user):
        for value in authenticator.data.values():
            assert not isinstance(value, str) or value not in text
