"""The export, GET /api/v1/me/export: everything kept about the user, for them only, without a secret."""

from allauth.account import app_settings as account_settings
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model

from account_data.export import EXPORTED, NOT_EXPORTED

from .conftest import EMAIL, OTHER_EMAIL, PASSWORD, HeadlessClient
from .test_reauthentication import age_authentication

SECOND_EMAIL = "ada.lovelace@example.org"


def reauthenticate(client: HeadlessClient) -> None:
    assert client.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200


def exported(client: HeadlessClient) -> dict:
    response = client.api("GET", "me/export")
    assert response.status_code == 200, response.content
    return response.json()


def test_every_model_that_points_at_the_user_is_exported_or_left_out_with_a_reason():
    related = {relation.related_model._meta.label for relation in get_user_model()._meta.related_objects}

    forgotten = related - EXPORTED.keys() - NOT_EXPORTED.keys()

    assert not forgotten, (
        f"{sorted(forgotten)} keep rows of a user but are not in the export: add a section for each to "
        "account_data/export.py (EXPORTED), or its reason to NOT_EXPORTED."
    )
    assert not EXPORTED.keys() & NOT_EXPORTED.keys()
    # Entries for models that no longer point at the user would hide a model added under the same name.
    assert EXPORTED.keys() | NOT_EXPORTED.keys() <= related


def test_the_export_has_a_section_for_each_exported_model(api_client):
    reauthenticate(api_client)

    document = exported(api_client)

    assert set(EXPORTED.values()) <= document.keys()
    assert set(document) == {"exported_at", "user", *EXPORTED.values()}


def test_the_export_needs_a_recent_reauthentication(api_client):
    response = api_client.api("GET", "me/export")

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "reauthentication_required"
    assert {"id": "reauthenticate"} in response.json()["data"]["flows"]

    reauthenticate(api_client)
    age_authentication(api_client, account_settings.REAUTHENTICATION_TIMEOUT + 1)
    assert api_client.api("GET", "me/export").status_code == 401


def test_the_export_needs_a_login(db):
    response = HeadlessClient("browser").api("GET", "me/export")

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_the_export_describes_the_user_and_their_rows(api_client, user, other_user):
    EmailAddress.objects.create(user=user, email=SECOND_EMAIL, verified=False, primary=False)
    other_device = HeadlessClient("browser")
    other_device.login()
    HeadlessClient("browser").login(OTHER_EMAIL)
    LogEntry.objects.log_actions(
        user.pk, [other_user], CHANGE, change_message="Changed display name.", single_object=True
    )
    reauthenticate(api_client)

    response = api_client.api("GET", "me/export")

    assert response["Content-Disposition"] == 'attachment; filename="account-export.json"'
    assert "no-store" in response["Cache-Control"]
    document = response.json()
    assert document["user"]["id"] == str(user.pk)
    assert document["user"]["email"] == EMAIL
    assert document["email_addresses"] == [
        {"email": EMAIL, "primary": True, "verified": True},
        {"email": SECOND_EMAIL, "primary": False, "verified": False},
    ]
    sessions = document["sessions"]
    assert len(sessions) == UserSession.objects.filter(user=user).count() == 2
    assert [session["current"] for session in sessions].count(True) == 1
    kinds = {event["kind"] for event in document["security_events"]}
    assert {"login", "reauthenticated"} <= kinds
    [action] = document["admin_actions"]
    assert action["action"] == "change"
    assert action["object"] == str(other_user)


def test_the_export_holds_no_secret_and_nothing_of_other_users(api_client, user, other_user):
    HeadlessClient("browser").login(OTHER_EMAIL)
    reauthenticate(api_client)

    text = api_client.api("GET", "me/export").content.decode()

    user.refresh_from_db()
    assert user.password not in text
    assert PASSWORD not in text
    for session in UserSession.objects.filter(user=user):
        assert session.session_key not in text
    for token in (api_client.session_token, api_client.access_token, api_client.refresh_token):
        assert not token or token not in text
    assert OTHER_EMAIL not in text
    assert str(other_user.pk) not in text
