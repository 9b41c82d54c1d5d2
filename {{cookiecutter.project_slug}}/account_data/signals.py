"""Signals of the account's end, for the project's own data.

``account_deleting`` is sent with ``user`` just before the user's row is
deleted, inside the same transaction: a receiver deletes or anonymises what the
project keeps about the user, and an exception it raises keeps the account
(the worker tries again on its next run).
"""

from django.dispatch import Signal

account_deleting = Signal()
