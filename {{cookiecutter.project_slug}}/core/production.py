"""Start-up checks that keep the site from serving with DEBUG off and unsafe settings."""

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

MAKE_A_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
# Values that turn up in examples and tutorials; a key must never be one of them.
PLACEHOLDER_KEYS = {"changeme", "change-me", "secret", "secret-key", "your-secret-key", "insecure"}


def check_secret_key(key: str) -> None:
    """The same rules as Django's security.W009, enforced: a warning is not enough for a signing key."""
    if not key:
        problem = "is empty"
    elif key.startswith(SECRET_KEY_INSECURE_PREFIX) or key.lower() in PLACEHOLDER_KEYS:
        problem = "is a well-known example value"
    elif len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        problem = (
            f"is too weak ({len(key)} characters, {len(set(key))} different; at least "
            f"{SECRET_KEY_MIN_LENGTH} and {SECRET_KEY_MIN_UNIQUE_CHARACTERS} are needed)"
        )
    else:
        return
    raise ImproperlyConfigured(f"SECRET_KEY {problem} and DEBUG is off. Set it to a new random value: {MAKE_A_KEY}")


def check_allowed_hosts(hosts: list[str], example: str) -> None:
    if not hosts:
        raise ImproperlyConfigured(
            f"ALLOWED_HOSTS is empty and DEBUG is off. Set it to the site's host names, comma-separated, "
            f"e.g. ALLOWED_HOSTS={example}."
        )


def check_admin_url(path: str) -> None:
    if path and (path.startswith("/") or not path.endswith("/")):
        raise ImproperlyConfigured(
            f"ADMIN_URL={path!r} must be a path without a leading slash and with a trailing one, "
            "e.g. ADMIN_URL=staff-only/, or empty to turn the admin off."
        )
