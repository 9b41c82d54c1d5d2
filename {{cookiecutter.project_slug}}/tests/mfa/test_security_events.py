"""Security events of the authenticator app and recovery codes, each recorded by the flow that causes it."""

import pytest

from security_events.models import SecurityEvent

from ..conftest import EMAIL, PASSWORD, HeadlessClient
from ..test_security_events import events, kinds, latest
from .conftest import totp_code

TOTP = "account/authenticators/totp"
RECOVERY_CODES = "account/authenticators/recovery-codes"

# allauth announces a new authenticator app or set of codes once it is committed, which the usual test
# transaction never is.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_log(totp_user, user):
    """``totp_user``, with the events of setting it up forgotten, so that a test sees only its own."""
    SecurityEvent.objects.filter(user=user).delete()
    return totp_user


def log_in_with_second_factor(client: HeadlessClient, code: str):
    assert client.post("auth/login", {"email": EMAIL, "password": PASSWORD}).status_code == 401
    return client.post("auth/2fa/authenticate", {"code": code})


def test_setting_up_the_app_records_it_and_the_recovery_codes_it_brings(reauthenticated_client, user):
    secret = reauthenticated_client.get(TOTP).json()["meta"]["secret"]

    assert reauthenticated_client.post(TOTP, {"code": totp_code(secret)}).status_code == 200

    assert events(user)[-2:] == [
        ("second_factor_added", {"type": "totp"}),
        ("recovery_codes_generated", {}),
    ]
    assert latest(user, "second_factor_added").client == reauthenticated_client.kind


def test_a_login_with_the_app_records_the_second_factor(headless_client, fresh_log, user):
    assert log_in_with_second_factor(headless_client, totp_code(fresh_log.secret)).status_code == 200

    assert events(user) == [("login", {"method": "password", "second_factor": "totp"})]
    assert latest(user, "login").client == headless_client.kind


def test_a_wrong_code_is_recorded_and_logs_nobody_in(headless_client, fresh_log, user):
    code = totp_code(fresh_log.secret)
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    assert log_in_with_second_factor(headless_client, wrong).status_code == 400

    assert events(user) == [("second_factor_failed", {"type": "totp"})]


def test_a_login_with_a_recovery_code_records_its_use(headless_client, fresh_log, user):
    assert log_in_with_second_factor(headless_client, fresh_log.recovery_codes[0]).status_code == 200

    assert events(user) == [
        ("recovery_code_used", {}),
        ("login", {"method": "password", "second_factor": "recovery_codes"}),
    ]
    assert {event.client for event in SecurityEvent.objects.filter(user=user)} == {headless_client.kind}


def test_new_recovery_codes_and_a_reauthentication_by_code_are_recorded(headless_client, fresh_log, user):
    assert log_in_with_second_factor(headless_client, totp_code(fresh_log.secret)).status_code == 200
    assert headless_client.post("auth/2fa/reauthenticate", {"code": fresh_log.recovery_codes[0]}).status_code == 200

    assert headless_client.post(RECOVERY_CODES).status_code == 200

    assert kinds(user) == ["login", "reauthenticated", "recovery_code_used", "recovery_codes_generated"]
    assert latest(user, "reauthenticated").detail == {"method": "recovery_codes"}
    assert latest(user, "recovery_codes_generated").client == headless_client.kind


def test_removing_the_app_records_it_and_its_recovery_codes(headless_client, fresh_log, user):
    assert log_in_with_second_factor(headless_client, fresh_log.recovery_codes[0]).status_code == 200
    assert headless_client.post("auth/2fa/reauthenticate", {"code": totp_code(fresh_log.secret)}).status_code == 200

    assert headless_client.delete(TOTP).status_code == 200

    # Recovery codes go with the last other second factor (allauth deletes them), and say so.
    assert events(user)[-2:] == [
        ("second_factor_removed", {"type": "totp"}),
        ("second_factor_removed", {"type": "recovery_codes"}),
    ]
    assert latest(user, "reauthenticated").detail == {"method": "totp"}
    assert latest(user, "second_factor_removed").client == headless_client.kind
