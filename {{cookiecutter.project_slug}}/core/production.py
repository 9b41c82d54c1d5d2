"""The rules that keep the site from serving with DEBUG off and unsafe settings."""

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)

from .validation import Problem, ProblemID

MAKE_A_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
# Values that turn up in examples and tutorials; a key must never be one of them.
PLACEHOLDER_KEYS = {"changeme", "change-me", "secret", "secret-key", "your-secret-key", "insecure"}


def find_problems(*, secret_key: str, allowed_hosts: list[str], example_host: str) -> list[Problem]:
    """What must not reach production (DEBUG off): a weak signing key, no host names."""
    problems = []
    if weakness := secret_key_weakness(secret_key):
        problems.append(
            Problem(
                ProblemID.SECRET_KEY_UNSAFE,
                "SECRET_KEY",
                secret_key,
                f"{weakness} and DEBUG is off.",
                f"Set it to a new random value: {MAKE_A_KEY}",
                secret=True,
            )
        )
    if not allowed_hosts:
        problems.append(
            Problem(
                ProblemID.ALLOWED_HOSTS_EMPTY,
                "ALLOWED_HOSTS",
                "",
                "is empty and DEBUG is off.",
                f"Set it to the site's host names, comma-separated, for example ALLOWED_HOSTS={example_host}.",
            )
        )
    return problems


def secret_key_weakness(key: str) -> str | None:
    """The same rules as Django's security.W009, enforced: a warning is not enough for a signing key."""
    if not key:
        return "is empty"
    if key.startswith(SECRET_KEY_INSECURE_PREFIX) or key.lower() in PLACEHOLDER_KEYS:
        return "is a well-known example value"
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return (
            f"is too weak ({len(key)} characters, {len(set(key))} different; at least "
            f"{SECRET_KEY_MIN_LENGTH} and {SECRET_KEY_MIN_UNIQUE_CHARACTERS} are needed)"
        )
    return None


def admin_url_problems(path: str) -> list[Problem]:
    if not path or (not path.startswith("/") and path.endswith("/")):
        return []
    return [
        Problem(
            ProblemID.ADMIN_URL_MALFORMED,
            "ADMIN_URL",
            path,
            "must be a path without a leading slash and with a trailing one.",
            "For example ADMIN_URL=staff-only/, or empty to turn the admin off.",
        )
    ]
