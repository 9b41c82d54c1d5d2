"""Confirming an address with a code from the mail instead of a link (ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED).

Every address is confirmed so: after signup, at a login before the first
confirmation, and a new address of an account. allauth's limits apply as to
every code by mail, and a signup with a taken address gets the same answers
and as many mails as one with a new address.
"""

import pytest
from allauth.account import app_settings as allauth_account
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail

from .conftest import (
    EMAIL,
    PASSWORD,
    HeadlessClient,
    another_code,
    code_in_mail,
    link_in_mail,
    mails_to,
    pending_flow,
    pending_flows,
    shape,
    username_if_any,
)

NEW_EMAIL = "grace@example.com"
OTHER_NEW_EMAIL = "hopper@example.com"


@pytest.fixture
def verification_by_code(settings) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True


def sign_up(client: HeadlessClient, email: str = NEW_EMAIL):
    body = {"email": email, "password": PASSWORD, **username_if_any(email.split("@")[0] + "x")}
    response = client.post("auth/signup", body)
    assert response.status_code == 401, response.content
    assert pending_flow(response)["id"] == "verify_email"
    return response


def verify(client: HeadlessClient, code: str):
    return client.post("auth/email/verify", {"key": code})


def assert_incorrect(response) -> None:
    assert response.status_code == 400, response.content
    assert [(error["code"], error["param"]) for error in response.json()["errors"]] == [("incorrect_code", "key")]


def test_it_is_off_unless_turned_on(headless_client, db):
    assert headless_client.get("config").json()["data"]["account"]["email_verification_by_code_enabled"] is False

    sign_up(headless_client)

    link_in_mail(NEW_EMAIL, "EMAIL_VERIFICATION_URL")


def test_the_code_from_the_mail_completes_the_signup(verification_by_code, headless_client, db):
    assert headless_client.get("config").json()["data"]["account"]["email_verification_by_code_enabled"] is True
    sign_up(headless_client)
    [message] = mails_to(NEW_EMAIL)
    assert message.subject == f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Confirm your email address"

    response = verify(headless_client, code_in_mail(NEW_EMAIL))

    assert response.status_code == 200, response.content
    assert response.json()["data"]["user"]["email"] == NEW_EMAIL
    assert headless_client.get("auth/session").status_code == 200
    assert headless_client.api("GET", "me").json()["email_verified"] is True


def test_a_login_before_the_address_is_confirmed_mails_a_new_code(verification_by_code, headless_client, db, clock):
    sign_up(HeadlessClient(headless_client.kind))
    clock.advance(10)  # allauth mails one code per address every 10 seconds

    response = headless_client.post("auth/login", {"email": NEW_EMAIL, "password": PASSWORD})

    assert pending_flow(response)["id"] == "verify_email"
    assert len(mails_to(NEW_EMAIL)) == 2
    assert verify(headless_client, code_in_mail(NEW_EMAIL)).status_code == 200


def test_a_wrong_code_is_refused_and_the_right_one_still_works(verification_by_code, headless_client, db):
    sign_up(headless_client)
    code = code_in_mail(NEW_EMAIL)

    assert_incorrect(verify(headless_client, another_code(code)))

    assert verify(headless_client, code).status_code == 200


def test_too_many_wrong_codes_end_the_flow(verification_by_code, headless_client, db):
    sign_up(headless_client)
    code = code_in_mail(NEW_EMAIL)

    for _ in range(allauth_account.EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS):
        assert_incorrect(verify(headless_client, another_code(code)))

    assert verify(headless_client, code).status_code == 409
    assert pending_flows(headless_client.get("auth/session")) == []
    assert not EmailAddress.objects.filter(email=NEW_EMAIL, verified=True).exists()


@pytest.mark.parametrize(("seconds", "status"), [(-10, 200), (+1, 409)], ids=["just_in_time", "expired"])
def test_a_code_expires(verification_by_code, headless_client, db, clock, seconds, status):
    sign_up(headless_client)

    clock.advance(allauth_account.EMAIL_VERIFICATION_BY_CODE_TIMEOUT + seconds)

    assert verify(headless_client, code_in_mail(NEW_EMAIL)).status_code == status


def test_a_code_for_another_address_is_refused(verification_by_code, headless_client, db):
    sign_up(HeadlessClient(headless_client.kind), OTHER_NEW_EMAIL)
    sign_up(headless_client)

    assert_incorrect(verify(headless_client, code_in_mail(OTHER_NEW_EMAIL)))
    assert verify(headless_client, code_in_mail(NEW_EMAIL)).json()["data"]["user"]["email"] == NEW_EMAIL


def test_a_taken_address_is_answered_and_mailed_as_a_new_one(verification_by_code, headless_client, user):
    taken_client = HeadlessClient(headless_client.kind)

    new = sign_up(headless_client)
    taken = sign_up(taken_client, EMAIL)

    assert shape(new.json()) == shape(taken.json())
    assert len(mails_to(NEW_EMAIL)) == len(mails_to(EMAIL)) == 1
    assert get_user_model().objects.filter(email=EMAIL).count() == 1
    # Guessing gets the same answers until the flow ends, for both.
    code = code_in_mail(NEW_EMAIL)
    answers = [
        [
            verify(client, another_code(code)).json()
            for _ in range(allauth_account.EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS + 1)
        ]
        for client in (headless_client, taken_client)
    ]
    assert answers[0] == answers[1]
    assert answers[0][-1] == {"status": 409}


def test_a_new_code_replaces_the_last_until_none_are_left(verification_by_code, headless_client, db, clock):
    sign_up(headless_client)

    codes = [code_in_mail(NEW_EMAIL)]
    for _ in range(allauth_account.EMAIL_VERIFICATION_MAX_RESEND_COUNT):
        clock.advance(10)  # allauth mails one code per address every 10 seconds
        assert headless_client.post("auth/email/verify/resend").status_code == 200
        codes.append(code_in_mail(NEW_EMAIL))

    assert len(set(codes)) == len(codes) == len(mails_to(NEW_EMAIL))
    clock.advance(10)
    assert headless_client.post("auth/email/verify/resend").status_code == 409
    assert_incorrect(verify(headless_client, codes[0]))
    assert verify(headless_client, codes[-1]).status_code == 200


def test_new_codes_are_mailed_at_most_every_ten_seconds(verification_by_code, headless_client, db):
    sign_up(headless_client)

    assert headless_client.post("auth/email/verify/resend").status_code == 429
    assert len(mails_to(NEW_EMAIL)) == 1


def test_a_new_address_is_confirmed_by_code(verification_by_code, reauthenticated_client):
    assert reauthenticated_client.post("account/email", {"email": NEW_EMAIL}).status_code == 200

    response = verify(reauthenticated_client, code_in_mail(NEW_EMAIL))

    assert response.status_code == 200, response.content
    assert response.json()["data"]["user"]["email"] == NEW_EMAIL
    assert reauthenticated_client.get("account/email").json()["data"] == [
        {"email": NEW_EMAIL, "primary": True, "verified": True}
    ]


def test_a_change_of_address_is_stopped_by_a_new_password(verification_by_code, reauthenticated_client):
    """The change waits in the session that asked for it, where the old address cannot cancel it."""
    reauthenticated_client.post("account/email", {"email": NEW_EMAIL})
    code = code_in_mail(NEW_EMAIL)
    # The notice to the old address says so, and links to where a new password is set.
    [notice] = mails_to(EMAIL)
    assert "change your password" in notice.body
    link_in_mail(EMAIL, "ACCOUNT_RESET_PASSWORD_URL")
    owner = HeadlessClient("app")
    owner.login()
    assert owner.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200
    changed = owner.post(
        "account/password/change", {"current_password": PASSWORD, "new_password": "A-new-passphrase-42"}
    )
    assert changed.status_code == 200, changed.content

    assert verify(reauthenticated_client, code).status_code in (401, 409, 410)
    assert EmailAddress.objects.get(email=EMAIL).primary
    assert not EmailAddress.objects.filter(email=NEW_EMAIL).exists()


def test_without_a_pending_confirmation_there_is_nothing_to_confirm(verification_by_code, headless_client, db):
    assert verify(headless_client, "ABCD-EFGH").status_code == 409
    assert headless_client.post("auth/email/verify/resend").status_code == 409
    assert mail.outbox == []
