"""Where passkeys work: the relying party ID and allowed origins, from the frontend URLs or set, checked at start-up."""

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from accounts import frontend_urls, passkeys

from ..conftest import FRONTEND

PASSKEY_VARIABLES = ["MFA_SUPPORTED_TYPES", "MFA_WEBAUTHN_RP_ID", "MFA_WEBAUTHN_ALLOWED_ORIGINS"]


@pytest.fixture
def read_settings(settings_from):
    """The settings read afresh with the frontend at https://app.example.com and the given variables."""
    urls = frontend_urls.defaults(FRONTEND, frontend_urls.BY_SETTING.values())

    def read(**environ: str | None):
        return settings_from(**urls | dict.fromkeys(PASSKEY_VARIABLES) | environ)

    return read


@pytest.mark.parametrize(
    ("rp_id", "origins"),
    [
        ("app.example.com", ["https://app.example.com"]),
        ("example.com", ["https://app.example.com"]),
        ("example.com", ["https://app.example.com", "https://example.com", "https://admin.example.com:8443"]),
        ("example.co.uk", ["https://app.example.co.uk"]),
        ("localhost", ["http://localhost:8000"]),
        ("app.localhost", ["http://app.localhost:3000"]),
    ],
)
def test_the_frontends_host_or_a_parent_domain_is_a_valid_rp_id(rp_id, origins):
    assert passkeys.find_problems(rp_id, origins, required=True) == []


RP_ID = "MFA_WEBAUTHN_RP_ID"
ORIGINS = "MFA_WEBAUTHN_ALLOWED_ORIGINS"
# Each mistake: the RP ID, the origins, the problem's ID and the setting it names.
MISTAKES = {
    "another_site": ("example.org", ["https://app.example.com"], "accounts.E013", RP_ID),
    "a_subdomain": ("app.example.com", ["https://example.com"], "accounts.E013", RP_ID),
    "a_sibling": ("api.example.com", ["https://app.example.com"], "accounts.E013", RP_ID),
    "a_public_suffix": ("com", ["https://app.example.com"], "accounts.E013", RP_ID),
    "a_two_label_public_suffix": ("co.uk", ["https://app.example.co.uk"], "accounts.E013", RP_ID),
    "a_url_for_an_id": ("https://example.com", ["https://app.example.com"], "accounts.E013", RP_ID),
    "an_origin_with_a_path": ("example.com", ["https://app.example.com/"], "accounts.E011", ORIGINS),
    "an_origin_in_capitals": ("example.com", ["https://App.example.com"], "accounts.E011", ORIGINS),
    "an_origin_with_its_default_port": ("example.com", ["https://app.example.com:443"], "accounts.E011", ORIGINS),
    "a_host_for_an_origin": ("example.com", ["app.example.com"], "accounts.E011", ORIGINS),
    "plain_http": ("example.com", ["http://app.example.com"], "accounts.E012", ORIGINS),
    "an_ip_address": ("192.0.2.1", ["https://192.0.2.1"], "accounts.E012", ORIGINS),
    "a_loopback_address": ("127.0.0.1", ["http://127.0.0.1:8000"], "accounts.E012", ORIGINS),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_mistake_is_reported_with_setting_value_and_example(mistake):
    rp_id, origins, problem_id, setting = MISTAKES[mistake]

    [problem] = passkeys.find_problems(rp_id, origins, required=True)

    assert (problem.id, problem.setting) == (problem_id, setting)
    message = str(problem)
    assert repr(rp_id if setting == RP_ID else origins[0]) in message
    assert passkeys.EXAMPLE in message


def test_every_origin_is_checked():
    origins = ["https://app.example.org", "http://app.example.com"]

    problems = passkeys.find_problems("example.com", origins, required=True)

    assert [problem.id for problem in problems] == ["accounts.E013", "accounts.E012"]


def test_no_origin_is_a_problem_only_with_headless_only():
    [problem] = passkeys.find_problems("", [], required=True)

    assert problem.id == "accounts.E010"
    assert passkeys.find_problems("", [], required=False) == []


def test_by_default_passkeys_belong_to_the_frontends_host(read_settings):
    read = read_settings()

    assert read.MFA_WEBAUTHN_ALLOWED_ORIGINS == [FRONTEND]
    assert read.MFA_WEBAUTHN_RP_ID == "app.example.com"


def test_a_frontend_and_an_api_on_sibling_hosts_share_the_parent_domain(read_settings):
    read = read_settings(
        MFA_WEBAUTHN_RP_ID="example.com",
        MFA_WEBAUTHN_ALLOWED_ORIGINS="https://app.example.com, https://admin.example.com",
    )

    assert read.MFA_WEBAUTHN_RP_ID == "example.com"
    assert read.MFA_WEBAUTHN_ALLOWED_ORIGINS == ["https://app.example.com", "https://admin.example.com"]


def test_a_misconfigured_rp_id_stops_start_up(read_settings):
    with pytest.raises(ImproperlyConfigured) as error:
        read_settings(MFA_WEBAUTHN_RP_ID="api.example.com")

    assert "MFA_WEBAUTHN_RP_ID='api.example.com': is neither app.example.com nor a parent domain" in str(error.value)
    assert "accounts.E013" in str(error.value)


def test_without_passkeys_the_relying_party_is_not_checked(read_settings):
    read = read_settings(MFA_SUPPORTED_TYPES="totp,recovery_codes", MFA_WEBAUTHN_RP_ID="example.org")

    assert "webauthn" not in read.MFA_SUPPORTED_TYPES


def test_system_checks_report_a_misconfigured_relying_party(settings, db):
    settings.MFA_WEBAUTHN_RP_ID = "example.org"
    settings.MFA_WEBAUTHN_ALLOWED_ORIGINS = [FRONTEND, "https://app.example.com/"]

    errors = [error for error in run_checks() if error.id and error.id.startswith("accounts.")]

    assert [error.id for error in errors] == ["accounts.E013", "accounts.E011"]
    assert all(error.hint for error in errors)


def test_passkey_signup_turns_verification_by_code_on_and_the_verification_links_off(read_settings):
    read = read_settings(
        HEADLESS_ONLY="on",
        MFA_PASSKEY_SIGNUP_ENABLED="on",
        ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED=None,
        **dict.fromkeys(frontend_urls.CONFIRMATION_LINKS, ""),
    )

    assert read.MFA_PASSKEY_SIGNUP_ENABLED is True
    assert read.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED is True
    assert read.FRONTEND_URLS["EMAIL_VERIFICATION_URL"] is None


def test_passkey_signup_stops_start_up_when_verification_by_code_is_turned_off(read_settings):
    with pytest.raises(ImproperlyConfigured) as error:
        read_settings(MFA_PASSKEY_SIGNUP_ENABLED="on", ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED="off")

    assert "ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED=False: is off while MFA_PASSKEY_SIGNUP_ENABLED is on" in str(
        error.value
    )
    assert "(accounts.E060)" in str(error.value)


@pytest.mark.parametrize(("signup_enabled", "verification_by_code"), [(False, False), (False, True), (True, True)])
def test_verification_by_code_may_be_on_without_passkey_signup_but_not_off_with_it(
    signup_enabled, verification_by_code
):
    assert passkeys.signup_problems(signup_enabled=signup_enabled, verification_by_code=verification_by_code) == []
    [problem] = passkeys.signup_problems(signup_enabled=True, verification_by_code=False)
    assert problem.hint == (
        "Set ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED=on (or leave it unset), or MFA_PASSKEY_SIGNUP_ENABLED=off."
    )


def test_without_passkey_signup_the_verification_link_is_required(read_settings):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_VERIFICATION_URL=None: is not set"):
        read_settings(
            HEADLESS_ONLY="on",
            MFA_PASSKEY_SIGNUP_ENABLED="off",
            ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED=None,
            EMAIL_VERIFICATION_URL="",
        )


def test_allauth_accepts_passkey_signup_as_the_settings_configure_it(settings, db):
    settings.MFA_PASSKEY_SIGNUP_ENABLED = True
    settings.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True

    assert [error for error in run_checks() if error.is_serious()] == []
