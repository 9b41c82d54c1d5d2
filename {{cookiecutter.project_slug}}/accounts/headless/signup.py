"""The headless signup, POST /_allauth/{client}/v1/auth/signup, safe when two signups race for one address.

allauth checks that the address (and username) is free, then inserts the
user: two simultaneous signups can both pass the check, and the second insert
fails on the user table's unique constraints. That insert is the signup's first
write, so nothing has been written when it fails, and no transaction is needed:
this view checks the input again, which now finds the address taken, and the
loser gets the answer any signup for a taken address gets (with
ACCOUNT_PREVENT_ENUMERATION, the same as a new account's).
"""

from typing import Any

from allauth.headless.account.views import SignupView as AllauthSignupView
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse


class SignupView(AllauthSignupView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().post(request, *args, **kwargs)
        except IntegrityError:
            # A simultaneous signup took the address or the username after allauth's check.
            if invalid := self.handle_input(self.data):
                return invalid  # e.g. the username is taken
            return super().post(request, *args, **kwargs)
