"""Export and deletion of a user with a connected provider: the profile is exported, never the provider's tokens."""

from allauth.socialaccount.models import SocialAccount, SocialToken

from ..conftest import PASSWORD, HeadlessClient
from .conftest import token_login
from .test_login import provider_token


def test_the_export_lists_providers_with_their_profile_but_not_their_tokens(user):
    account = SocialAccount.objects.create(
        user=user, provider="github", uid="4242", extra_data={"login": "ada", "name": "Ada Lovelace"}
    )
    SocialToken.objects.create(account=account, token="gho_provider-access-token", token_secret="provider-secret")
    client = HeadlessClient("app")
    client.login()
    assert client.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200

    response = client.api("GET", "me/export")

    assert response.status_code == 200, response.content
    [provider] = response.json()["providers"]
    assert provider["provider"] == "github"
    assert provider["uid"] == "4242"
    assert provider["profile"] == {"login": "ada", "name": "Ada Lovelace"}
    assert "gho_provider-access-token" not in response.content.decode()
    assert "provider-secret" not in response.content.decode()


def test_a_closed_account_cannot_log_in_through_its_provider(headless_client, stand_in, user):
    assert token_login(headless_client, "google", provider_token(stand_in, "google")).status_code == 200
    assert headless_client.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200
    assert headless_client.api("DELETE", "me").status_code == 202

    again = HeadlessClient(headless_client.kind)
    response = token_login(again, "google", provider_token(stand_in, "google"))

    assert response.status_code != 200, response.content
    assert again.get("auth/session").status_code == 401
