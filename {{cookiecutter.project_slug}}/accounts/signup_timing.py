"""A signup for an address that has an account does the work of a new account's, so its time tells nothing.

With ACCOUNT_PREVENT_ENUMERATION on, allauth answers a signup for a taken
address as it answers one for a new address, but it only mails the owner: no
password is hashed and no row written, so the answer comes sooner (Argon2
alone takes some 25 ms), and the time tells that the address has an account.
Here such a signup hashes the password and writes a user and an address, as
a new account's signup does, and rolls the writes back: nothing of it is kept.
The rows go in with bulk_create, which sends no signals, so no receiver of
post_save ever sees that user.

A commit costs more than the writes before it (the database waits for its
disk), so each signup runs in one transaction (accounts/headless/signup.py,
and config/urls.py for allauth's own page): either way, one commit, with the
mail queued.
"""

import uuid
from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from allauth.account.utils import user_email, user_username
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest

from accounts.signup_address import AddressInOneQuery

# Where the stand-in account's address is; no mail goes there (RFC 2606 reserves .invalid).
UNUSED_DOMAIN = "signup.invalid"


def do_the_work_of_a_new_account(password: str | None) -> None:
    """Hashes ``password`` and writes a user and its address as a signup does, then rolls the writes back."""
    User = get_user_model()
    user = User()
    name = uuid.uuid4().hex
    user_email(user, f"{name}@{UNUSED_DOMAIN}")
    user_username(user, name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    with transaction.atomic():
        User.objects.bulk_create([user])
        EmailAddress.objects.bulk_create([EmailAddress(user=user, email=user.email, primary=True)])
        transaction.set_rollback(True)


class SameWorkForTakenAddresses:
    """For allauth's signup forms: a signup for a taken address costs what one for a new address does."""

    account_already_exists: bool
    cleaned_data: dict[str, Any]

    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        if self.account_already_exists:
            # allauth's own pages name the field password1, the headless API password.
            do_the_work_of_a_new_account(self.cleaned_data.get("password1") or self.cleaned_data.get("password"))
        return super().try_save(request)


class SignupForm(SameWorkForTakenAddresses, AddressInOneQuery, AllauthSignupForm):
    """The signup form of allauth's own pages (HEADLESS_ONLY off), with the address written as the headless
    signup writes it (accounts/signup_address.py)."""
