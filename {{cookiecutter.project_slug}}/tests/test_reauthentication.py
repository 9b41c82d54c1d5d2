"""Sensitive changes ask for the password again unless it was given in the last few minutes."""

from allauth.account import app_settings

from .conftest import PASSWORD

NEW_EMAIL = "new@example.com"


def age_authentication(client, seconds: int) -> None:
    """Move the session's records of authentication into the past."""
    session = client.session()
    records = session["account_authentication_methods"]
    for record in records:
        record["at"] -= seconds
    session["account_authentication_methods"] = records
    session.save()


def test_adding_an_email_requires_reauthentication(logged_in_client):
    blocked = logged_in_client.post("account/email", {"email": NEW_EMAIL})
    assert blocked.status_code == 401
    assert any(flow["id"] == "reauthenticate" for flow in blocked.json()["data"]["flows"])

    assert logged_in_client.post("auth/reauthenticate", {"password": "wrong"}).status_code == 400
    assert logged_in_client.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200

    assert logged_in_client.post("account/email", {"email": NEW_EMAIL}).status_code == 200


def test_reauthentication_expires(reauthenticated_client):
    age_authentication(reauthenticated_client, app_settings.REAUTHENTICATION_TIMEOUT + 1)

    assert reauthenticated_client.post("account/email", {"email": NEW_EMAIL}).status_code == 401
