"""Security events: each flow records what it did, with the client's address and kind, for its user only."""

from datetime import timedelta

import pytest
from allauth.account.signals import user_logged_in
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from security_events import receivers, recording, retention
from security_events.models import SecurityEvent
from security_events.retention import delete_expired

from .conftest import EMAIL, PASSWORD, HeadlessClient, code_in_mail, link_in_mail, path_params, username_if_any

NEW_EMAIL = "ada.lovelace@example.org"
NEW_PASSWORD = "Another-long-passphrase-4"
BROWSER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def kinds(user) -> list[str]:
    """The user's events, oldest first."""
    return list(SecurityEvent.objects.filter(user=user).order_by("at", "pk").values_list("kind", flat=True))


def events(user) -> list[tuple[str, dict]]:
    """The user's events, oldest first, with what each says."""
    return [(event.kind, event.detail) for event in SecurityEvent.objects.filter(user=user).order_by("at", "pk")]


def latest(user, kind: str) -> SecurityEvent:
    return SecurityEvent.objects.filter(user=user, kind=kind).latest("at", "pk")


def test_login_is_recorded_with_method_address_agent_and_client(headless_client, user):
    headless_client.post(
        "auth/login",
        {"email": EMAIL, "password": PASSWORD},
        headers={"User-Agent": BROWSER_AGENT + " " + "x" * 500, "X-Forwarded-For": "203.0.113.9"},
    )

    event = latest(user, "login")
    assert event.detail == {"method": "password"}
    assert event.client == headless_client.kind
    assert event.user_agent.startswith(BROWSER_AGENT)
    assert len(event.user_agent) == 200
    # No proxy is trusted by default, so a client's own X-Forwarded-For is ignored.
    assert event.ip_address == "127.0.0.1"


def test_client_address_comes_from_the_trusted_proxy(headless_client, user, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    headless_client.post(
        "auth/login", {"email": EMAIL, "password": PASSWORD}, headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}
    )

    assert latest(user, "login").ip_address == "203.0.113.9"


def test_the_client_is_known_under_a_path_prefix(headless_client, user):
    headless_client.http.defaults["SCRIPT_NAME"] = "/auth"  # as behind a proxy that mounts the site at /auth/

    headless_client.login()

    assert latest(user, "login").client == headless_client.kind


def test_a_login_by_code_is_recorded_as_such(routed_settings, headless_client, user):
    routed_settings(ACCOUNT_LOGIN_BY_CODE_ENABLED=True)
    assert headless_client.post("auth/code/request", {"email": EMAIL}).status_code == 401

    assert headless_client.post("auth/code/confirm", {"code": code_in_mail(EMAIL)}).status_code == 200

    assert events(user) == [("login", {"method": "code"})]
    assert latest(user, "login").client == headless_client.kind


def test_a_signup_records_the_verified_address_and_the_login_it_brings(headless_client, db):
    signup = headless_client.post("auth/signup", {"email": NEW_EMAIL, "password": PASSWORD, **username_if_any()})
    assert signup.status_code == 401, signup.content
    key = path_params(link_in_mail(NEW_EMAIL, "EMAIL_VERIFICATION_URL"), "EMAIL_VERIFICATION_URL")["token"]

    assert headless_client.post("auth/email/verify", {"key": key}).status_code == 200

    user = get_user_model().objects.get(email=NEW_EMAIL)
    assert events(user) == [
        ("email_confirmed", {"email": NEW_EMAIL}),
        ("login", {"method": "email_confirmation"}),
    ]
    assert latest(user, "login").client == headless_client.kind


def test_a_wrong_password_is_recorded_for_the_account_and_an_unknown_address_for_nobody(headless_client, user):
    assert headless_client.post("auth/login", {"email": EMAIL, "password": "wrong"}).status_code == 400
    assert headless_client.post("auth/login", {"email": "nobody@example.com", "password": "x"}).status_code == 400

    assert kinds(user) == ["login_failed"]
    assert SecurityEvent.objects.count() == 1


def test_logout_reauthentication_and_password_change(logged_in_client, user):
    assert logged_in_client.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200
    response = logged_in_client.post(
        "account/password/change", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 200
    logged_in_client.delete("auth/session")

    assert kinds(user) == ["login", "reauthenticated", "password_changed", "logout"]
    assert latest(user, "reauthenticated").detail == {"method": "password"}


def test_password_reset(headless_client, user):
    headless_client.post("auth/password/request", {"email": EMAIL})
    params = path_params(link_in_mail(EMAIL, "PASSWORD_RESET_URL"), "PASSWORD_RESET_URL")
    key = f"{params['uidb64']}-{params['token']}"
    headless_client.post("auth/password/reset", {"key": key, "password": NEW_PASSWORD})

    assert kinds(user) == ["password_reset"]


def test_email_added_verified_made_primary_and_removed(reauthenticated_client, user):
    reauthenticated_client.post("account/email", {"email": NEW_EMAIL})
    link = link_in_mail(NEW_EMAIL, "EMAIL_CHANGE_CONFIRMATION_URL")
    key = path_params(link, "EMAIL_CHANGE_CONFIRMATION_URL")["token"]
    assert reauthenticated_client.post("auth/email/verify", {"key": key}).status_code == 200

    events = SecurityEvent.objects.filter(user=user).order_by("at", "pk")
    assert [(event.kind, event.detail.get("email")) for event in events] == [
        ("login", None),
        ("reauthenticated", None),
        ("email_added", NEW_EMAIL),
        ("email_confirmed", NEW_EMAIL),
        ("email_made_primary", NEW_EMAIL),
    ]
    # allauth replaces the old address (ACCOUNT_CHANGE_EMAIL) without a signal of its own; the event names it.
    assert latest(user, "email_made_primary").detail["previous"] == EMAIL


def test_an_address_removed(reauthenticated_client, user):
    reauthenticated_client.post("account/email", {"email": NEW_EMAIL})
    assert reauthenticated_client.delete("account/email", {"email": NEW_EMAIL}).status_code == 200

    assert kinds(user)[-2:] == ["email_added", "email_removed"]


def test_a_session_ended_from_another(headless_client, user):
    headless_client.login()
    other_device = HeadlessClient(headless_client.kind)
    other_device.login()
    [other] = [session for session in headless_client.get("auth/sessions").json()["data"] if not session["is_current"]]

    assert headless_client.delete("auth/sessions", {"sessions": [other["id"]]}).status_code == 200

    assert kinds(user) == ["login", "login", "session_ended"]
    assert latest(user, "session_ended").client == headless_client.kind


def test_a_failure_to_record_never_breaks_the_request(headless_client, user, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the database refused the row")

    monkeypatch.setattr(SecurityEvent.objects, "create", broken)

    headless_client.login()

    assert "Could not record the security event login" in caplog.text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite goes on with a transaction after an error")
def test_a_failure_to_record_inside_a_transaction_leaves_the_transaction_usable(user, monkeypatch):
    def refused(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")  # an error of the database's own, as a refused row is

    monkeypatch.setattr(SecurityEvent.objects, "create", refused)

    with transaction.atomic():
        recording.record(None, user, SecurityEvent.Kind.LOGIN)

        assert get_user_model().objects.filter(pk=user.pk).exists()  # the caller's transaction goes on


@pytest.mark.django_db(transaction=True)
def test_login_costs_at_most_one_more_query(user):
    """Outside a test's transaction, as a login is in production: its event is one INSERT, no savepoint."""

    def queries_of_a_login() -> int:
        # allauth checks each earlier session of the user at login: start from none each time.
        user.usersession_set.all().delete()
        with CaptureQueriesContext(connection) as queries:
            HeadlessClient("app").login()
        return len(queries)

    queries_of_a_login()  # the first login of a process warms caches (content types, the site)
    with_events = queries_of_a_login()
    assert user_logged_in.disconnect(dispatch_uid="security_events.on_logged_in")
    try:
        without_events = queries_of_a_login()
    finally:
        user_logged_in.connect(receivers.on_logged_in, dispatch_uid="security_events.on_logged_in")

    assert with_events - without_events == 1


def test_the_api_lists_own_events_newest_first_a_page_at_a_time(headless_client, user):
    fields = {"username": "grace"} if username_if_any() else {}
    other = get_user_model().objects.create_user(**fields, email="grace@example.com", password=PASSWORD)
    SecurityEvent.objects.create(user=other, kind="login")
    now = timezone.now()
    SecurityEvent.objects.bulk_create(
        SecurityEvent(user=user, kind="login_failed", at=now - timedelta(hours=hour)) for hour in range(1, 25)
    )
    headless_client.login()

    first = headless_client.api("GET", "me/events").json()
    second = headless_client.api("GET", "me/events?page=2").json()

    assert first["count"] == 25
    assert first["items"][0]["kind"] == "login"
    assert first["items"][0]["label"] == "Logged in"
    assert first["items"][0]["client"] == headless_client.kind
    times = [item["at"] for item in first["items"] + second["items"]]
    assert len(times) == 25
    assert times == sorted(times, reverse=True)
    assert headless_client.api("GET", "me/events?page=x").status_code == 400


def test_the_api_needs_a_login(headless_client, db):
    response = headless_client.api("GET", "me/events")

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_events_older_than_the_retention_are_deleted(user, settings):
    settings.SECURITY_EVENTS_RETENTION_DAYS = 90
    SecurityEvent.objects.create(user=user, kind="login")
    later = timezone.now() + timedelta(days=89)

    assert delete_expired(90, now=later) == 0
    assert delete_expired(90, now=later + timedelta(days=2)) == 1
    assert not SecurityEvent.objects.exists()


def test_the_worker_task_deletes_expired_events(user, settings):
    from security_events.tasks import delete_expired_events

    settings.SECURITY_EVENTS_RETENTION_DAYS = 30
    SecurityEvent.objects.create(user=user, kind="login", at=timezone.now() - timedelta(days=31))
    SecurityEvent.objects.create(user=user, kind="logout")

    delete_expired_events.enqueue()  # run at once by the tests' immediate task backend

    assert kinds(user) == ["logout"]


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_retention_out_of_range_is_refused(days):
    [problem] = retention.find_problems(days)
    assert problem.id == "accounts.E070"
    assert "SECURITY_EVENTS_RETENTION_DAYS=90" in problem.hint


def test_retention_from_the_environment(settings_from):
    assert settings_from(SECURITY_EVENTS_RETENTION_DAYS="30").SECURITY_EVENTS_RETENTION_DAYS == 30
    with pytest.raises(Exception, match=r"accounts\.E070"):
        settings_from(SECURITY_EVENTS_RETENTION_DAYS="0")
