"""Frontends on other origins: which origins may call the API with credentials, and the cookie domains they need.

A single-page app on https://app.example.com calling https://api.example.com
needs CORS headers that allow credentials (the browser client's cookies), and
Django's CSRF check must trust its origin. Plain Python, so that the settings
check the values while they load and a bad one stops the site at start-up.
"""

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from .validation import DEFAULT_PORTS, EXAMPLE_ORIGIN, Problem, ProblemID, is_loopback, origin_of

DOMAIN = re.compile(r"^\.?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$", re.IGNORECASE)
SETTING = "CORS_ALLOWED_ORIGINS"
WRITE_AN_ORIGIN = f"Write scheme://host[:port], for example {EXAMPLE_ORIGIN}."


def find_problems(origins: Iterable[str], *, allow_http: bool) -> list[Problem]:
    """What is wrong with each entry of CORS_ALLOWED_ORIGINS.

    ``allow_http``: plain http is fine for any host (DEBUG is on); otherwise only for loopback hosts.
    """
    problems = []
    for origin in origins:
        if problem := _origin_problem(origin, allow_http=allow_http):
            problems.append(problem)
    return problems


def _origin_problem(origin: str, *, allow_http: bool) -> Problem | None:
    def problem(problem_id: str, message: str, hint: str) -> Problem:
        return Problem(problem_id, SETTING, origin, message, hint)

    if "*" in origin:
        return problem(
            ProblemID.CORS_ORIGIN_WILDCARD,
            "is a wildcard, which browsers refuse together with credentials (the browser client's cookies).",
            f"List each frontend's origin instead, comma-separated, for example {EXAMPLE_ORIGIN}.",
        )
    parts = urlsplit(origin)
    try:
        parts.port  # noqa: B018  (raises for a port that is not a number in range)
    except ValueError:
        return problem(ProblemID.CORS_ORIGIN_MALFORMED, "has an invalid port.", WRITE_AN_ORIGIN)
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        return problem(ProblemID.CORS_ORIGIN_MALFORMED, "is not an http(s) origin.", WRITE_AN_ORIGIN)
    if parts.path or parts.query or parts.fragment or parts.username is not None:
        return problem(
            ProblemID.CORS_ORIGIN_NOT_AN_ORIGIN,
            "has more than an origin (a path, even a trailing slash, a query or a user name); "
            "browsers send scheme://host[:port] only.",
            f"Write {origin_of(origin)!r}.",
        )
    if origin != origin_of(origin):
        return problem(
            ProblemID.CORS_ORIGIN_NOT_AN_ORIGIN,
            "would never match what browsers send.",
            f"Write {origin_of(origin)!r}.",
        )
    if parts.scheme == "http" and not allow_http and not is_loopback(parts.hostname):
        return problem(
            ProblemID.CORS_ORIGIN_PLAIN_HTTP,
            "uses plain http with DEBUG off, so the user's cookies would travel unencrypted.",
            "Serve that frontend over https and list its https origin.",
        )
    return None


def cookie_domain_problems(setting: str, value: str | None) -> list[Problem]:
    """What is wrong with a cookie domain setting (CSRF_COOKIE_DOMAIN), if anything."""
    if value is None or DOMAIN.match(value):
        return []
    return [
        Problem(
            ProblemID.COOKIE_DOMAIN_MALFORMED,
            setting,
            value,
            "is not a domain name.",
            "Set it to the parent domain that the API and the frontend share, without scheme, port or path "
            "(for example example.com for api.example.com and app.example.com), or leave it empty.",
        )
    ]
