"""Mail backends: one that queues mail for the task worker (mail/tasks.py), and a readable console for development."""

from django.core.mail.backends import console
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from .models import QueuedMail
from .tasks import deliver


class BackgroundBackend(BaseEmailBackend):
    """Keeps each message in a QueuedMail row and queues a task with its id; the worker sends it."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            # Inside a request's transaction (a signup), the mail joins it: no savepoint of its own.
            with transaction.atomic(savepoint=False):
                queued = QueuedMail.of(message)
                queued.save()
                deliver.enqueue(queued.pk)
        return len(email_messages)


class ReadableConsoleBackend(console.EmailBackend):
    """Prints each mail's headers and text body as they read, for local development.

    Django's console backend prints the encoded message, where long links are
    wrapped and escaped (quoted-printable) and cannot be copied as they are.
    """

    def write_message(self, message) -> None:
        self.stream.write(
            f"From: {message.from_email}\nTo: {', '.join(message.to)}\nSubject: {message.subject}\n\n{message.body}\n"
        )
        self.stream.write("-" * 79 + "\n")
