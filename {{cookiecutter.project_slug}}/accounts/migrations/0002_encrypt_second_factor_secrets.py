"""Encrypts the second-factor secrets stored before they were encrypted, with the first of MFA_ENCRYPTION_KEYS.

The keys come from the settings, which refuse to load without a valid one, so
this never runs without a key. A secret encrypted already is encrypted again
with the first key, never twice over. Going back decrypts them all, as the
version before this one stored them.
"""

import functools

from django.conf import settings
from django.db import migrations

from accounts import mfa_encryption

TYPES_WITH_SECRETS = ["totp", "recovery_codes"]


def rewrite_secrets(apps, change):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=TYPES_WITH_SECRETS):
        authenticator.data = mfa_encryption.with_secrets(authenticator.data, change)
        authenticator.save(update_fields=["data"])


def encrypt_secrets(apps, schema_editor):
    rewrite_secrets(apps, functools.partial(mfa_encryption.reencrypt, settings.MFA_ENCRYPTION_KEYS))


def decrypt_secrets(apps, schema_editor):
    rewrite_secrets(apps, functools.partial(mfa_encryption.decrypt, settings.MFA_ENCRYPTION_KEYS))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
