"""How long events are kept (SECURITY_EVENTS_RETENTION_DAYS), the rule for that setting, and the clean-up."""

from datetime import datetime, timedelta

from django.utils import timezone

from core.validation import Problem, ProblemID, days_out_of_range

DEFAULT_RETENTION_DAYS = 90
# Past ten years an event is no longer a record of recent activity but an archive, which needs its own reasons.
MAX_RETENTION_DAYS = 3650


def find_problems(retention_days: int) -> list[Problem]:
    """A retention of at least one day and at most MAX_RETENTION_DAYS."""
    return days_out_of_range(
        ProblemID.SECURITY_EVENTS_RETENTION_OUT_OF_RANGE,
        "SECURITY_EVENTS_RETENTION_DAYS",
        retention_days,
        most=MAX_RETENTION_DAYS,
        what="to keep each user's security events",
        example=DEFAULT_RETENTION_DAYS,
    )


def delete_expired(retention_days: int, now: datetime | None = None) -> int:
    """Deletes the events older than ``retention_days``; returns how many."""
    from .models import SecurityEvent

    cutoff = (now or timezone.now()) - timedelta(days=retention_days)
    deleted, _ = SecurityEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
