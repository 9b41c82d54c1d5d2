"""The clean-up the worker runs: events older than SECURITY_EVENTS_RETENTION_DAYS are deleted."""

import logging

from django.conf import settings
from django.tasks import task

from .retention import delete_expired

logger = logging.getLogger(__name__)


@task
def delete_expired_events() -> int:
    deleted = delete_expired(settings.SECURITY_EVENTS_RETENTION_DAYS)
    logger.info("Deleted %d security events older than %d days.", deleted, settings.SECURITY_EVENTS_RETENTION_DAYS)
    return deleted
