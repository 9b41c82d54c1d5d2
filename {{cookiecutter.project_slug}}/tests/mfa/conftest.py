"""Second factors: a user with an authenticator app, TOTP codes from pyotp, and settings that add or drop endpoints."""

import importlib
import sys
import time
from dataclasses import dataclass

import pyotp
import pytest
from django.core import mail
from django.urls import clear_url_caches

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


def pending_flow(response) -> dict:
    """The one flow a 401 answer says is waiting for the client."""
    [flow] = [flow for flow in response.json()["data"]["flows"] if flow.get("is_pending")]
    return flow


def flow_ids(response) -> set[str]:
    return {flow["id"] for flow in response.json()["data"]["flows"]}


@pytest.fixture
def routed_settings(settings):
    """Changes settings that decide which endpoints allauth routes, and rebuilds the URLs before and after."""
    originals = {}

    def change(**values) -> None:
        for name, value in values.items():
            originals.setdefault(name, getattr(settings, name))
            setattr(settings, name, value)
        _rebuild_urls()

    yield change
    if originals:
        for name, value in originals.items():
            setattr(settings, name, value)
        _rebuild_urls()


def _rebuild_urls() -> None:
    # allauth decides its routes from the settings when its URL modules are first imported:
    # reload them, the included before those that include them.
    import config.urls

    allauth_urls = [name for name in sys.modules if name.startswith("allauth.") and name.endswith(".urls")]
    for name in sorted(allauth_urls, key=lambda name: name.count("."), reverse=True):
        importlib.reload(sys.modules[name])
    importlib.reload(config.urls)
    clear_url_caches()
