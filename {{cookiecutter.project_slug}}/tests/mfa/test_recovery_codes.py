"""Recovery codes: made with the first factor, shown again after reauthentication, each good for one login."""

import pytest

from ..conftest import EMAIL, PASSWORD, HeadlessClient, mails_to
from .conftest import totp_code

RECOVERY_CODES = "account/authenticators/recovery-codes"


def log_in_with(client: HeadlessClient, code: str):
    assert client.post("auth/login", {"email": EMAIL, "password": PASSWORD}).status_code == 401
    return client.post("auth/2fa/authenticate", {"code": code})


def test_setting_up_an_app_gives_ten_codes(totp_user):
    codes = totp_user.recovery_codes

    assert len(set(codes)) == 10
    assert all(len(code) == 8 and code.isdigit() for code in codes)


def test_the_codes_are_shown_again_after_reauthentication(headless_client, totp_user):
    assert log_in_with(headless_client, totp_code(totp_user.secret)).status_code == 200
    assert headless_client.get(RECOVERY_CODES).status_code == 401
    assert headless_client.post("auth/2fa/reauthenticate", {"code": totp_user.recovery_codes[0]}).status_code == 200

    data = headless_client.get(RECOVERY_CODES).json()["data"]

    assert data["total_code_count"] == 10
    assert data["unused_codes"] == totp_user.recovery_codes[1:]


def test_a_code_completes_one_login_only(headless_client, totp_user):
    code = totp_user.recovery_codes[0]

    assert log_in_with(headless_client, code).status_code == 200

    again = HeadlessClient(headless_client.kind)
    reused = log_in_with(again, code)
    assert reused.status_code == 400
    assert reused.json()["errors"][0]["code"] == "incorrect_code"
    assert again.post("auth/2fa/authenticate", {"code": totp_user.recovery_codes[1]}).status_code == 200


# The notice is sent once the new set is committed, which the test's usual transaction never is.
@pytest.mark.django_db(transaction=True)
def test_a_new_set_replaces_the_old_one(headless_client, totp_user):
    old = totp_user.recovery_codes
    assert log_in_with(headless_client, old[0]).status_code == 200
    assert headless_client.post("auth/2fa/reauthenticate", {"code": old[1]}).status_code == 200

    response = headless_client.post(RECOVERY_CODES)

    assert response.status_code == 200, response.content
    new = response.json()["data"]["unused_codes"]
    assert len(new) == 10
    assert set(new).isdisjoint(old)
    [notice] = mails_to(EMAIL)
    assert "A new set of recovery codes" in notice.body
    assert "A new set of recovery codes" in notice.alternatives[0][0]
    again = HeadlessClient(headless_client.kind)
    assert log_in_with(again, old[2]).status_code == 400
    assert again.post("auth/2fa/authenticate", {"code": new[0]}).status_code == 200


def test_there_are_no_codes_without_another_factor(reauthenticated_client):
    assert reauthenticated_client.get(RECOVERY_CODES).status_code == 404

    response = reauthenticated_client.post(RECOVERY_CODES)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "cannot_generate_recovery_codes"
