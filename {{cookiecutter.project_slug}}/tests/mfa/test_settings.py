"""Which second factors the site offers: the bake's choice, narrowed by MFA_SUPPORTED_TYPES at start-up."""

import importlib

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

import config.settings

from ..conftest import EMAIL, PASSWORD
from .conftest import pending_flow, totp_code


@pytest.fixture
def environ(monkeypatch):
    yield monkeypatch
    monkeypatch.undo()
    importlib.reload(config.settings)


def test_the_bake_offers_its_types_by_default(environ):
    environ.delenv("MFA_SUPPORTED_TYPES", raising=False)

    importlib.reload(config.settings)

    assert config.settings.MFA_SUPPORTED_TYPES == config.settings.MFA_OFFERED_TYPES


@pytest.mark.parametrize(
    ("value", "types"), [("totp, recovery_codes", ["totp", "recovery_codes"]), ("totp", ["totp"]), ("", [])]
)
def test_the_types_can_be_narrowed(environ, value, types):
    environ.setenv("MFA_SUPPORTED_TYPES", value)
    # With none offered, the admin cannot require one (tests/mfa/test_admin_login.py).
    environ.setenv("ADMIN_REQUIRES_SECOND_FACTOR", "off")

    importlib.reload(config.settings)

    assert types == config.settings.MFA_SUPPORTED_TYPES


def test_a_type_the_site_does_not_offer_stops_start_up(environ):
    not_offered = next(kind for kind in ("webauthn", "sms") if kind not in settings.MFA_OFFERED_TYPES)
    environ.setenv("MFA_SUPPORTED_TYPES", f"totp,{not_offered}")

    with pytest.raises(ImproperlyConfigured, match=f"MFA_SUPPORTED_TYPES names {not_offered}, which this site"):
        importlib.reload(config.settings)


def test_a_negative_totp_tolerance_stops_start_up(environ):
    environ.setenv("MFA_TOTP_TOLERANCE", "-1")

    with pytest.raises(ImproperlyConfigured, match="MFA_TOTP_TOLERANCE=-1 is negative"):
        importlib.reload(config.settings)


def test_a_type_left_out_is_neither_announced_nor_served(routed_settings, reauthenticated_client):
    routed_settings(MFA_SUPPORTED_TYPES=["recovery_codes"])

    assert reauthenticated_client.get("config").json()["data"]["mfa"]["supported_types"] == ["recovery_codes"]
    response = reauthenticated_client.get("account/authenticators/totp")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_accounts_that_have_a_type_left_out_keep_asking_for_it(routed_settings, headless_client, totp_user):
    routed_settings(MFA_SUPPORTED_TYPES=["recovery_codes"])

    response = headless_client.post("auth/login", {"email": EMAIL, "password": PASSWORD})

    assert pending_flow(response)["id"] == "mfa_authenticate"
    assert headless_client.post("auth/2fa/authenticate", {"code": totp_code(totp_user.secret)}).status_code == 200
