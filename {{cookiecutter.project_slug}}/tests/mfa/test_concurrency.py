"""One second-factor code sent by several logins at the same moment completes one of them, on PostgreSQL and Redis.

Each login is started with the password first; then all send the same code
at once to a real gunicorn server that answers them side by side.
"""

from collections import Counter

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from ..conftest import EMAIL, PASSWORD
from ..live_server import side_by_side
from ..test_concurrency import LOCK_WAIT_LOST
from .conftest import AuthenticatorApp, totp_code

pytestmark = [pytest.mark.django_db(transaction=True)]

LOGINS = 8
# Besides the one success: a wrong code (already used), allauth's limit of 5 failed attempts per user,
# and its rate limiter losing the wait for its lock.
REFUSALS = {"incorrect_code", "too_many_login_attempts", LOCK_WAIT_LOST}


@pytest.fixture
def second_factor_user(server_user) -> AuthenticatorApp:
    """A user a real server can log in, with an authenticator app and recovery codes."""
    secret = generate_totp_secret()
    TOTP.activate(server_user, secret)
    return AuthenticatorApp(secret, RecoveryCodes.activate(server_user).get_unused_codes())


def logins_waiting_for_a_code(server, count: int) -> list[str]:
    """The session tokens of ``count`` logins that have passed the password and wait for the second factor."""
    tokens = []
    for _ in range(count):
        status, body = server.call("POST", "auth/login", {"email": EMAIL, "password": PASSWORD})
        assert status == 401, body
        assert {"id": "mfa_authenticate", "is_pending": True}.items() <= body["data"]["flows"][-1].items(), body
        tokens.append(body["meta"]["session_token"])
    return tokens


def send_at_once(server, tokens: list[str], code: str) -> Counter:
    answers = side_by_side(
        len(tokens), lambda i: server.call("POST", "auth/2fa/authenticate", {"code": code}, token=tokens[i])
    )
    return Counter(status if status != 400 else body["errors"][0]["code"] for status, body in answers)


def test_one_recovery_code_completes_one_login(concurrent_server, second_factor_user):
    tokens = logins_waiting_for_a_code(concurrent_server, LOGINS)

    outcomes = send_at_once(concurrent_server, tokens, second_factor_user.recovery_codes[0])

    assert outcomes[200] == 1, (outcomes, concurrent_server.errors()[-3000:])
    assert set(outcomes) <= {200, *REFUSALS}, outcomes


def test_one_authenticator_app_code_completes_one_login(concurrent_server, second_factor_user):
    tokens = logins_waiting_for_a_code(concurrent_server, LOGINS)

    outcomes = send_at_once(concurrent_server, tokens, totp_code(second_factor_user.secret))

    assert outcomes[200] == 1, (outcomes, concurrent_server.errors()[-3000:])
    assert set(outcomes) <= {200, *REFUSALS}, outcomes
