"""How long a closed account waits before it is deleted (ACCOUNT_DELETION_GRACE_DAYS), and the rule for it."""

from core.validation import Problem, ProblemID, days_out_of_range

DEFAULT_GRACE_DAYS = 30
# Erasure is due within a month of the request, three at most for a good reason (GDPR, article 12(3)).
MAX_GRACE_DAYS = 90


def find_problems(grace_days: int) -> list[Problem]:
    """A grace period of at least one day, so that the mail's cancel link can be used, and at most MAX_GRACE_DAYS."""
    return days_out_of_range(
        ProblemID.ACCOUNT_DELETION_GRACE_OUT_OF_RANGE,
        "ACCOUNT_DELETION_GRACE_DAYS",
        grace_days,
        most=MAX_GRACE_DAYS,
        what="a closed account waits before it is deleted",
        example=DEFAULT_GRACE_DAYS,
    )
