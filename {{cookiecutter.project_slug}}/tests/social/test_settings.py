"""Each social login provider is on exactly when its environment variables are set, and only then listed."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts import social_providers

CREDENTIALS = {
    "google": {"GOOGLE_CLIENT_ID": "google-client", "GOOGLE_CLIENT_SECRET": "google-secret"},
    "github": {"GITHUB_CLIENT_ID": "github-client", "GITHUB_CLIENT_SECRET": "github-secret"},
    "openid_connect": {
        "OIDC_CLIENT_ID": "oidc-client",
        "OIDC_CLIENT_SECRET": "oidc-secret",
        "OIDC_SERVER_URL": "https://login.example.com/realms/main",
    },
}


@pytest.fixture
def read_settings(settings_from):
    """The settings read afresh with no provider's variables but those given."""

    def read(**variables: str):
        return settings_from(
            **dict.fromkeys((*social_providers.ALL_VARIABLES, "OIDC_EMAIL_AUTHENTICATION")) | variables
        )

    return read


def apps_of(providers: dict) -> dict[str, list[dict]]:
    return {name: provider["APPS"] for name, provider in providers.items() if "APPS" in provider}


def test_no_provider_is_on_without_its_variables(read_settings):
    assert apps_of(read_settings().SOCIALACCOUNT_PROVIDERS) == {}


@pytest.mark.parametrize("provider", CREDENTIALS)
def test_a_provider_is_on_with_its_client_id_and_secret_alone(read_settings, provider):
    providers = read_settings(**CREDENTIALS[provider]).SOCIALACCOUNT_PROVIDERS

    [app] = apps_of(providers)[provider]
    assert list(apps_of(providers)) == [provider]
    assert app["client_id"] == CREDENTIALS[provider][next(iter(CREDENTIALS[provider]))]
    assert app["secret"].endswith("-secret")


def test_the_generic_provider_has_its_issuer_id_and_name(read_settings):
    read = read_settings(
        **CREDENTIALS["openid_connect"], OIDC_PROVIDER_ID="company-sso", OIDC_PROVIDER_NAME="Company SSO"
    )

    [app] = read.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
    assert app["provider_id"] == "company-sso"
    assert app["name"] == "Company SSO"
    assert app["settings"]["server_url"] == "https://login.example.com/realms/main"


def test_the_generic_provider_defaults_to_the_id_oidc(read_settings):
    [app] = read_settings(**CREDENTIALS["openid_connect"]).SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
    assert (app["provider_id"], app["name"]) == ("oidc", "OpenID Connect")


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"GOOGLE_CLIENT_ID": "x"}, "GOOGLE_CLIENT_SECRET='': is not set, but GOOGLE_CLIENT_ID is."),
        ({"GITHUB_CLIENT_ID": "x"}, "GITHUB_CLIENT_SECRET='': is not set, but GITHUB_CLIENT_ID is."),
        ({"GITHUB_CLIENT_SECRET": "x"}, "GITHUB_CLIENT_ID='': is not set, but GITHUB_CLIENT_SECRET is."),
        ({"OIDC_CLIENT_ID": "x", "OIDC_CLIENT_SECRET": "y"}, "OIDC_SERVER_URL='': is not set, but OIDC_CLIENT_ID is."),
        ({"OIDC_SERVER_URL": "https://login.example.com"}, "OIDC_CLIENT_ID='': is not set, but OIDC_SERVER_URL is."),
        (
            {"OIDC_CLIENT_ID": "x", "OIDC_CLIENT_SECRET": "y", "OIDC_SERVER_URL": "login.example.com"},
            "OIDC_SERVER_URL='login.example.com': is not an issuer URL",
        ),
        (
            {"OIDC_CLIENT_ID": "x", "OIDC_CLIENT_SECRET": "y", "OIDC_SERVER_URL": "https://login.example.com?a=b"},
            "is not an issuer URL",
        ),
        (
            {
                "OIDC_CLIENT_ID": "x",
                "OIDC_CLIENT_SECRET": "y",
                "OIDC_SERVER_URL": "https://login.example.com",
                "OIDC_PROVIDER_ID": "google",
            },
            "OIDC_PROVIDER_ID='google': must be lower-case letters",
        ),
        (
            {
                "OIDC_CLIENT_ID": "x",
                "OIDC_CLIENT_SECRET": "y",
                "OIDC_SERVER_URL": "https://login.example.com",
                "OIDC_PROVIDER_ID": "a/b",
            },
            "OIDC_PROVIDER_ID='a/b': must be lower-case letters",
        ),
    ],
)
def test_a_half_configured_provider_is_a_problem(variables, message):
    values = dict.fromkeys(social_providers.ALL_VARIABLES, "") | {
        "OIDC_PROVIDER_ID": social_providers.DEFAULT_OIDC_PROVIDER_ID,
        "OIDC_PROVIDER_NAME": social_providers.DEFAULT_OIDC_PROVIDER_NAME,
        **variables,
    }

    problems = social_providers.find_problems(values, allow_http=False)

    assert any(message in str(problem) for problem in problems), problems
    assert all(secret not in str(problems) for secret in ("'x'", "'y'"))


def test_a_half_configured_provider_stops_start_up(read_settings):
    with pytest.raises(ImproperlyConfigured, match="GOOGLE_CLIENT_SECRET='': is not set, but GOOGLE_CLIENT_ID is"):
        read_settings(GOOGLE_CLIENT_ID="x")


def test_a_plain_http_issuer_is_refused_outside_debug_unless_on_loopback():
    values = dict.fromkeys(social_providers.ALL_VARIABLES, "") | {
        "OIDC_CLIENT_ID": "x",
        "OIDC_CLIENT_SECRET": "y",
        "OIDC_PROVIDER_ID": "oidc",
        "OIDC_PROVIDER_NAME": "SSO",
    }
    remote = values | {"OIDC_SERVER_URL": "http://login.example.com"}
    loopback = values | {"OIDC_SERVER_URL": "http://127.0.0.1:9000"}

    [problem] = social_providers.find_problems(remote, allow_http=False)
    assert "plain http outside DEBUG" in str(problem)
    assert social_providers.find_problems(remote, allow_http=True) == []
    assert social_providers.find_problems(loopback, allow_http=False) == []


def email_authentication_of(providers: dict) -> dict[str, bool]:
    return {name: apps[0]["settings"]["email_authentication"] for name, apps in apps_of(providers).items()}


def test_google_and_github_log_in_to_accounts_by_address_and_the_generic_provider_does_not(read_settings):
    read = read_settings(**{name: value for credentials in CREDENTIALS.values() for name, value in credentials.items()})

    assert read.SOCIALACCOUNT_EMAIL_AUTHENTICATION is False  # for any provider not listed here
    assert email_authentication_of(read.SOCIALACCOUNT_PROVIDERS) == {
        "google": True,
        "github": True,
        "openid_connect": False,
    }


def test_the_generic_provider_logs_in_to_accounts_by_address_when_its_issuer_verifies_them(read_settings):
    read = read_settings(**CREDENTIALS["openid_connect"], OIDC_EMAIL_AUTHENTICATION="on")

    assert email_authentication_of(read.SOCIALACCOUNT_PROVIDERS) == {"openid_connect": True}


def test_the_switch_without_the_generic_provider_stops_start_up(read_settings):
    with pytest.raises(ImproperlyConfigured) as error:
        read_settings(OIDC_EMAIL_AUTHENTICATION="on")

    assert "OIDC_EMAIL_AUTHENTICATION='on': is on, but no OpenID Connect provider is configured" in str(error.value)
    assert "(accounts.E025)" in str(error.value)


def test_a_switch_that_is_not_a_boolean_stops_start_up(read_settings):
    with pytest.raises(ImproperlyConfigured, match="OIDC_EMAIL_AUTHENTICATION='sometimes': is not a boolean"):
        read_settings(**CREDENTIALS["openid_connect"], OIDC_EMAIL_AUTHENTICATION="sometimes")
