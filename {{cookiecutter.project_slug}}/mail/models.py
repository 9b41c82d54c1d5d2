"""Mail waiting for the worker. A row lives only until its mail is sent or given up on, so no sent mail's links stay."""

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import models


class QueuedMail(models.Model):
    """One message the worker has still to send; the task that sends it carries only this row's id."""

    message = models.JSONField()
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "queued mail"

    def __str__(self) -> str:
        return f"Mail to {', '.join(self.message['to'])}"

    @classmethod
    def of(cls, message: EmailMessage) -> "QueuedMail":
        """The parts of ``message`` that the site's mails use, unsaved."""
        if message.attachments:
            raise ValueError("Mail with attachments cannot be queued; send it with mail.mailers['outgoing'].")
        return cls(
            message={
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
        )

    def as_message(self) -> EmailMultiAlternatives:
        data = self.message
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
