"""The headless signup, POST /_allauth/{client}/v1/auth/signup, safe when two signups race for one address.

allauth checks that the address (and username) is free, then inserts the
user: two simultaneous signups can both pass the check, and the second insert
fails on the database's unique constraint. This view runs the signup in a
transaction and, when that happens, checks the input again, which now finds
the address taken: the loser gets the answer any signup for a taken address
gets (with ACCOUNT_PREVENT_ENUMERATION, the same as a new account's).
"""

from typing import Any

from allauth.headless.account.views import SignupView as AllauthSignupView
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse


class SignupView(AllauthSignupView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            with transaction.atomic():
                return super().post(request, *args, **kwargs)
        except IntegrityError:
            # A simultaneous signup took the address or the username after allauth's check.
            if invalid := self.handle_input(self.data):
                return invalid  # e.g. the username is taken
            return super().post(request, *args, **kwargs)
