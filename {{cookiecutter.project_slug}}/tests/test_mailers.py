"""EMAIL_URL becomes a MAILERS entry; without it, mail is printed readably."""

import io

from django.core.mail import EmailMessage

from config.mailers import mailer_from_url
from mail.backends import ReadableConsoleBackend


def test_an_smtp_url_becomes_smtp_options_with_a_timeout():
    mailer = mailer_from_url("smtp+tls://user:secret@smtp.example.com:587")

    assert mailer == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "smtp.example.com",
            "port": 587,
            "username": "user",
            "password": "secret",
            "use_tls": True,
            "timeout": 10,
        },
    }


def test_other_schemes_pick_their_backend():
    assert mailer_from_url("consolemail://") == {"BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_the_readable_console_prints_long_links_whole():
    link = "https://app.example.com/account/verify-email/" + "MQ%3A1abc" * 12
    stream = io.StringIO()
    message = EmailMessage("Confirm", f"Open:\n\n{link}\n", "from@example.com", ["to@example.com"])

    ReadableConsoleBackend(alias="default", stream=stream).send_messages([message])

    printed = stream.getvalue()
    assert "To: to@example.com\nSubject: Confirm\n" in printed
    assert f"\n{link}\n" in printed
