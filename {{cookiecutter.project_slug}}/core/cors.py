"""Frontends on other origins: which origins may call the API with credentials, and the cookie domains they need.

A single-page app on https://app.example.com calling https://api.example.com
needs CORS headers that allow credentials (the browser client's cookies), and
Django's CSRF check must trust its origin. Plain Python, so that the settings
check the values while they load and a bad one stops the site at start-up.
"""

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from accounts.frontend_urls import DEFAULT_PORTS, EXAMPLE_ORIGIN, is_loopback, origin_of

DOMAIN = re.compile(r"^\.?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$", re.IGNORECASE)


def find_problems(origins: Iterable[str], *, allow_http: bool) -> list[str]:
    """What is wrong with each entry of CORS_ALLOWED_ORIGINS, one sentence each.

    ``allow_http``: plain http is fine for any host (DEBUG is on); otherwise only for loopback hosts.
    """
    problems = []
    for origin in origins:
        start = f"CORS_ALLOWED_ORIGINS entry {origin!r}"
        if "*" in origin:
            problems.append(
                f"{start} is a wildcard, which browsers refuse together with credentials (the browser client's "
                f"cookies). List each frontend's origin instead, comma-separated, e.g. {EXAMPLE_ORIGIN}."
            )
            continue
        parts = urlsplit(origin)
        try:
            parts.port  # noqa: B018  (raises for a port that is not a number in range)
        except ValueError:
            problems.append(f"{start} has an invalid port. Write scheme://host[:port], e.g. {EXAMPLE_ORIGIN}.")
            continue
        if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
            problems.append(f"{start} is not an http(s) origin. Write scheme://host[:port], e.g. {EXAMPLE_ORIGIN}.")
            continue
        if parts.path or parts.query or parts.fragment or parts.username is not None:
            problems.append(
                f"{start} has more than an origin (a path, even a trailing slash, a query or a user name); "
                f"browsers send scheme://host[:port] only. Write {origin_of(origin)!r}."
            )
            continue
        if origin != origin_of(origin):
            problems.append(f"{start} would never match what browsers send. Write {origin_of(origin)!r}.")
            continue
        if parts.scheme == "http" and not allow_http and not is_loopback(parts.hostname):
            problems.append(
                f"{start} uses plain http with DEBUG off, so the user's cookies would travel unencrypted. "
                "Serve that frontend over https and list its https origin."
            )
    return problems


def cookie_domain_problems(setting: str, value: str | None) -> list[str]:
    """What is wrong with a cookie domain setting (CSRF_COOKIE_DOMAIN), if anything."""
    if value is None or DOMAIN.match(value):
        return []
    return [
        f"{setting}={value!r} is not a domain name. Set it to the parent domain that the API and the frontend "
        "share, without scheme, port or path (e.g. example.com for api.example.com and app.example.com), "
        "or leave it empty."
    ]
