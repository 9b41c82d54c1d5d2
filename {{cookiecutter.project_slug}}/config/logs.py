"""Logging: readable lines for local development, one JSON object a line in production; Sentry if configured."""

import logging

from django.core.exceptions import ImproperlyConfigured


class SkipUnauthorized(logging.Filter):
    """Drops Django's warning for each 401 answer.

    allauth's headless API answers 401 for "not logged in" and "one more step to go", the answer to every
    signed-out session check and every step of a login: normal traffic, not a problem to look into, and
    a log line that would cost each of those requests its formatting and writing.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 401


def configuration(*, json: bool, level: str) -> dict:
    """A LOGGING setting that writes every record, with its request id, to standard error."""
    if json:
        formatter = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    else:
        formatter = {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "log_request_id.filters.RequestIDFilter"},
            "skip_unauthorized": {"()": SkipUnauthorized},
        },
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "default", "filters": ["request_id"]},
        },
        "loggers": {"django.request": {"filters": ["skip_unauthorized"]}},
        "root": {"handlers": ["stderr"], "level": level},
    }


def start_sentry(dsn: str, *, environment: str) -> None:
    """Sends errors to Sentry. sentry-sdk is optional, installed only where SENTRY_DSN is used."""
    try:
        import sentry_sdk
    except ImportError as error:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed. Install it (pip install 'sentry-sdk[django]') "
            "or unset SENTRY_DSN."
        ) from error
    sentry_sdk.init(dsn=dsn, environment=environment, send_default_pii=False)
