"""Accounts made or reached through a provider: signup without a verified address, connecting and
disconnecting providers, and setting a password on an account that has none."""

import pytest
from allauth.account import app_settings
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from ..conftest import EMAIL, PASSWORD, HeadlessClient, link_in_mail, mails_to, path_params, username_if_any
from ..test_reauthentication import age_authentication
from .conftest import CALLBACK_URL, GITHUB_CLIENT, GOOGLE_CLIENT, flows_of, redirect_login, token_login

NEW_ADDRESS = "grace@example.com"
NEW_PASSWORD = "Another-horse-battery-7"


def username_of(name: str) -> dict[str, str]:
    """``name`` as the username where the bake has usernames, else nothing."""
    return {"username": name} if username_if_any() else {}


def github_token(stand_in) -> dict:
    return {"client_id": GITHUB_CLIENT[0], "access_token": stand_in.github_access_token(GITHUB_CLIENT[0])}


def google_token(stand_in) -> dict:
    return {"client_id": GOOGLE_CLIENT[0], "id_token": stand_in.google_id_token(GOOGLE_CLIENT[0])}


def verify_by_link(client: HeadlessClient, address: str):
    link = link_in_mail(address, "EMAIL_VERIFICATION_URL")
    return client.post("auth/email/verify", {"key": path_params(link, "EMAIL_VERIFICATION_URL")["token"]})


def test_a_provider_without_an_address_asks_for_one_then_verifies_it(headless_client, stand_in, db):
    stand_in.user.email = None

    response = token_login(headless_client, "github", github_token(stand_in))

    assert response.status_code == 401, response.content
    assert flows_of(response) == ["provider_signup"]
    pending = headless_client.get("auth/provider/signup")
    assert pending.status_code == 200, pending.content
    assert pending.json()["data"]["account"]["provider"]["id"] == "github"

    signup = headless_client.post("auth/provider/signup", {"email": NEW_ADDRESS, **username_if_any()})

    assert signup.status_code == 401, signup.content
    assert flows_of(signup) == ["verify_email"]
    assert verify_by_link(headless_client, NEW_ADDRESS).status_code == 200
    session = headless_client.get("auth/session")
    assert session.status_code == 200
    assert session.json()["data"]["user"]["email"] == NEW_ADDRESS


def test_the_browser_redirect_flow_reaches_the_same_signup(stand_in, db):
    stand_in.user.email = None
    client = HeadlessClient("browser")

    response = redirect_login(client, "github")

    assert response["Location"] == CALLBACK_URL  # the frontend asks the session what is pending
    assert flows_of(client.get("auth/session")) == ["provider_signup"]


def test_a_provider_signup_with_an_address_that_has_an_account_reveals_nothing(headless_client, stand_in, user):
    stand_in.user.email = None
    token_login(headless_client, "github", github_token(stand_in))

    response = headless_client.post("auth/provider/signup", {"email": EMAIL, "username": "someone-else"})

    # As with a signup by password: the same answer as for a new address, and a mail to the owner.
    assert response.status_code == 401, response.content
    assert flows_of(response) == ["verify_email"]
    assert get_user_model().objects.count() == 1
    assert not SocialAccount.objects.exists()
    link_in_mail(EMAIL, "ACCOUNT_RESET_PASSWORD_URL")


def test_provider_signup_without_a_pending_login_is_a_409(headless_client, db):
    assert headless_client.get("auth/provider/signup").status_code == 409


def test_an_address_the_provider_has_not_verified_is_verified_by_mail(headless_client, stand_in, db):
    stand_in.user.email_verified = False

    response = token_login(headless_client, "google", google_token(stand_in))

    assert response.status_code == 401, response.content
    assert flows_of(response) == ["verify_email"]
    assert verify_by_link(headless_client, EMAIL).status_code == 200
    assert headless_client.get("auth/session").status_code == 200


def test_connecting_a_provider_needs_a_recent_reauthentication(logged_in_client, stand_in):
    response = token_login(logged_in_client, "github", github_token(stand_in), process="connect")

    assert response.status_code == 401, response.content
    assert "reauthenticate" in [flow["id"] for flow in response.json()["data"]["flows"]]
    assert not SocialAccount.objects.exists()


def test_a_reauthenticated_user_connects_providers_and_lists_them(reauthenticated_client, stand_in, user):
    response = token_login(reauthenticated_client, "github", github_token(stand_in), process="connect")

    assert response.status_code == 200, response.content
    listed = reauthenticated_client.get("account/providers")
    assert listed.status_code == 200
    assert [(account["provider"]["id"], account["uid"]) for account in listed.json()["data"]] == [
        ("github", stand_in.user.id)
    ]
    assert SocialAccount.objects.get().user == user
    [notice] = [message for message in mails_to(EMAIL) if message.subject.endswith("GitHub account connected")]
    assert "GitHub" in notice.alternatives[0][0]


def test_the_browser_connects_through_the_redirect_flow(stand_in, user):
    client = HeadlessClient("browser")
    client.login()
    assert client.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200

    response = redirect_login(client, "google", process="connect")

    assert response["Location"] == CALLBACK_URL
    assert SocialAccount.objects.get(provider="google").user == user


def test_a_provider_account_of_another_user_cannot_be_connected(reauthenticated_client, stand_in, user):
    owner = get_user_model().objects.create_user(**username_of("other"), email="other@example.com", password=PASSWORD)
    SocialAccount.objects.create(user=owner, provider="github", uid=stand_in.user.id)

    response = token_login(reauthenticated_client, "github", github_token(stand_in), process="connect")

    assert response.status_code == 400, response.content
    assert SocialAccount.objects.get().user == owner


@pytest.fixture
def connected_client(reauthenticated_client, stand_in) -> HeadlessClient:
    response = token_login(reauthenticated_client, "github", github_token(stand_in), process="connect")
    assert response.status_code == 200, response.content
    return reauthenticated_client


def test_a_reauthenticated_user_disconnects_a_provider(connected_client, stand_in):
    response = connected_client.delete("account/providers", {"provider": "github", "account": stand_in.user.id})

    assert response.status_code == 200, response.content
    assert response.json()["data"] == []
    assert not SocialAccount.objects.exists()
    [notice] = [message for message in mails_to(EMAIL) if message.subject.endswith("GitHub account disconnected")]
    assert "GitHub" in notice.alternatives[0][0]


def test_disconnecting_needs_a_recent_reauthentication(connected_client, stand_in):
    age_authentication(connected_client, app_settings.REAUTHENTICATION_TIMEOUT + 1)

    response = connected_client.delete("account/providers", {"provider": "github", "account": stand_in.user.id})

    assert response.status_code == 401, response.content
    assert SocialAccount.objects.exists()


def test_an_unknown_provider_account_is_a_400(connected_client):
    response = connected_client.delete("account/providers", {"provider": "github", "account": "no-such-id"})

    assert response.status_code == 400, response.content


@pytest.fixture
def social_only_client(headless_client, stand_in, db) -> HeadlessClient:
    """Signed up through Google moments ago: an account with no password."""
    response = token_login(headless_client, "google", google_token(stand_in))
    assert response.status_code == 200, response.content
    assert not get_user_model().objects.get().has_usable_password()
    return headless_client


def test_the_last_provider_of_an_account_without_password_stays(social_only_client, stand_in):
    response = social_only_client.delete("account/providers", {"provider": "google", "account": stand_in.user.id})

    assert response.status_code == 400, response.content
    assert SocialAccount.objects.exists()


def test_an_account_without_password_sets_one_and_logs_in_with_it(social_only_client):
    response = social_only_client.post("account/password/change", {"new_password": NEW_PASSWORD})

    assert response.status_code == 200, response.content
    assert response.json()["data"]["user"]["has_usable_password"] is True
    assert get_user_model().objects.get().check_password(NEW_PASSWORD)
    [notice] = [message for message in mails_to(EMAIL) if message.subject.endswith("Password set")]
    assert "password was set" in notice.body
    assert HeadlessClient(social_only_client.kind).login(EMAIL, NEW_PASSWORD).status_code == 200


def test_a_signup_with_its_address_mails_the_set_password_link(social_only_client):
    stranger = HeadlessClient(social_only_client.kind)

    response = stranger.post("auth/signup", {"email": EMAIL, "password": NEW_PASSWORD, **username_of("eve")})

    assert response.status_code == 401, response.content  # the answer for a new address: nothing revealed

    assert link_in_mail(EMAIL, "SET_PASSWORD_URL") == "https://app.example.com/account/password/set"
    assert get_user_model().objects.count() == 1
