"""EMAIL_URL as Django MAILERS entries. Imported by the settings, so it imports nothing that needs them."""

import environ

# The mailer that really sends (SMTP) when mail goes out in the background; "default" only queues.
OUTGOING_MAILER = "outgoing"

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
    # Without a timeout, an SMTP server that stops answering blocks the worker for good.
    return {"BACKEND": backend, "OPTIONS": {**options, "timeout": SMTP_TIMEOUT_SECONDS}}
