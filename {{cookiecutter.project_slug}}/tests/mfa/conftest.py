"""Second factors: a user with an authenticator app, TOTP codes from pyotp, and the flows a 401 lists."""

import time
from dataclasses import dataclass

import pyotp
import pytest
from django.core import mail

from ..conftest import PASSWORD, HeadlessClient


def totp_code(secret: str, periods: int = 0) -> str:
    """pyotp's code for the current period, or for ``periods`` before (negative) or after it.

    In the last two seconds of a period it waits for the next one, so that the
    server checks the code in the period it was made for.
    """
    totp = pyotp.TOTP(secret)
    if totp.interval - time.time() % totp.interval < 2:
        time.sleep(2)
    return totp.at(time.time(), counter_offset=periods)


@dataclass
class AuthenticatorApp:
    secret: str
    recovery_codes: list[str]


@pytest.fixture
def totp_user(user) -> AuthenticatorApp:
    """``user`` with an authenticator app set up through the API, and the recovery codes it got."""
    setup = HeadlessClient("app")
    setup.login()
    assert setup.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200
    secret = setup.get("account/authenticators/totp").json()["meta"]["secret"]
    assert setup.post("account/authenticators/totp", {"code": totp_code(secret)}).status_code == 200
    codes = setup.get("account/authenticators/recovery-codes").json()["data"]["unused_codes"]
    mail.outbox.clear()
    return AuthenticatorApp(secret, codes)
