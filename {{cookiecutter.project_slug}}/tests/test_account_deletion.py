"""Deleting an account: closed at once, cancelled with the mail's link, deleted for good after the grace period."""

import json
from datetime import datetime, timedelta

import pytest
from allauth.account import app_settings as account_settings
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from account_data import deletion
from account_data.models import PendingDeletion
from account_data.signals import account_deleting
from account_data.tasks import delete_due
from security_events.models import SecurityEvent

from .conftest import (
    CODE_LINE,
    EMAIL,
    PASSWORD,
    HeadlessClient,
    link_in_mail,
    mails_to,
    path_params,
    tables_holding,
    username_if_any,
)
from .test_reauthentication import age_authentication

CANCEL = "/api/v1/me/deletion/cancel"


class MovedClock:
    """django.utils.timezone as account_data/deletion.py sees it, moved forward by tests instead of waiting."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self):
        return timezone.now() + self.offset

    def advance(self, **duration) -> None:
        self.offset += timedelta(**duration)


@pytest.fixture
def clock(monkeypatch) -> MovedClock:
    moved = MovedClock()
    monkeypatch.setattr(deletion, "timezone", moved)
    return moved


@pytest.fixture
def reauthenticated_api_client(api_client) -> HeadlessClient:
    """Logged in with each of the three ways to call the project API, and just reauthenticated."""
    assert api_client.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200
    mail.outbox.clear()
    return api_client


def request_deletion(client: HeadlessClient):
    response = client.api("DELETE", "me")
    assert response.status_code == 202, response.content
    return response


def cancel_key() -> str:
    return path_params(link_in_mail(EMAIL, "ACCOUNT_DELETION_CANCEL_URL"), "ACCOUNT_DELETION_CANCEL_URL")["key"]


def cancel(key: str):
    """Posts the key as the frontend does: without a login, and so without a CSRF token."""
    return Client(enforce_csrf_checks=True).post(CANCEL, json.dumps({"key": key}), content_type="application/json")


def login_works(email: str = EMAIL) -> bool:
    return HeadlessClient("app").post("auth/login", {"email": email, "password": PASSWORD}).status_code == 200


def test_deletion_needs_a_recent_reauthentication(api_client, user):
    response = api_client.api("DELETE", "me")

    assert response.status_code == 401
    answer = response.json()
    assert answer["errors"][0]["code"] == "reauthentication_required"
    assert answer["data"]["flows"] == [{"id": "reauthenticate"}]
    assert answer["meta"] == {"is_authenticated": True}
    user.refresh_from_db()
    assert user.is_active
    assert not PendingDeletion.objects.exists()


def test_an_old_reauthentication_is_not_enough(reauthenticated_api_client, user):
    age_authentication(reauthenticated_api_client, account_settings.REAUTHENTICATION_TIMEOUT + 1)

    response = reauthenticated_api_client.api("DELETE", "me")

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "reauthentication_required"


def test_the_browser_must_send_the_csrf_token(user):
    browser = HeadlessClient("browser")
    browser.login()
    assert browser.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200

    response = browser.api("DELETE", "me", csrf=False)

    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "csrf_failed"


def test_the_account_is_closed_at_once(reauthenticated_api_client, user, settings):
    other_session = HeadlessClient("browser")
    other_session.login()

    response = request_deletion(reauthenticated_api_client)

    scheduled = response.json()
    delete_after = PendingDeletion.objects.get(user=user).delete_after
    assert abs(datetime.fromisoformat(scheduled["delete_after"]) - delete_after) < timedelta(milliseconds=1)
    assert delete_after - timezone.now() == pytest.approx(
        timedelta(days=settings.ACCOUNT_DELETION_GRACE_DAYS), abs=timedelta(minutes=1)
    )
    user.refresh_from_db()
    assert not user.is_active
    assert not UserSession.objects.filter(user=user).exists()
    # Every session ended: this one, and the one on another device.
    assert reauthenticated_api_client.api("GET", "me").status_code == 401
    assert other_session.api("GET", "me").status_code == 401
    assert other_session.get("auth/session").status_code == 401
    assert not login_works()


def test_the_app_tokens_stop_working(jwt_tokens, user):
    app = HeadlessClient("app", bearer=True)
    app.login()
    assert app.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200
    refresh_token = app.refresh_token

    request_deletion(app)

    assert app.api("GET", "me").status_code == 401
    assert app.api("GET", "me", headers={"X-Session-Token": app.session_token}).status_code == 401
    refreshed = app.post("tokens/refresh", {"refresh_token": refresh_token})
    assert refreshed.status_code != 200
    assert "access_token" not in refreshed.content.decode()


def test_no_login_and_no_new_account_with_the_address_while_deletion_is_pending(reauthenticated_api_client, user):
    request_deletion(reauthenticated_api_client)

    signup = HeadlessClient("browser").post(
        "auth/signup", {"email": EMAIL, "password": "Another-long-passphrase-4", **username_if_any("ada2")}
    )

    assert signup.status_code != 200
    assert get_user_model().objects.count() == 1
    assert not login_works()
    assert HeadlessClient("browser").post("auth/login", {"email": EMAIL, "password": PASSWORD}).status_code != 200


def test_no_code_by_mail_is_sent_for_a_closed_account(routed_settings, reauthenticated_api_client, user):
    routed_settings(ACCOUNT_LOGIN_BY_CODE_ENABLED=True)
    request_deletion(reauthenticated_api_client)
    mail.outbox.clear()
    browser = HeadlessClient("browser")

    browser.post("auth/code/request", {"email": EMAIL})

    # allauth answers as for an address without an account: a mail without a code.
    [message] = mails_to(EMAIL)
    assert CODE_LINE.findall(message.body) == []
    assert browser.get("auth/session").status_code == 401


def test_the_mail_says_when_and_links_to_the_cancel_route(reauthenticated_api_client, user):
    request_deletion(reauthenticated_api_client)

    [message] = mails_to(EMAIL)
    assert "will be deleted" in message.subject
    delete_after = PendingDeletion.objects.get(user=user).delete_after
    assert f"{delete_after:%Y}" in message.body
    assert cancel_key()


def test_deletion_is_recorded_as_a_security_event(reauthenticated_api_client, user):
    request_deletion(reauthenticated_api_client)

    event = SecurityEvent.objects.filter(user=user, kind="account_deletion_requested").get()
    assert event.client == ("browser" if reauthenticated_api_client.kind == "browser" else "app")
    assert event.detail["delete_after"] == PendingDeletion.objects.get(user=user).delete_after.isoformat()


def test_the_link_cancels_the_deletion_and_the_user_logs_in_again(reauthenticated_api_client, user, clock):
    request_deletion(reauthenticated_api_client)
    clock.advance(days=29)

    response = cancel(cancel_key())

    assert response.status_code == 200, response.content
    assert response.json() == {"status": "reopened"}
    user.refresh_from_db()
    assert user.is_active
    assert not PendingDeletion.objects.exists()
    # The sessions ended by the deletion stay ended; a new login works.
    assert reauthenticated_api_client.api("GET", "me").status_code == 401
    assert login_works()
    kinds = SecurityEvent.objects.filter(user=user).values_list("kind", flat=True)
    assert {"account_deletion_requested", "account_deletion_cancelled"} <= set(kinds)
    clock.advance(days=2)
    assert delete_due.enqueue().return_value == 0


def test_the_link_works_once(reauthenticated_api_client, user):
    request_deletion(reauthenticated_api_client)
    key = cancel_key()
    assert cancel(key).status_code == 200

    again = cancel(key)

    assert again.status_code == 400
    [error] = again.json()["errors"]
    assert (error["code"], error["param"]) == ("invalid_key", "key")


def test_a_link_from_an_earlier_deletion_does_not_cancel_a_later_one(user):
    for _round in range(2):
        app = HeadlessClient("app")
        app.login()
        assert app.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200
        mail.outbox.clear()
        request_deletion(app)
        if _round == 0:
            first_key = cancel_key()
            assert cancel(first_key).status_code == 200

    assert cancel(first_key).status_code == 400
    assert PendingDeletion.objects.filter(user=user).exists()
    assert cancel(cancel_key()).status_code == 200


def test_the_link_does_not_work_after_the_grace_period(reauthenticated_api_client, user, clock, settings):
    request_deletion(reauthenticated_api_client)
    clock.advance(days=settings.ACCOUNT_DELETION_GRACE_DAYS, minutes=1)

    response = cancel(cancel_key())

    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"key": "1:forged-signature"}, ("invalid_key", "key")),
        ({"key": "not a key at all"}, ("invalid_key", "key")),
        ({"key": ""}, ("invalid", "key")),
        ({"key": 12}, ("invalid", "key")),
        ({"key": None}, ("invalid", "key")),
        ({"key": "x" * 10_000}, ("invalid", "key")),
        ({}, ("required", "key")),
        ({"key": "a", "other": 1}, ("invalid", "other")),
        ([], ("invalid_json", None)),
        ("a string", ("invalid_json", None)),
    ],
    ids=["forged", "garbage", "empty", "number", "null", "huge", "missing", "unknown_field", "list", "string"],
)
def test_bad_input_to_the_cancel_endpoint_is_a_400_in_the_envelope(db, body, error):
    response = Client(enforce_csrf_checks=True).post(CANCEL, json.dumps(body), content_type="application/json")

    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["status"] == 400
    assert [(found["code"], found.get("param")) for found in answer["errors"]] == [error]
    assert all(found["message"] for found in answer["errors"])


def test_a_body_that_is_not_json_is_a_400(db):
    response = Client().post(CANCEL, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_json"


def test_the_account_is_deleted_after_the_grace_period_and_the_address_is_free_again(
    reauthenticated_api_client, user, clock, settings
):
    request_deletion(reauthenticated_api_client)
    events_before = SecurityEvent.objects.filter(user=user).count()
    user_id = user.pk

    clock.advance(days=settings.ACCOUNT_DELETION_GRACE_DAYS - 1)
    assert delete_due.enqueue().return_value == 0
    assert get_user_model().objects.filter(pk=user_id).exists()
    clock.advance(days=1, minutes=1)
    assert delete_due.enqueue().return_value == 1

    assert not get_user_model().objects.filter(pk=user_id).exists()
    # Nothing of the user is left but their security events, anonymised (README: "Deleting an account").
    assert tables_holding(EMAIL) == []
    assert tables_holding(str(user_id)) == tables_holding(user_id.hex) == []
    kept = SecurityEvent.objects.filter(user=None)
    assert kept.count() == events_before
    assert set(kept.values_list("ip_address", "user_agent")) == {(None, "")}
    assert all(detail == {} for detail in kept.values_list("detail", flat=True))
    # The address can sign up anew.
    signup = HeadlessClient("browser").post("auth/signup", {"email": EMAIL, "password": PASSWORD, **username_if_any()})
    assert signup.status_code in (200, 401), signup.content
    assert EmailAddress.objects.filter(email=EMAIL).exclude(user_id=user_id).exists()


def test_the_project_cleans_up_in_the_same_transaction(reauthenticated_api_client, user, clock, settings):
    seen = []

    def receiver(sender, user, **kwargs) -> None:
        seen.append((user.email, connection.in_atomic_block))

    account_deleting.connect(receiver)
    try:
        request_deletion(reauthenticated_api_client)
        clock.advance(days=settings.ACCOUNT_DELETION_GRACE_DAYS, minutes=1)
        delete_due.enqueue()
    finally:
        account_deleting.disconnect(receiver)

    assert seen == [(EMAIL, True)]


def test_a_failing_clean_up_keeps_the_account_whole_until_the_next_run(
    reauthenticated_api_client, user, clock, settings, caplog
):
    def receiver(sender, user, **kwargs) -> None:
        raise RuntimeError("the project's clean-up failed")

    request_deletion(reauthenticated_api_client)
    clock.advance(days=settings.ACCOUNT_DELETION_GRACE_DAYS, minutes=1)
    account_deleting.connect(receiver)
    try:
        assert delete_due.enqueue().return_value == 0
    finally:
        account_deleting.disconnect(receiver)

    assert "the next run tries again" in caplog.text
    assert get_user_model().objects.filter(pk=user.pk).exists()
    assert SecurityEvent.objects.filter(user=user, kind="account_deletion_requested").exists()
    assert delete_due.enqueue().return_value == 1


def test_an_account_made_active_again_by_staff_is_not_deleted(reauthenticated_api_client, user, clock, settings):
    request_deletion(reauthenticated_api_client)
    user.refresh_from_db()
    user.is_active = True
    user.save()
    clock.advance(days=settings.ACCOUNT_DELETION_GRACE_DAYS, minutes=1)

    assert delete_due.enqueue().return_value == 0

    assert get_user_model().objects.filter(pk=user.pk).exists()
    assert not PendingDeletion.objects.exists()


def test_the_command_queues_the_deletion_for_the_worker(reauthenticated_api_client, user, clock, settings):
    from django.core.management import call_command

    request_deletion(reauthenticated_api_client)
    clock.advance(days=settings.ACCOUNT_DELETION_GRACE_DAYS, minutes=1)

    call_command("delete_due_accounts")

    assert not get_user_model().objects.filter(pk=user.pk).exists()


def test_staff_see_pending_deletions_and_can_cancel_one(admin_client, reauthenticated_api_client, user):
    request_deletion(reauthenticated_api_client)
    pending = PendingDeletion.objects.get(user=user)

    listed = admin_client.get(reverse("admin:account_data_pendingdeletion_changelist"))
    page = admin_client.get(reverse("admin:account_data_pendingdeletion_change", args=[pending.pk]))

    assert listed.status_code == page.status_code == 200
    assert EMAIL in listed.content.decode()
    assert 'name="_save"' not in page.content.decode()
    admin_client.post(
        reverse("admin:account_data_pendingdeletion_changelist"),
        {"action": "cancel_deletion", "_selected_action": [pending.pk]},
    )
    user.refresh_from_db()
    assert user.is_active
    assert not PendingDeletion.objects.exists()


@pytest.mark.parametrize("value", ["0", "91", "-3"])
def test_a_grace_period_out_of_range_stops_start_up(settings_from, value):
    with pytest.raises(ImproperlyConfigured, match=r"ACCOUNT_DELETION_GRACE_DAYS=.*accounts\.E080"):
        settings_from(ACCOUNT_DELETION_GRACE_DAYS=value)


def test_a_grace_period_that_is_not_a_number_stops_start_up(settings_from):
    with pytest.raises(ImproperlyConfigured, match=r"ACCOUNT_DELETION_GRACE_DAYS.*core\.E102"):
        settings_from(ACCOUNT_DELETION_GRACE_DAYS="a month")


def test_the_grace_period_is_read_from_the_environment(settings_from):
    assert settings_from(ACCOUNT_DELETION_GRACE_DAYS="7").ACCOUNT_DELETION_GRACE_DAYS == 7
    assert settings_from(ACCOUNT_DELETION_GRACE_DAYS=None).ACCOUNT_DELETION_GRACE_DAYS == 30


def test_without_a_cancel_url_the_mail_says_to_ask_support(reauthenticated_api_client, user, settings):
    # Only possible with HEADLESS_ONLY off: allauth has no page to fall back to.
    settings.FRONTEND_URLS = {**settings.FRONTEND_URLS, "ACCOUNT_DELETION_CANCEL_URL": None}

    request_deletion(reauthenticated_api_client)

    [message] = mails_to(EMAIL)
    assert "ask the support of" in message.body
    assert "/account/delete/cancel/" not in message.body
