"""The task that sends a queued mail through the outgoing mailer, and tries again later when that fails."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.tasks import task
from django.utils import timezone

from config.mailers import OUTGOING_MAILER

logger = logging.getLogger(__name__)


@task
def deliver(message: dict, attempt: int = 1) -> None:
    """Sends one message, and on failure tries again later, as often as EMAIL_RETRY_DELAYS allows."""
    try:
        mail.mailers[OUTGOING_MAILER].send_messages([from_data(message)])
    except (OSError, smtplib.SMTPException) as error:
        delays = settings.EMAIL_RETRY_DELAYS
        if attempt > len(delays):
            logger.error("Gave up sending mail to %s after %d attempts: %s", message["to"], attempt, error)
            raise
        delay = delays[attempt - 1]
        logger.warning("Sending mail to %s failed (%s); trying again in %d s.", message["to"], error, delay)
        deliver.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(message, attempt + 1)


def as_data(message: EmailMessage) -> dict:
    """The parts of a message that the site's mails use, as JSON for the task queue."""
    if message.attachments:
        raise ValueError("Mail with attachments cannot be queued; send it with mail.mailers['outgoing'].")
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": message.to,
        "cc": message.cc,
        "bcc": message.bcc,
        "reply_to": message.reply_to,
        "headers": message.extra_headers,
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
    }


def from_data(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        data["subject"],
        data["body"],
        data["from_email"],
        data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message
