"""The headless signup, POST /_allauth/{client}/v1/auth/signup: as slow for a taken address as for a new one,
and safe when two signups race for one address.

A signup for a taken address hashes and writes as a new one does
(accounts/signup_timing.py says why), and each signup is one transaction, so
that both commit once: the new account with its verification mail, or the
mail to the address's owner.

allauth checks that the address (and username) is free, then inserts the
user: two simultaneous signups can both pass the check, and the second insert
fails on the user table's unique constraints. Its transaction is rolled back,
so nothing of it is kept: this view checks the input again, which now finds
the address taken, and the loser gets the answer any signup for a taken
address gets (with ACCOUNT_PREVENT_ENUMERATION, the same as a new account's).
"""

from typing import Any

from allauth.headless.account.inputs import SignupInput as AllauthSignupInput
from allauth.headless.account.views import SignupView as AllauthSignupView
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from accounts.signup_address import AddressInOneQuery
from accounts.signup_timing import SameWorkForTakenAddresses


class SignupInput(SameWorkForTakenAddresses, AddressInOneQuery, AllauthSignupInput):
    """allauth's signup input, hashing and writing for a taken address as for a new one, and writing a new
    account's address with one query (accounts/signup_address.py)."""


class SignupView(AllauthSignupView):
    input_class = {"POST": SignupInput}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return self.sign_up(request, *args, **kwargs)
        except IntegrityError:
            # A simultaneous signup took the address or the username after allauth's check.
            if invalid := self.handle_input(self.data):
                return invalid  # e.g. the username is taken
            return self.sign_up(request, *args, **kwargs)

    @transaction.atomic
    def sign_up(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().post(request, *args, **kwargs)
