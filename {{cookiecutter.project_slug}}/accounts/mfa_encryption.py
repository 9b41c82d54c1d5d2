"""The keys that encrypt second-factor secrets in the database (MFA_ENCRYPTION_KEYS): make, check and use them.

allauth keeps each authenticator app's secret and the seed of the recovery
codes in the database, and passes them through the MFA adapter's encrypt() and
decrypt() (accounts/adapters.py), which call this module. The keys are Fernet
keys (AES-128-CBC with HMAC-SHA256, from `cryptography`): the first encrypts,
each of them decrypts, so a new key can go first while the rows written with
an older one are still read, until `python manage.py reencrypt_mfa_secrets`
has rewritten them with the new key.

Plain Python and `cryptography` only, so that the settings can check the keys
before Django is set up, and

    python -m accounts.mfa_encryption >> .env

adds a fresh key to a site that has none.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable, Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from core.validation import Problem, ProblemID

SETTING = "MFA_ENCRYPTION_KEYS"
NEW_KEY_COMMAND = "python -m accounts.mfa_encryption"
# A Fernet token: a version byte (0x80), a timestamp, an IV, at least one block of ciphertext and an HMAC.
TOKEN_VERSION = 0x80
SHORTEST_TOKEN = 1 + 8 + 16 + 16 + 32


class UnreadableSecret(Exception):
    """A stored secret that none of the keys decrypts."""

    def __init__(self) -> None:
        super().__init__(
            f"A second-factor secret in the database cannot be decrypted with any of {SETTING}. Put the key "
            "that encrypted it back in the list, after the first; if secrets were stored before they were "
            "encrypted, run python manage.py migrate."
        )


def new_key() -> str:
    """A fresh Fernet key: 32 random bytes in URL-safe base64."""
    return Fernet.generate_key().decode("ascii")


def find_problems(keys: Sequence[str]) -> list[Problem]:
    """What is wrong with the list of keys, one problem each."""
    if not keys:
        return [
            Problem(
                ProblemID.MFA_ENCRYPTION_KEYS_MISSING,
                SETTING,
                "",
                "is empty, so the secrets of second factors could not be stored encrypted.",
                f"Make a key with: {NEW_KEY_COMMAND} >> .env (or set {SETTING} to its output's value).",
            )
        ]
    return [
        Problem(
            ProblemID.MFA_ENCRYPTION_KEY_MALFORMED,
            SETTING,
            key,
            f"has a key (number {position} of {len(keys)}, {len(key)} characters) that is not a Fernet key "
            "(32 random bytes in URL-safe base64, 44 characters).",
            f"Make one with: {NEW_KEY_COMMAND}. The first key encrypts and every key decrypts, comma-separated: "
            f"to replace one, put the new key first and keep the old one after it until "
            f"python manage.py reencrypt_mfa_secrets has run.",
            # A mistyped key is nearly the key: the message never shows it.
            secret=True,
        )
        for position, key in enumerate(keys, start=1)
        if not _is_key(key)
    ]


def encrypt(keys: Sequence[str], text: str) -> str:
    """``text`` encrypted with the first key."""
    return _cipher(tuple(keys)).encrypt(text.encode()).decode("ascii")


def decrypt(keys: Sequence[str], token: str) -> str:
    """The text of ``token``, decrypted with whichever of the keys encrypted it."""
    try:
        return _cipher(tuple(keys)).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise UnreadableSecret from error


def reencrypt(keys: Sequence[str], value: str) -> str:
    """``value`` encrypted with the first key: a token of any of the keys, or a secret not yet encrypted.

    Raises UnreadableSecret for a token that none of the keys decrypts.
    """
    if not _is_token(value):
        return encrypt(keys, value)
    try:
        return _cipher(tuple(keys)).rotate(value.encode()).decode("ascii")
    except InvalidToken as error:
        raise UnreadableSecret from error


def with_secrets(data: dict, change: Callable[[str], str]) -> dict:
    """An authenticator's ``data`` with ``change`` applied to each value allauth encrypts in it.

    Those are an app's secret, the recovery codes' seed, and recovery codes
    carried over from another package one by one ("migrated_codes", as allauth's
    guide for moving from django-allauth-2fa stores them).
    """
    changed = dict(data)
    for field in ("secret", "seed"):
        if field in changed:
            changed[field] = change(changed[field])
    if "migrated_codes" in changed:
        changed["migrated_codes"] = [change(code) for code in changed["migrated_codes"]]
    return changed


@functools.lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _is_key(key: str) -> bool:
    try:
        Fernet(key)
    except ValueError:
        return False
    return True


def _is_token(value: str) -> bool:
    """Whether ``value`` has the form of a Fernet token, which no secret allauth makes has."""
    try:
        raw = base64.urlsafe_b64decode(value.encode())
    except ValueError:  # binascii.Error included
        return False
    return len(raw) >= SHORTEST_TOKEN and raw[0] == TOKEN_VERSION


if __name__ == "__main__":
    print(f"{SETTING}={new_key()}")
