"""The RSA keys that sign the site's JWTs: make one, check one, write one into .env.

Plain Python and `cryptography` only, so that it runs before Django is
configured: the settings check the keys with it, the project's
post-generation hook writes the first key with it, and

    python -m accounts.jwt_keys >> .env

adds a fresh key to a site that has none (give a setting's name as argument
for another key than HEADLESS_JWT_PRIVATE_KEY).
"""

from __future__ import annotations

import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from core.validation import Problem, ProblemID

PRIVATE_KEY_SETTING = "HEADLESS_JWT_PRIVATE_KEY"
PREVIOUS_PUBLIC_KEY_SETTING = "JWT_PREVIOUS_PUBLIC_KEY"
MINIMUM_BITS = 2048


def new_private_key() -> str:
    """A fresh 2048-bit RSA private key in PEM (PKCS #8, unencrypted), as allauth's RS256 signing expects."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=MINIMUM_BITS)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def public_key_of(private_key: str) -> str:
    """The public half of a private key, in PEM: what other services may see."""
    key = serialization.load_pem_private_key(private_key.encode("ascii"), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def env_line(setting: str, pem: str) -> str:
    """``setting=<pem>`` on one line, each line break written as \\n (the settings read it back)."""
    return f"{setting}={pem.strip()}".replace("\n", "\\n")


def new_key_command(setting: str = PRIVATE_KEY_SETTING) -> str:
    """The command that appends a fresh key for ``setting`` to .env."""
    argument = "" if setting == PRIVATE_KEY_SETTING else f" {setting}"
    return f"python -m accounts.jwt_keys{argument} >> .env (or set {setting} to its output's value)"


def private_key_problems(setting: str, private_key: str, *, required_because: str | None) -> list[Problem]:
    """What is wrong with the signing key in ``setting``.

    ``required_because``: why the key must be set (a sentence's end), or None when it may be empty.
    """
    hint = f"Make a key with: {new_key_command(setting)}."

    def problem(problem_id: str, message: str) -> Problem:
        return Problem(problem_id, setting, private_key, message, hint, secret=True)

    if not private_key:
        return (
            [problem(ProblemID.SIGNING_KEY_MISSING, f"is empty, and {required_because}.")] if required_because else []
        )
    try:
        key = serialization.load_pem_private_key(private_key.encode("ascii", "replace"), password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, rsa.RSAPrivateKey):
        message = "is not an unencrypted RSA private key in PEM format (-----BEGIN PRIVATE KEY----- ...)."
        return [problem(ProblemID.SIGNING_KEY_MALFORMED, message)]
    if key.key_size < MINIMUM_BITS:
        message = f"is a {key.key_size}-bit key; use at least {MINIMUM_BITS} bits."
        return [problem(ProblemID.SIGNING_KEY_TOO_SMALL, message)]
    return []


def find_problems(private_key: str, previous_public_key: str, *, required: bool) -> list[Problem]:
    """What is wrong with the signing key and the optional previous public key.

    ``required``: the app client gets JWTs (APP_TOKEN_STRATEGY=jwt), so a signing key must be set.
    """
    problems = private_key_problems(
        PRIVATE_KEY_SETTING, private_key, required_because="APP_TOKEN_STRATEGY is jwt" if required else None
    )
    if previous_public_key:
        try:
            previous = serialization.load_pem_public_key(previous_public_key.encode("ascii", "replace"))
        except (ValueError, TypeError):
            previous = None
        if not isinstance(previous, rsa.RSAPublicKey):
            problems.append(
                Problem(
                    ProblemID.PREVIOUS_PUBLIC_KEY_MALFORMED,
                    PREVIOUS_PUBLIC_KEY_SETTING,
                    previous_public_key,
                    "is not an RSA public key in PEM format (-----BEGIN PUBLIC KEY----- ...).",
                    "python manage.py rotate_jwt_key prints the right value; leave it empty when no rotation is "
                    "under way.",
                )
            )
    return problems


if __name__ == "__main__":
    print(env_line(sys.argv[1] if len(sys.argv) > 1 else PRIVATE_KEY_SETTING, new_private_key()))
