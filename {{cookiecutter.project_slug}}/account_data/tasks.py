"""The deletion the worker runs: accounts whose grace period (ACCOUNT_DELETION_GRACE_DAYS) has ended are deleted."""

import logging

from django.tasks import task

from .deletion import delete_due_accounts

logger = logging.getLogger(__name__)


@task
def delete_due() -> int:
    deleted = delete_due_accounts()
    logger.info("Deleted %d accounts whose grace period had ended.", deleted)
    return deleted
