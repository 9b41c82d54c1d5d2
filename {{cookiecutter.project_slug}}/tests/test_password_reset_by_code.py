"""Resetting a password with a code from the mail instead of a link (ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED).

The frontend asks for a code (POST auth/password/request), checks the code
(GET auth/password/reset with X-Password-Reset-Key), and sets the new password
with it (POST auth/password/reset). allauth's limits apply as to every code
by mail, and an address without an account gets the same answers and mails.
"""

import pytest
from allauth.account import app_settings as allauth_account
from django.conf import settings
from django.core import mail

from .conftest import (
    EMAIL,
    OTHER_EMAIL,
    PASSWORD,
    HeadlessClient,
    another_code,
    code_in_mail,
    mails_to,
    pending_flow,
    pending_flows,
    shape,
)

NEW_PASSWORD = "Another-staple-battery-7"
UNKNOWN_EMAIL = "nobody@example.com"


@pytest.fixture
def reset_by_code(settings) -> None:
    settings.ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True


def ask_for_code(client: HeadlessClient, email: str = EMAIL):
    response = client.post("auth/password/request", {"email": email})
    assert response.status_code == 401, response.content
    assert pending_flow(response)["id"] == "password_reset_by_code"
    return response


def check(client: HeadlessClient, code: str):
    return client.get("auth/password/reset", headers={"X-Password-Reset-Key": code})


def assert_incorrect(response) -> None:
    assert response.status_code == 400, response.content
    assert [(error["code"], error["param"]) for error in response.json()["errors"]] == [("incorrect_code", "key")]


def test_it_is_off_unless_turned_on(headless_client, user):
    assert headless_client.get("config").json()["data"]["account"]["password_reset_by_code_enabled"] is False

    response = headless_client.post("auth/password/request", {"email": EMAIL})

    assert response.status_code == 200
    [message] = mails_to(EMAIL)
    assert settings.FRONTEND_URLS["PASSWORD_RESET_URL"].split("{", 1)[0] in message.body


def test_config_offers_it(reset_by_code, headless_client, db):
    assert headless_client.get("config").json()["data"]["account"]["password_reset_by_code_enabled"] is True


def test_the_code_from_the_mail_sets_a_new_password(reset_by_code, headless_client, user):
    ask_for_code(headless_client)
    [message] = mails_to(EMAIL)
    assert message.subject == f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your password reset code"
    code = code_in_mail(EMAIL)

    checked = check(headless_client, code)
    assert checked.status_code == 200, checked.content
    assert checked.json()["data"]["user"]["email"] == EMAIL
    response = headless_client.post("auth/password/reset", {"key": code, "password": NEW_PASSWORD})

    # Not logged in (allauth's ACCOUNT_LOGIN_ON_PASSWORD_RESET is off), and nothing is pending any more.
    assert response.status_code == 401, response.content
    assert pending_flows(response) == []
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert HeadlessClient(headless_client.kind).login(password=NEW_PASSWORD).status_code == 200
    # The notice that the password changed carries a link to reset it again.
    assert "/account/password/changed" in mails_to(EMAIL)[-1].body


def test_a_new_password_the_validators_refuse_keeps_the_code(reset_by_code, headless_client, user):
    ask_for_code(headless_client)
    code = code_in_mail(EMAIL)

    refused = headless_client.post("auth/password/reset", {"key": code, "password": "short"})

    assert refused.status_code == 400
    assert {error["param"] for error in refused.json()["errors"]} == {"password"}
    assert headless_client.post("auth/password/reset", {"key": code, "password": NEW_PASSWORD}).status_code == 401
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_wrong_code_is_refused_and_the_right_one_still_works(reset_by_code, headless_client, user):
    ask_for_code(headless_client)
    code = code_in_mail(EMAIL)

    assert_incorrect(check(headless_client, another_code(code)))
    assert_incorrect(headless_client.post("auth/password/reset", {"key": another_code(code), "password": NEW_PASSWORD}))

    assert check(headless_client, code).status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("how", ["checked", "posted"])
def test_too_many_wrong_codes_end_the_flow(reset_by_code, headless_client, user, how):
    ask_for_code(headless_client)
    code = code_in_mail(EMAIL)

    for _ in range(allauth_account.PASSWORD_RESET_BY_CODE_MAX_ATTEMPTS):
        if how == "checked":
            assert_incorrect(check(headless_client, another_code(code)))
        else:
            wrong = {"key": another_code(code), "password": NEW_PASSWORD}
            assert_incorrect(headless_client.post("auth/password/reset", wrong))

    assert check(headless_client, code).status_code == 409
    assert headless_client.post("auth/password/reset", {"key": code, "password": NEW_PASSWORD}).status_code == 409
    assert pending_flows(headless_client.get("auth/session")) == []
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(("seconds", "status"), [(-10, 200), (+1, 409)], ids=["just_in_time", "expired"])
def test_a_code_expires(reset_by_code, headless_client, user, clock, seconds, status):
    ask_for_code(headless_client)

    clock.advance(allauth_account.PASSWORD_RESET_BY_CODE_TIMEOUT + seconds)

    assert check(headless_client, code_in_mail(EMAIL)).status_code == status


def test_a_checked_code_gives_the_full_time_again_to_choose_the_password(reset_by_code, headless_client, user, clock):
    ask_for_code(headless_client)
    code = code_in_mail(EMAIL)
    clock.advance(allauth_account.PASSWORD_RESET_BY_CODE_TIMEOUT - 10)
    assert check(headless_client, code).status_code == 200

    clock.advance(allauth_account.PASSWORD_RESET_BY_CODE_TIMEOUT - 10)

    assert headless_client.post("auth/password/reset", {"key": code, "password": NEW_PASSWORD}).status_code == 401


def test_a_code_for_another_address_is_refused(reset_by_code, headless_client, user, other_user):
    ask_for_code(HeadlessClient(headless_client.kind), OTHER_EMAIL)
    ask_for_code(headless_client)

    assert_incorrect(check(headless_client, code_in_mail(OTHER_EMAIL)))
    assert_incorrect(
        headless_client.post("auth/password/reset", {"key": code_in_mail(OTHER_EMAIL), "password": NEW_PASSWORD})
    )
    other_user.refresh_from_db()
    assert other_user.check_password(PASSWORD)


@pytest.mark.parametrize("how", ["checked", "posted"])
def test_an_address_without_an_account_is_answered_and_mailed_as_one_with(reset_by_code, headless_client, user, how):
    unknown_client = HeadlessClient(headless_client.kind)

    known = ask_for_code(headless_client)
    unknown = ask_for_code(unknown_client, UNKNOWN_EMAIL)

    assert shape(known.json()) == shape(unknown.json())
    assert len(mails_to(EMAIL)) == len(mails_to(UNKNOWN_EMAIL)) == 1
    # Guessing gets the same answers until the flow ends, for both; a weak password changes nothing.
    code = code_in_mail(EMAIL)
    answers = []
    for client in (headless_client, unknown_client):
        guesses = range(allauth_account.PASSWORD_RESET_BY_CODE_MAX_ATTEMPTS + 1)
        if how == "checked":
            answers.append([check(client, another_code(code)).json() for _ in guesses])
        else:
            guess = {"key": another_code(code), "password": EMAIL}
            answers.append([client.post("auth/password/reset", guess).json() for _ in guesses])
    assert answers[0] == answers[1]
    assert answers[0][-1] == {"status": 409}


def test_asking_for_codes_is_rate_limited_per_address(reset_by_code, headless_client, user):
    for _ in range(5):
        ask_for_code(HeadlessClient(headless_client.kind))

    response = HeadlessClient(headless_client.kind).post("auth/password/request", {"email": EMAIL})

    assert response.status_code == 429
    assert len(mails_to(EMAIL)) == 5


def test_without_a_code_asked_for_there_is_nothing_to_check(reset_by_code, headless_client, user):
    assert check(headless_client, "ABCD-EFGH").status_code == 409
    assert mail.outbox == []
