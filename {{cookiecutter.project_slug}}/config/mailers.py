"""Mail delivery: EMAIL_URL (smtp://, smtp+tls://, consolemail://, ...) as a Django MAILERS entry."""

import environ
from django.core.mail.backends import console

# django-environ's names for the parts of the URL, and the SMTP backend's options.
SMTP_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
}
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
SMTP_TIMEOUT_SECONDS = 10


def mailer_from_url(url: str) -> dict:
    config = environ.Env.email_url_config(url)
    backend = config["EMAIL_BACKEND"]
    if backend != SMTP_BACKEND:
        return {"BACKEND": backend}
    options = {option: config[key] for key, option in SMTP_OPTIONS.items() if config.get(key) is not None}
    # Without a timeout, an SMTP server that stops answering blocks the request for good.
    return {"BACKEND": backend, "OPTIONS": {**options, "timeout": SMTP_TIMEOUT_SECONDS}}


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
