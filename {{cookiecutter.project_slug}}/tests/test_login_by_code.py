"""Logging in with a code from the mail instead of a password (ACCOUNT_LOGIN_BY_CODE_ENABLED), on both clients.

allauth's limits apply: a few wrong codes end the flow, a code expires (the
tests move allauth's clock instead of waiting), asking for codes is
rate-limited, and an address without an account is answered, and mailed, as
one with an account.
"""

import pytest
from allauth.account import app_settings as allauth_account
from django.conf import settings
from django.core import mail

from .conftest import (
    EMAIL,
    OTHER_EMAIL,
    HeadlessClient,
    another_code,
    code_in_mail,
    flow_ids,
    mails_to,
    pending_flow,
    pending_flows,
    shape,
)

UNKNOWN_EMAIL = "nobody@example.com"


@pytest.fixture
def login_by_code(routed_settings) -> None:
    """ACCOUNT_LOGIN_BY_CODE_ENABLED=on: allauth routes the endpoints that ask for a code."""
    routed_settings(ACCOUNT_LOGIN_BY_CODE_ENABLED=True)


def ask_for_code(client: HeadlessClient, email: str = EMAIL):
    response = client.post("auth/code/request", {"email": email})
    assert response.status_code == 401, response.content
    assert pending_flow(response)["id"] == "login_by_code"
    return response


def assert_incorrect(response) -> None:
    assert response.status_code == 400, response.content
    assert [(error["code"], error["param"]) for error in response.json()["errors"]] == [("incorrect_code", "code")]


def test_it_is_off_unless_turned_on(headless_client, user):
    assert headless_client.get("config").json()["data"]["account"]["login_by_code_enabled"] is False
    assert "login_by_code" not in flow_ids(headless_client.get("auth/session"))

    assert headless_client.post("auth/code/request", {"email": EMAIL}).status_code == 404
    assert mail.outbox == []


def test_config_and_the_login_flows_offer_it(login_by_code, headless_client, db):
    assert headless_client.get("config").json()["data"]["account"]["login_by_code_enabled"] is True
    assert "login_by_code" in flow_ids(headless_client.get("auth/session"))


def test_the_code_from_the_mail_logs_in(login_by_code, headless_client, user):
    ask_for_code(headless_client)
    [message] = mails_to(EMAIL)
    assert message.subject == f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your login code"

    response = headless_client.post("auth/code/confirm", {"code": code_in_mail(EMAIL)})

    assert response.status_code == 200, response.content
    assert response.json()["data"]["user"]["email"] == EMAIL
    assert response.json()["data"]["methods"][-1]["method"] == "code"
    assert headless_client.get("auth/session").status_code == 200
    assert headless_client.api("GET", "me").json()["email"] == EMAIL


def test_the_code_works_once(login_by_code, headless_client, user):
    ask_for_code(headless_client)
    code = code_in_mail(EMAIL)
    assert headless_client.post("auth/code/confirm", {"code": code}).status_code == 200
    again = HeadlessClient(headless_client.kind)
    ask_for_code(again)

    assert_incorrect(again.post("auth/code/confirm", {"code": code}))


def test_the_code_may_be_typed_in_lower_case_without_its_dash(login_by_code, headless_client, user):
    ask_for_code(headless_client)

    response = headless_client.post("auth/code/confirm", {"code": code_in_mail(EMAIL).replace("-", "").lower()})

    assert response.status_code == 200, response.content


def test_a_wrong_code_is_refused_and_the_right_one_still_works(login_by_code, headless_client, user):
    ask_for_code(headless_client)
    code = code_in_mail(EMAIL)

    assert_incorrect(headless_client.post("auth/code/confirm", {"code": another_code(code)}))
    assert pending_flow(headless_client.get("auth/session"))["id"] == "login_by_code"
    assert headless_client.post("auth/code/confirm", {"code": code}).status_code == 200


def test_too_many_wrong_codes_end_the_flow(login_by_code, headless_client, user):
    ask_for_code(headless_client)
    code = code_in_mail(EMAIL)

    for _ in range(allauth_account.LOGIN_BY_CODE_MAX_ATTEMPTS):
        assert_incorrect(headless_client.post("auth/code/confirm", {"code": another_code(code)}))

    assert headless_client.post("auth/code/confirm", {"code": code}).status_code == 409
    assert pending_flows(headless_client.get("auth/session")) == []


@pytest.mark.parametrize(("seconds", "status"), [(-10, 200), (+1, 409)], ids=["just_in_time", "expired"])
def test_a_code_expires(login_by_code, headless_client, user, clock, seconds, status):
    ask_for_code(headless_client)

    clock.advance(allauth_account.LOGIN_BY_CODE_TIMEOUT + seconds)
    response = headless_client.post("auth/code/confirm", {"code": code_in_mail(EMAIL)})

    assert response.status_code == status, response.content
    if status == 409:
        assert "login_by_code" not in pending_flows(headless_client.get("auth/session"))


def test_a_code_for_another_address_is_refused(login_by_code, headless_client, user, other_user):
    ask_for_code(HeadlessClient(headless_client.kind), OTHER_EMAIL)
    ask_for_code(headless_client)

    assert_incorrect(headless_client.post("auth/code/confirm", {"code": code_in_mail(OTHER_EMAIL)}))
    response = headless_client.post("auth/code/confirm", {"code": code_in_mail(EMAIL)})
    assert response.json()["data"]["user"]["email"] == EMAIL


def test_an_address_without_an_account_is_answered_and_mailed_as_one_with(login_by_code, headless_client, user):
    unknown_client = HeadlessClient(headless_client.kind)

    known = ask_for_code(headless_client)
    unknown = ask_for_code(unknown_client, UNKNOWN_EMAIL)

    assert shape(known.json()) == shape(unknown.json())
    assert len(mails_to(EMAIL)) == len(mails_to(UNKNOWN_EMAIL)) == 1
    # Guessing gets the same answers until the flow ends, for both.
    code = code_in_mail(EMAIL)
    answers = [
        [client.post("auth/code/confirm", {"code": another_code(code)}).json() for _ in range(4)]
        for client in (headless_client, unknown_client)
    ]
    assert answers[0] == answers[1]
    assert answers[0][-1] == {"status": 409}


def test_a_new_code_replaces_the_last_until_none_are_left(login_by_code, headless_client, user):
    ask_for_code(headless_client)
    first = code_in_mail(EMAIL)

    codes = [first]
    for _ in range(allauth_account.LOGIN_BY_CODE_MAX_RESEND_COUNT):
        assert headless_client.post("auth/code/resend").status_code == 200
        codes.append(code_in_mail(EMAIL))

    assert len(set(codes)) == len(codes) == len(mails_to(EMAIL))
    assert headless_client.post("auth/code/resend").status_code == 409
    assert_incorrect(headless_client.post("auth/code/confirm", {"code": first}))
    assert headless_client.post("auth/code/confirm", {"code": codes[-1]}).status_code == 200


def test_a_new_code_keeps_the_first_ones_time(login_by_code, headless_client, user, clock):
    ask_for_code(headless_client)
    clock.advance(allauth_account.LOGIN_BY_CODE_TIMEOUT - 10)
    assert headless_client.post("auth/code/resend").status_code == 200

    clock.advance(20)

    assert headless_client.post("auth/code/confirm", {"code": code_in_mail(EMAIL)}).status_code == 409


@pytest.mark.parametrize("email", [EMAIL, UNKNOWN_EMAIL], ids=["known", "unknown"])
def test_asking_for_codes_is_rate_limited_per_address(login_by_code, headless_client, user, email):
    for _ in range(3):
        ask_for_code(HeadlessClient(headless_client.kind), email)

    response = HeadlessClient(headless_client.kind).post("auth/code/request", {"email": email})

    assert response.status_code == 400
    assert [error["code"] for error in response.json()["errors"]] == ["too_many_login_attempts"]
    assert len(mails_to(email)) == 3
