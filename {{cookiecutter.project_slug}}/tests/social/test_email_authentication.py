"""Which providers may log in to an existing account by the verified address they report.

Google and GitHub verify the addresses they report, so a verified one that
belongs to an account logs in to it and connects the provider. A generic
OpenID Connect issuer may let its users claim any address as verified, so it
does so only with OIDC_EMAIL_AUTHENTICATION on.
"""

import pytest
from allauth.socialaccount.models import SocialAccount

from accounts import social_providers

from ..conftest import EMAIL
from .conftest import GOOGLE_CLIENT, assert_answered_as_a_signup_for_a_taken_address, token_login

OIDC_CLIENT = ("oidc-client", "oidc-secret")
OIDC_PROVIDER_ID = "company-sso"


def oidc_settings(stand_in, settings, *, email_authentication: bool) -> None:
    """The generic provider on, as its variables turn it on, with the stand-in as its issuer."""
    values = dict.fromkeys(social_providers.ALL_VARIABLES, "") | {
        "GOOGLE_CLIENT_ID": GOOGLE_CLIENT[0],
        "GOOGLE_CLIENT_SECRET": GOOGLE_CLIENT[1],
        "OIDC_CLIENT_ID": OIDC_CLIENT[0],
        "OIDC_CLIENT_SECRET": OIDC_CLIENT[1],
        "OIDC_SERVER_URL": stand_in.oidc_issuer,
        "OIDC_PROVIDER_ID": OIDC_PROVIDER_ID,
        "OIDC_PROVIDER_NAME": "Company SSO",
    }
    assert social_providers.find_problems(values, allow_http=False) == []
    settings.SOCIALACCOUNT_PROVIDERS = social_providers.allauth_providers(
        values, oidc_email_authentication=email_authentication
    )
    stand_in.register_app(*OIDC_CLIENT)


def oidc_token(stand_in) -> dict:
    return {"client_id": OIDC_CLIENT[0], "id_token": stand_in.oidc_id_token(OIDC_CLIENT[0])}


def test_the_generic_provider_signs_up_a_new_user_by_its_id_token(headless_client, stand_in, settings, db):
    oidc_settings(stand_in, settings, email_authentication=False)

    response = token_login(headless_client, OIDC_PROVIDER_ID, oidc_token(stand_in))

    assert response.status_code == 200, response.content
    assert response.json()["data"]["user"]["email"] == EMAIL
    assert SocialAccount.objects.get(provider=OIDC_PROVIDER_ID).uid == stand_in.user.id


def test_the_generic_providers_verified_address_does_not_log_in_to_an_account(
    headless_client, stand_in, settings, user
):
    oidc_settings(stand_in, settings, email_authentication=False)

    response = token_login(headless_client, OIDC_PROVIDER_ID, oidc_token(stand_in))

    assert_answered_as_a_signup_for_a_taken_address(headless_client, response)


def test_with_the_switch_on_the_generic_provider_logs_in_to_the_account_and_connects(
    headless_client, stand_in, settings, user
):
    oidc_settings(stand_in, settings, email_authentication=True)

    response = token_login(headless_client, OIDC_PROVIDER_ID, oidc_token(stand_in))

    assert response.status_code == 200, response.content
    assert SocialAccount.objects.get(provider=OIDC_PROVIDER_ID).user == user


def test_google_still_logs_in_to_the_account_while_the_generic_provider_does_not(
    headless_client, stand_in, settings, user
):
    oidc_settings(stand_in, settings, email_authentication=False)
    token = {"client_id": GOOGLE_CLIENT[0], "id_token": stand_in.google_id_token(GOOGLE_CLIENT[0])}

    response = token_login(headless_client, "google", token)

    assert response.status_code == 200, response.content
    assert SocialAccount.objects.get(provider="google").user == user


@pytest.mark.parametrize("switch", [True, False])
def test_an_unverified_address_from_the_generic_provider_never_logs_in(
    headless_client, stand_in, settings, user, switch
):
    oidc_settings(stand_in, settings, email_authentication=switch)
    token = {"client_id": OIDC_CLIENT[0], "id_token": stand_in.oidc_id_token(OIDC_CLIENT[0], email_verified=False)}

    response = token_login(headless_client, OIDC_PROVIDER_ID, token)

    assert response.status_code == 401, response.content
    assert not SocialAccount.objects.exists()
