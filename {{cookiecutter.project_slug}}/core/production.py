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
PER_PROCESS_CACHE = "django.core.cache.backends.locmem.LocMemCache"
NO_CACHE = "django.core.cache.backends.dummy.DummyCache"
SHARED_CACHE_HINT = "Set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0, so that every process shares one cache"


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


def wildcard_host_problems(hosts: list[str], *, example: str) -> list[Problem]:
    """ALLOWED_HOSTS with DEBUG off: "*" would let each request's Host header name the site."""
    if "*" not in hosts:
        return []
    return [
        Problem(
            ProblemID.ALLOWED_HOSTS_WILDCARD,
            "ALLOWED_HOSTS",
            ",".join(hosts),
            "'*' lets any Host header through with DEBUG off, and the site builds absolute links from the host "
            "a request names.",
            f"List the site's host names instead, comma-separated, e.g. ALLOWED_HOSTS={example}.",
        )
    ]


def cache_problems(backend: str, cache_url: str, *, single_process: bool) -> list[Problem]:
    """The cache with DEBUG off: it must be shared by every process, or the site must run as one.

    allauth keeps its rate limits and the one-time codes it has seen (authenticator-app codes, authorization
    codes) in the cache; in a cache of each process's own, every worker counts and remembers on its own.
    """
    if backend == NO_CACHE:
        return [
            Problem(
                ProblemID.CACHE_KEEPS_NOTHING,
                "CACHE_URL",
                cache_url,
                "keeps nothing, so rate limits never trip and one-time codes can be used again.",
                f"{SHARED_CACHE_HINT}, or CACHE_URL=locmemcache:// with SINGLE_PROCESS=on for a site that runs "
                "as one process.",
            )
        ]
    if backend == PER_PROCESS_CACHE and not single_process:
        return [
            Problem(
                ProblemID.CACHE_PER_PROCESS,
                "CACHE_URL",
                cache_url,
                "keeps the cache in each process while REDIS_URL is unset and DEBUG is off, so every worker and "
                "host would count rate limits on its own and accept a one-time code that another has already used.",
                f"{SHARED_CACHE_HINT}; or, for a site that deliberately runs as a single process (one gunicorn "
                "worker on one host), SINGLE_PROCESS=on.",
            )
        ]
    return []
