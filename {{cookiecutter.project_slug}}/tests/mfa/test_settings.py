"""Which second factors the site offers: the bake's choice, narrowed by MFA_SUPPORTED_TYPES at start-up."""

import pytest
from django.conf import settings

from accounts import second_factors

from ..conftest import EMAIL, PASSWORD, pending_flow
from .conftest import totp_code


def test_the_bake_offers_its_types_by_default(settings_from):
    read = settings_from(MFA_SUPPORTED_TYPES=None)

    assert read.MFA_SUPPORTED_TYPES == read.MFA_OFFERED_TYPES


@pytest.mark.parametrize(
    ("value", "types"), [("totp, recovery_codes", ["totp", "recovery_codes"]), ("totp", ["totp"]), ("", [])]
)
def test_the_types_can_be_narrowed(settings_from, value, types):
    # With none offered, the admin cannot require one (tests/mfa/test_admin_login.py).
    assert types == settings_from(MFA_SUPPORTED_TYPES=value, ADMIN_REQUIRES_SECOND_FACTOR="off").MFA_SUPPORTED_TYPES


def test_a_type_the_site_does_not_offer_is_a_problem():
    [problem] = second_factors.find_problems(
        supported=["totp", "sms"], offered=settings.MFA_OFFERED_TYPES, totp_tolerance=0
    )

    assert str(problem).startswith("MFA_SUPPORTED_TYPES='totp,sms': names sms, which this site does not offer.")


def test_a_negative_totp_tolerance_is_a_problem():
    [problem] = second_factors.find_problems(supported=[], offered=[], totp_tolerance=-1)

    assert str(problem).startswith("MFA_TOTP_TOLERANCE=-1: is negative")


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
