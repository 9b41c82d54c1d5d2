"""Simultaneous requests on PostgreSQL: twenty signups with one address leave one account, and nothing fails.

A real gunicorn server answers the requests side by side (workers and
threads), as in production; threads fire them at the same moment.
"""

from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from .conftest import PASSWORD, username_if_any
from .live_server import side_by_side

pytestmark = [pytest.mark.django_db(transaction=True)]

SIGNUPS = 20
RACED_EMAIL = "race@example.com"
# allauth's rate limiter answers 429 when it cannot take its lock on the limit's counter within a second:
# with twenty requests on one counter at once, some can lose that wait.
LOCK_WAIT_LOST = 429


def test_simultaneous_signups_with_one_address_make_one_account(concurrent_server):
    def sign_up(i: int) -> tuple[int, dict]:
        # The same address in different cases: the database compares addresses without case.
        email = RACED_EMAIL.upper() if i % 2 else RACED_EMAIL
        username = {"username": f"racer{i}"} if username_if_any() else {}
        return concurrent_server.call("POST", "auth/signup", {"email": email, "password": PASSWORD, **username})

    answers = side_by_side(SIGNUPS, sign_up)

    statuses = Counter(status for status, _body in answers)
    # Each waits for its address to be verified, as one signup alone would: which one made the account is not told.
    assert set(statuses) <= {401, LOCK_WAIT_LOST} and statuses[401], (statuses, concurrent_server.errors()[-3000:])
    assert get_user_model().objects.filter(email__iexact=RACED_EMAIL).count() == 1
    assert EmailAddress.objects.filter(email__iexact=RACED_EMAIL).count() == 1
