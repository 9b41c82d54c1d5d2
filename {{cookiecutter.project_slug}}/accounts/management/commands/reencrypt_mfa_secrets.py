"""python manage.py reencrypt_mfa_secrets: encrypt every second-factor secret with the first of MFA_ENCRYPTION_KEYS."""

import functools

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import mfa_encryption

TYPES_WITH_SECRETS = [Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]


class Command(BaseCommand):
    help = (
        "Encrypts every authenticator app's secret and recovery-code seed with the first of MFA_ENCRYPTION_KEYS. "
        "Run it after putting a new key first; then the older keys can be removed. See the README's key rotation."
    )

    def handle(self, *args, **options) -> None:
        reencrypt = functools.partial(mfa_encryption.reencrypt, settings.MFA_ENCRYPTION_KEYS)
        done, unreadable = 0, []
        for pk in Authenticator.objects.filter(type__in=TYPES_WITH_SECRETS).values_list("pk", flat=True):
            # Locked as allauth locks a row when it marks a recovery code used, so that neither change is lost.
            with transaction.atomic():
                authenticator = Authenticator.objects.select_for_update().filter(pk=pk).first()
                if authenticator is None:
                    continue  # removed meanwhile
                try:
                    authenticator.data = mfa_encryption.with_secrets(authenticator.data, reencrypt)
                except mfa_encryption.UnreadableSecret:
                    unreadable.append(str(pk))
                    continue
                authenticator.save(update_fields=["data"])
            done += 1
        self.stdout.write(f"Encrypted the secrets of {done} authenticators with the first key.")
        if unreadable:
            raise CommandError(
                f"None of MFA_ENCRYPTION_KEYS decrypts the secrets of the authenticators {', '.join(unreadable)}. "
                "Put the key that encrypted them back in the list, after the first, and run this command again; "
                "until then, keep every older key."
            )
