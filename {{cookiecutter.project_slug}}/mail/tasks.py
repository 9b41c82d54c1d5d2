"""The task that sends a queued mail through the outgoing mailer, and tries again later when that fails.

The task's arguments, which the task queue keeps after the task has run, are
the id of the mail's row and the attempt's number: never the message itself.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.tasks import task
from django.utils import timezone

from config.mailers import OUTGOING_MAILER

from .models import QueuedMail

logger = logging.getLogger(__name__)


@task
def deliver(mail_id: int, attempt: int = 1) -> None:
    """Sends one queued mail and deletes it; on failure tries again later, as often as EMAIL_RETRY_DELAYS allows."""
    queued = QueuedMail.objects.filter(pk=mail_id).first()
    if queued is None:
        logger.warning("Queued mail %s is gone (sent or given up on before); nothing to send.", mail_id)
        return
    recipients = queued.message["to"]
    try:
        mail.mailers[OUTGOING_MAILER].send_messages([queued.as_message()])
    except (OSError, smtplib.SMTPException) as error:
        delays = settings.EMAIL_RETRY_DELAYS
        if attempt > len(delays):
            # The links in it (password reset, verification) are not kept: the user can ask for a new mail.
            queued.delete()
            logger.error("Gave up sending mail to %s after %d attempts: %s", recipients, attempt, error)
            raise
        delay = delays[attempt - 1]
        logger.warning("Sending mail to %s failed (%s); trying again in %d s.", recipients, error, delay)
        deliver.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(mail_id, attempt + 1)
        return
    queued.delete()
