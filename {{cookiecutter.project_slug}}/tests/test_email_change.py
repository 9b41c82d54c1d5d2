"""Changing the email address: confirmation link to the new address, cancel link to the old one."""

from .conftest import EMAIL, link_in_mail, mails_to, path_params

NEW_EMAIL = "ada.lovelace@example.org"


def addresses(client) -> dict[str, dict]:
    return {entry["email"]: entry for entry in client.get("account/email").json()["data"]}


def test_change_is_confirmed_from_the_link_sent_to_the_new_address(reauthenticated_client):
    assert reauthenticated_client.post("account/email", {"email": NEW_EMAIL}).status_code == 200
    link = link_in_mail(NEW_EMAIL, "EMAIL_CHANGE_CONFIRMATION_URL")
    key = path_params(link, "EMAIL_CHANGE_CONFIRMATION_URL")["token"]

    verified = reauthenticated_client.post("auth/email/verify", {"key": key})

    assert verified.status_code == 200
    # The answer's user has the new address, although the change saved it on another copy of the user.
    assert verified.json()["data"]["user"]["email"] == NEW_EMAIL
    assert addresses(reauthenticated_client) == {
        NEW_EMAIL: {"email": NEW_EMAIL, "primary": True, "verified": True},
    }
    # The old address is told that the change happened.
    assert any("changed" in message.body for message in mails_to(EMAIL))


def test_old_address_gets_a_link_to_cancel_and_cancelling_removes_the_new_address(reauthenticated_client):
    reauthenticated_client.post("account/email", {"email": NEW_EMAIL})

    link_in_mail(EMAIL, "EMAIL_CHANGE_CANCEL_URL")
    assert NEW_EMAIL in addresses(reauthenticated_client)

    assert reauthenticated_client.delete("account/email", {"email": NEW_EMAIL}).status_code == 200
    assert list(addresses(reauthenticated_client)) == [EMAIL]


def test_a_confirmation_key_from_the_change_cannot_be_reused(reauthenticated_client):
    reauthenticated_client.post("account/email", {"email": NEW_EMAIL})
    link = link_in_mail(NEW_EMAIL, "EMAIL_CHANGE_CONFIRMATION_URL")
    key = path_params(link, "EMAIL_CHANGE_CONFIRMATION_URL")["token"]
    reauthenticated_client.post("auth/email/verify", {"key": key})

    assert reauthenticated_client.post("auth/email/verify", {"key": key}).status_code == 400
