"""Mail goes out through a real SMTP server on loopback, sent by the task worker, retried when it fails."""

import email
import email.policy
import logging
import signal
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .conftest import EMAIL, FRONTEND, PASSWORD, HeadlessClient, tables_holding, username_if_any
from .live_server import free_port

NEW_EMAIL = "grace@example.com"


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp_server(smtp_port):
    """Starts an SMTP server on ``smtp_port`` when called; stops it after the test."""
    controllers = []

    def start() -> Inbox:
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def mail_over_smtp(settings, smtp_port):
    """The production set-up: mail queued by the default mailer, sent over SMTP by the worker."""
    settings.MAILERS = {
        "default": {"BACKEND": "mail.backends.BackgroundBackend"},
        "outgoing": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp_port, "timeout": 2},
        },
    }
    settings.EMAIL_RETRY_DELAYS = [0, 0]
    return settings


@pytest.fixture
def queued_tasks(settings):
    """Tasks stay in the database until a worker runs them, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    # The worker installs its own SIGINT and SIGTERM handlers and leaves them in place after a batch:
    # put pytest's back, or Ctrl+C and a timeout's SIGTERM would go to a worker that has finished.
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def signup() -> float:
    """Signs up through the app client; returns how long the answer took, in seconds."""
    started = time.monotonic()
    body = {"email": NEW_EMAIL, "password": PASSWORD, **username_if_any()}
    response = HeadlessClient("app").post("auth/signup", body)
    assert response.status_code == 401, response.content
    return time.monotonic() - started


def link_to(message, route: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return next(word for word in body.split() if word.startswith(f"{FRONTEND}{route}"))


def verification_link(message) -> str:
    return link_to(message, "/account/verify-email/")


def request_password_reset() -> None:
    response = HeadlessClient("app").post("auth/password/request", {"email": EMAIL})
    assert response.status_code == 200, response.content


@pytest.mark.django_db(transaction=True)
def test_the_worker_leaves_the_signal_handlers_as_it_found_them(mail_over_smtp, queued_tasks):
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)

    run_worker()

    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


@pytest.mark.django_db(transaction=True)
def test_the_signup_mail_arrives_over_smtp_with_its_link(mail_over_smtp, smtp_server):
    inbox = smtp_server()

    signup()

    [message] = inbox.messages
    assert message["To"] == NEW_EMAIL
    assert verification_link(message)
    assert not mail.outbox  # really sent, not caught by the test mailer


@pytest.mark.django_db(transaction=True)
def test_with_the_smtp_server_down_signup_answers_at_once_and_the_mail_follows(
    mail_over_smtp, queued_tasks, smtp_server
):
    assert signup() < 2

    inbox = smtp_server()
    run_worker()

    [message] = inbox.messages
    assert verification_link(message)


@pytest.mark.django_db(transaction=True)
def test_a_server_that_never_answers_does_not_hold_up_signup(mail_over_smtp, queued_tasks, smtp_port):
    with socket.socket() as silent:
        # Accepts connections (the kernel's backlog) but never greets: a hung SMTP server.
        silent.bind(("127.0.0.1", smtp_port))
        silent.listen()

        assert signup() < 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_send_is_retried_later_and_logged(mail_over_smtp, queued_tasks, smtp_server, caplog):
    mail_over_smtp.EMAIL_RETRY_DELAYS = [1]
    signup()
    with caplog.at_level(logging.WARNING, logger="mail.tasks"):
        run_worker()  # the server is down: the first attempt fails and is queued for a second later
    assert f"Sending mail to ['{NEW_EMAIL}'] failed" in caplog.text
    assert "trying again in 1 s" in caplog.text

    inbox = smtp_server()
    run_worker()
    assert inbox.messages == []  # not due yet
    time.sleep(1.1)
    run_worker()

    [message] = inbox.messages
    assert verification_link(message)


@pytest.mark.django_db(transaction=True)
def test_after_the_last_retry_the_mail_is_dropped_and_logged(mail_over_smtp, queued_tasks, caplog):
    signup()

    with caplog.at_level(logging.ERROR, logger="mail.tasks"):
        run_worker()  # with no delays, every attempt is due at once

    assert f"Gave up sending mail to ['{NEW_EMAIL}'] after 3 attempts" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_once_a_reset_mail_is_sent_no_table_holds_its_key(mail_over_smtp, queued_tasks, smtp_server, user):
    inbox = smtp_server()
    request_password_reset()
    run_worker()

    [message] = inbox.messages
    token = link_to(message, "/account/password/reset/").rsplit("/", 1)[-1]
    assert len(token) > 20
    assert tables_holding(token) == []


@pytest.mark.django_db(transaction=True)
def test_once_a_verification_mail_is_sent_no_table_holds_its_key(mail_over_smtp, queued_tasks, smtp_server):
    inbox = smtp_server()
    signup()
    run_worker()

    [message] = inbox.messages
    key = verification_link(message).rsplit("/", 1)[-1]
    assert tables_holding(key) == []


@pytest.mark.django_db(transaction=True)
def test_a_mail_given_up_on_leaves_no_link_behind(mail_over_smtp, queued_tasks, smtp_server, user):
    request_password_reset()
    run_worker()  # the server is down: every attempt fails, the last one gives up

    assert tables_holding(f"{FRONTEND}/account/password/reset/") == []


def message_linking_to(link: str) -> dict:
    """A message as the previous version of the mail queue kept it in a task's arguments."""
    return {
        "subject": "Password reset",
        "body": f"Reset your password: {link}",
        "from_email": "noreply@example.com",
        "to": [EMAIL],
        "cc": [],
        "bcc": [],
        "reply_to": [],
        "headers": {},
        "alternatives": [],
    }


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_moves_queued_messages_out_of_the_task_table(mail_over_smtp, queued_tasks, smtp_server):
    sent_link, waiting_link = (
        f"{FRONTEND}/account/password/reset/a/sent-key",
        f"{FRONTEND}/account/password/reset/b/waiting-key",
    )
    call_command("migrate", "mail", "0001", verbosity=0)
    for status, args in [
        ("SUCCESSFUL", [message_linking_to(sent_link)]),
        ("READY", [message_linking_to(waiting_link), 2]),
    ]:
        DBTaskResult.objects.create(
            task_path="mail.tasks.deliver",
            status=status,
            args_kwargs={"args": args, "kwargs": {}},
            backend_name="default",
            run_after=timezone.now(),
        )

    call_command("migrate", "mail", verbosity=0)

    assert tables_holding("sent-key") == []
    assert tables_holding("waiting-key") == ["mail_queuedmail"]
    inbox = smtp_server()
    run_worker()
    [message] = inbox.messages
    assert link_to(message, "/account/password/reset/") == waiting_link
    assert tables_holding("waiting-key") == []
