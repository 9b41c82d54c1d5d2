"""Security events of providers: connected, disconnected and logged in with, each recorded by its flow."""

from django.contrib.auth import get_user_model

from security_events.models import SecurityEvent

from ..conftest import PASSWORD, HeadlessClient
from ..test_security_events import events
from .conftest import CALLBACK_URL, redirect_login, token_login
from .test_accounts import NEW_PASSWORD, github_token, google_token


def test_connecting_and_disconnecting_a_provider_are_recorded(reauthenticated_client, stand_in, user):
    connected = token_login(reauthenticated_client, "github", github_token(stand_in), process="connect")
    assert connected.status_code == 200, connected.content
    account = {"provider": "github", "account": stand_in.user.id}
    disconnected = reauthenticated_client.delete("account/providers", account)
    assert disconnected.status_code == 200, disconnected.content

    assert events(user)[-2:] == [
        ("provider_connected", {"provider": "github"}),
        ("provider_disconnected", {"provider": "github"}),
    ]
    assert {event.client for event in SecurityEvent.objects.filter(user=user)} == {reauthenticated_client.kind}


def test_a_login_by_provider_is_recorded_with_the_provider(headless_client, stand_in, user):
    # The provider vouches for the account's address: allauth connects it at this first login.
    assert token_login(headless_client, "github", github_token(stand_in)).status_code == 200

    assert events(user) == [
        ("provider_connected", {"provider": "github"}),
        ("login", {"method": "provider", "provider": "github"}),
    ]
    assert {event.client for event in SecurityEvent.objects.filter(user=user)} == {headless_client.kind}


def test_the_browsers_redirect_flow_is_recorded_for_the_browser(stand_in, user):
    client = HeadlessClient("browser")
    client.login()
    assert client.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200

    # The provider sends the browser back to allauth's callback, outside the headless API's paths.
    assert redirect_login(client, "google", process="connect")["Location"] == CALLBACK_URL
    client.delete("auth/session")
    assert redirect_login(client, "google")["Location"] == CALLBACK_URL

    assert events(user)[-3:] == [
        ("provider_connected", {"provider": "google"}),
        ("logout", {}),
        ("login", {"method": "provider", "provider": "google"}),
    ]
    assert {event.client for event in SecurityEvent.objects.filter(user=user)} == {"browser"}


def test_an_account_made_by_a_provider_records_the_password_it_sets(headless_client, stand_in, db):
    assert token_login(headless_client, "google", google_token(stand_in)).status_code == 200
    user = get_user_model().objects.get()

    assert headless_client.post("account/password/change", {"new_password": NEW_PASSWORD}).status_code == 200

    assert events(user) == [
        ("login", {"method": "provider", "provider": "google"}),
        ("password_set", {}),
    ]
