"""Export and deletion of a user with a connected provider: the profile is exported, never the provider's tokens."""

from allauth.socialaccount.models import SocialAccount, SocialToken

from ..conftest import PASSWORD, HeadlessClient


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
