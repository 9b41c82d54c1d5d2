"""Second-factor secrets are stored encrypted with MFA_ENCRYPTION_KEYS, and a new key can take over from an old one.

Stored values are checked with cryptography's Fernet directly, not only with
the site's own adapter, so that a test cannot pass because both share a mistake.
"""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import generate_totp_secret
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from accounts import mfa_encryption

from ..conftest import EMAIL, PASSWORD, HeadlessClient, tables_holding, username_if_any
from ..live_server import start_up_refusal
from .conftest import totp_code

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent


def stored(user, kind: str) -> dict:
    return Authenticator.objects.get(user=user, type=kind).data


def fernet_decrypt(keys: list[str], token: str) -> str:
    return MultiFernet([Fernet(key) for key in keys]).decrypt(token.encode()).decode()


def logs_in_with_the_app(secret: str, periods: int = 0) -> bool:
    client = HeadlessClient("app")
    assert client.post("auth/login", {"email": EMAIL, "password": PASSWORD}).status_code == 401
    return client.post("auth/2fa/authenticate", {"code": totp_code(secret, periods)}).status_code == 200


def test_the_apps_secret_is_stored_encrypted_and_decrypts_to_it(totp_user, user):
    secret = stored(user, "totp")["secret"]

    assert secret != totp_user.secret
    assert fernet_decrypt(settings.MFA_ENCRYPTION_KEYS, secret) == totp_user.secret
    assert get_adapter().decrypt(secret) == totp_user.secret


def test_no_table_holds_the_apps_secret_or_the_recovery_codes_seed(totp_user, user):
    seed = fernet_decrypt(settings.MFA_ENCRYPTION_KEYS, stored(user, "recovery_codes")["seed"])

    assert tables_holding(totp_user.secret) == []
    assert tables_holding(seed) == []
    assert RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes")).get_unused_codes() == (
        totp_user.recovery_codes
    )


def test_after_a_new_key_is_put_first_old_secrets_work_until_the_command_moves_them(settings, totp_user, user):
    settings.MFA_TOTP_TOLERANCE = 1  # the second login below uses the next period's code
    new = mfa_encryption.new_key()
    settings.MFA_ENCRYPTION_KEYS = [new, *settings.MFA_ENCRYPTION_KEYS]
    assert logs_in_with_the_app(totp_user.secret)
    output = io.StringIO()

    call_command("reencrypt_mfa_secrets", stdout=output)

    assert "Encrypted the secrets of 2 authenticators" in output.getvalue()
    settings.MFA_ENCRYPTION_KEYS = [new]  # the old key removed
    assert fernet_decrypt([new], stored(user, "totp")["secret"]) == totp_user.secret
    assert logs_in_with_the_app(totp_user.secret, periods=1)
    codes = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes"))
    assert codes.get_unused_codes() == totp_user.recovery_codes


def test_the_command_leaves_a_secret_that_no_key_decrypts_and_says_what_to_do(settings, totp_user, user):
    before = stored(user, "totp")
    settings.MFA_ENCRYPTION_KEYS = [mfa_encryption.new_key()]

    with pytest.raises(CommandError, match="Put the key that encrypted them back in the list, after the first"):
        call_command("reencrypt_mfa_secrets", stdout=io.StringIO())

    assert stored(user, "totp") == before


def test_without_the_key_that_encrypted_it_the_second_step_fails_with_a_clear_error(settings, totp_user):
    settings.MFA_ENCRYPTION_KEYS = [mfa_encryption.new_key()]
    client = HeadlessClient("app")
    client.post("auth/login", {"email": EMAIL, "password": PASSWORD})

    with pytest.raises(mfa_encryption.UnreadableSecret, match="Put the key that encrypted it back in the list"):
        client.post("auth/2fa/authenticate", {"code": totp_code(totp_user.secret)})


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_secrets_stored_in_plain_text(totp_user, user):
    call_command("migrate", "accounts", "0001", verbosity=0)  # back to the version that stored them as they are
    assert stored(user, "totp")["secret"] == totp_user.secret
    username = {"username": "grace"} if username_if_any() else {}
    other = get_user_model().objects.create_user(**username, email="grace@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=other, email="grace@example.com", primary=True, verified=True)
    plain = generate_totp_secret()
    Authenticator.objects.create(user=other, type="totp", data={"secret": plain})

    call_command("migrate", "accounts", verbosity=0)

    for account, secret in [(user, totp_user.secret), (other, plain)]:
        assert stored(account, "totp")["secret"] != secret
        assert fernet_decrypt(settings.MFA_ENCRYPTION_KEYS, stored(account, "totp")["secret"]) == secret
    assert tables_holding(plain) == []
    assert logs_in_with_the_app(totp_user.secret)


@pytest.mark.parametrize("debug", ["on", "off"])
@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("", "MFA_ENCRYPTION_KEYS='': is empty"),
        ("not-a-key", "MFA_ENCRYPTION_KEYS: has a key (number 1 of 1, 9 characters) that is not a Fernet key"),
        (
            f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()[:40]}",
            "MFA_ENCRYPTION_KEYS: has a key (number 2 of 2, 40 characters)",
        ),
    ],
    ids=["empty", "not_a_key", "second_key_cut_short"],
)
def test_a_missing_or_malformed_key_stops_start_up_with_or_without_debug(settings_from, debug, value, complaint):
    with pytest.raises(ImproperlyConfigured) as raised:
        settings_from(DEBUG=debug, MFA_ENCRYPTION_KEYS=value)

    message = str(raised.value)
    assert complaint in message
    assert "python -m accounts.mfa_encryption" in message
    assert not value or value.split(",")[-1] not in message  # a key, even a broken one, is never shown


def test_a_new_key_followed_by_the_old_ones_is_read_in_order(settings_from):
    keys = [Fernet.generate_key().decode() for _ in range(3)]

    assert keys == settings_from(MFA_ENCRYPTION_KEYS=" , ".join(keys)).MFA_ENCRYPTION_KEYS


def test_the_site_does_not_start_with_a_bad_key_and_names_the_problem():
    refusal = start_up_refusal("manage.py", "check", MFA_ENCRYPTION_KEYS="not-a-key")

    assert "MFA_ENCRYPTION_KEYS: has a key (number 1 of 1, 9 characters) that is not a Fernet key" in refusal
    assert "(accounts.E046)" in refusal


def test_the_module_prints_a_fresh_key_for_env():
    result = subprocess.run(
        [sys.executable, "-m", "accounts.mfa_encryption"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    name, _, key = result.stdout.strip().partition("=")
    assert name == "MFA_ENCRYPTION_KEYS"
    assert Fernet(key).decrypt(Fernet(key).encrypt(b"secret")) == b"secret"
    assert mfa_encryption.find_problems([key]) == []
