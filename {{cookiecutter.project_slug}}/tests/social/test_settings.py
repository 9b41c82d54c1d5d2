"""Each social login provider is on exactly when its environment variables are set, and only then listed."""

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured

import config.settings
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
def environ(monkeypatch):
    """The real environment without any provider's variables; settings reloaded from it afterwards."""
    for name in (*social_providers.ALL_VARIABLES, "OIDC_EMAIL_AUTHENTICATION"):
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch
    monkeypatch.undo()
    importlib.reload(config.settings)


def apps_of(providers: dict) -> dict[str, list[dict]]:
    return {name: provider["APPS"] for name, provider in providers.items() if "APPS" in provider}


def test_no_provider_is_on_without_its_variables(environ):
    importlib.reload(config.settings)

    assert apps_of(config.settings.SOCIALACCOUNT_PROVIDERS) == {}


@pytest.mark.parametrize("provider", CREDENTIALS)
def test_a_provider_is_on_with_its_client_id_and_secret_alone(environ, provider):
    for name, value in CREDENTIALS[provider].items():
        environ.setenv(name, value)

    importlib.reload(config.settings)

    [app] = apps_of(config.settings.SOCIALACCOUNT_PROVIDERS)[provider]
    assert list(apps_of(config.settings.SOCIALACCOUNT_PROVIDERS)) == [provider]
    assert app["client_id"] == CREDENTIALS[provider][next(iter(CREDENTIALS[provider]))]
    assert app["secret"].endswith("-secret")


def test_the_generic_provider_has_its_issuer_id_and_name(environ):
    for name, value in CREDENTIALS["openid_connect"].items():
        environ.setenv(name, value)
    environ.setenv("OIDC_PROVIDER_ID", "company-sso")
    environ.setenv("OIDC_PROVIDER_NAME", "Company SSO")

    importlib.reload(config.settings)

    [app] = config.settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
    assert app["provider_id"] == "company-sso"
    assert app["name"] == "Company SSO"
    assert app["settings"]["server_url"] == "https://login.example.com/realms/main"


def test_the_generic_provider_defaults_to_the_id_oidc(environ):
    for name, value in CREDENTIALS["openid_connect"].items():
        environ.setenv(name, value)

    importlib.reload(config.settings)

    [app] = config.settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
    assert (app["provider_id"], app["name"]) == ("oidc", "OpenID Connect")


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"GOOGLE_CLIENT_ID": "x"}, "GOOGLE_CLIENT_ID is set but GOOGLE_CLIENT_SECRET is not"),
        ({"GITHUB_CLIENT_ID": "x"}, "GITHUB_CLIENT_ID is set but GITHUB_CLIENT_SECRET is not"),
        ({"GITHUB_CLIENT_SECRET": "x"}, "GITHUB_CLIENT_SECRET is set but GITHUB_CLIENT_ID is not"),
        ({"OIDC_CLIENT_ID": "x", "OIDC_CLIENT_SECRET": "y"}, "OIDC_CLIENT_ID is set but OIDC_SERVER_URL is not"),
        ({"OIDC_SERVER_URL": "https://login.example.com"}, "OIDC_SERVER_URL is set but OIDC_CLIENT_ID is not"),
        (
            {"OIDC_CLIENT_ID": "x", "OIDC_CLIENT_SECRET": "y", "OIDC_SERVER_URL": "login.example.com"},
            "OIDC_SERVER_URL='login.example.com' is not an issuer URL",
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
            "OIDC_PROVIDER_ID='google' must be lower-case letters",
        ),
        (
            {
                "OIDC_CLIENT_ID": "x",
                "OIDC_CLIENT_SECRET": "y",
                "OIDC_SERVER_URL": "https://login.example.com",
                "OIDC_PROVIDER_ID": "a/b",
            },
            "OIDC_PROVIDER_ID='a/b' must be lower-case letters",
        ),
    ],
)
def test_a_half_configured_provider_stops_start_up(environ, variables, message):
    for name, value in variables.items():
        environ.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match="Fix these social login settings") as error:
        importlib.reload(config.settings)

    assert message in str(error.value)


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
    assert "plain http outside DEBUG" in problem
    assert social_providers.find_problems(remote, allow_http=True) == []
    assert social_providers.find_problems(loopback, allow_http=False) == []


def email_authentication_of(providers: dict) -> dict[str, bool]:
    return {name: apps[0]["settings"]["email_authentication"] for name, apps in apps_of(providers).items()}


def test_google_and_github_log_in_to_accounts_by_address_and_the_generic_provider_does_not(environ):
    for credentials in CREDENTIALS.values():
        for name, value in credentials.items():
            environ.setenv(name, value)

    importlib.reload(config.settings)

    assert config.settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION is False  # for any provider not listed here
    assert email_authentication_of(config.settings.SOCIALACCOUNT_PROVIDERS) == {
        "google": True,
        "github": True,
        "openid_connect": False,
    }


def test_the_generic_provider_logs_in_to_accounts_by_address_when_its_issuer_verifies_them(environ):
    for name, value in CREDENTIALS["openid_connect"].items():
        environ.setenv(name, value)
    environ.setenv("OIDC_EMAIL_AUTHENTICATION", "on")

    importlib.reload(config.settings)

    assert email_authentication_of(config.settings.SOCIALACCOUNT_PROVIDERS) == {"openid_connect": True}


def test_the_switch_without_the_generic_provider_stops_start_up(environ):
    environ.setenv("OIDC_EMAIL_AUTHENTICATION", "on")

    with pytest.raises(ImproperlyConfigured, match="Fix these social login settings") as error:
        importlib.reload(config.settings)

    assert "OIDC_EMAIL_AUTHENTICATION='on': is on, but no OpenID Connect provider is configured" in str(error.value)
    assert "(accounts.E025)" in str(error.value)


def test_a_switch_that_is_not_a_boolean_stops_start_up(environ):
    for name, value in CREDENTIALS["openid_connect"].items():
        environ.setenv(name, value)
    environ.setenv("OIDC_EMAIL_AUTHENTICATION", "sometimes")

    with pytest.raises(ImproperlyConfigured, match="OIDC_EMAIL_AUTHENTICATION='sometimes' is not a boolean"):
        importlib.reload(config.settings)
