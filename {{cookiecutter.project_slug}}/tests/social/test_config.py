"""The config endpoint lists the providers that are on, from settings alone, without a database query."""

import pytest
from allauth.socialaccount.models import SocialApp

from accounts import social_providers


def provider_settings(**variables: str) -> dict:
    values = dict.fromkeys(social_providers.ALL_VARIABLES, "") | {
        "OIDC_PROVIDER_ID": "company-sso",
        "OIDC_PROVIDER_NAME": "Company SSO",
    }
    return social_providers.allauth_providers(values | variables)


@pytest.fixture
def google_and_oidc(settings):
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(
        GOOGLE_CLIENT_ID="google-client",
        GOOGLE_CLIENT_SECRET="google-secret",
        OIDC_CLIENT_ID="oidc-client",
        OIDC_CLIENT_SECRET="oidc-secret",
        OIDC_SERVER_URL="https://login.example.com",
    )


def listed_providers(response) -> dict[str, str]:
    assert response.status_code == 200, response.content
    return {provider["id"]: provider["name"] for provider in response.json()["data"]["socialaccount"]["providers"]}


@pytest.mark.usefixtures("google_and_oidc")
def test_config_lists_only_the_providers_that_are_on(headless_client, db):
    assert listed_providers(headless_client.get("config")) == {"google": "Google", "company-sso": "Company SSO"}


def test_config_lists_none_when_none_is_on(headless_client, settings, db):
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings()

    assert listed_providers(headless_client.get("config")) == {}


@pytest.mark.usefixtures("google_and_oidc")
def test_providers_in_the_database_are_ignored(headless_client, db):
    SocialApp.objects.create(provider="github", name="GitHub", client_id="from-the-admin", secret="s")

    assert "github" not in listed_providers(headless_client.get("config"))


@pytest.mark.usefixtures("google_and_oidc")
@pytest.mark.parametrize("path", ["config", "auth/session"])
def test_config_and_the_anonymous_session_make_no_query(headless_client, django_assert_num_queries, db, path):
    headless_client.get("config")  # the browser's CSRF cookie, as a frontend gets it first

    with django_assert_num_queries(0):
        response = headless_client.get(path)

    assert response.status_code in (200, 401), response.content
