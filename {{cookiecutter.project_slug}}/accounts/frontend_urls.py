"""The frontend email-link URLs: which exist, how they are validated, how they are filled in, their origins.

This module is plain Python on purpose: settings, system checks and the
template's bake-time hook all call ``find_problems`` so they agree on what is
valid.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from string import Formatter
from urllib.parse import quote, urlsplit

EXAMPLE_ORIGIN = "https://app.example.com"
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class FrontendURL:
    """One URL setting: its name, the placeholders it must contain, its default route."""

    setting: str
    placeholders: tuple[str, ...]
    path: str
    used_for: str

    def example(self, origin: str = EXAMPLE_ORIGIN) -> str:
        return origin.rstrip("/") + self.path


ACCOUNT_URLS = (
    FrontendURL(
        "EMAIL_VERIFICATION_URL",
        ("token",),
        "/account/verify-email/{token}",
        "the verification mail sent after signup",
    ),
    FrontendURL(
        "EMAIL_CHANGE_CONFIRMATION_URL",
        ("token",),
        "/account/email/confirm/{token}",
        "the mail that confirms a new email address",
    ),
    FrontendURL(
        "EMAIL_CHANGE_CANCEL_URL",
        (),
        "/account/email/cancel",
        "the notice to the old address when the email changes",
    ),
    FrontendURL(
        "PASSWORD_RESET_URL",
        ("uidb64", "token"),
        "/account/password/reset/{uidb64}/{token}",
        "the password-reset mail",
    ),
    FrontendURL(
        "PASSWORD_CHANGED_URL",
        (),
        "/account/password/changed",
        "the notice after a password change",
    ),
    FrontendURL(
        "SET_PASSWORD_URL",
        (),
        "/account/password/set",
        "mails to accounts that have no password yet",
    ),
    FrontendURL(
        "ACCOUNT_SIGNUP_URL",
        (),
        "/account/signup",
        "the mail answering a password reset for an unknown address",
    ),
    FrontendURL(
        "ACCOUNT_RESET_PASSWORD_URL",
        (),
        "/account/password/reset",
        "the mail answering a signup with an address that has an account",
    ),
    FrontendURL(
        "LOGIN_URL",
        (),
        "/account/login",
        "the redirect to the login page of whoever must log in first, such as staff opening the admin",
    ),
)

SOCIAL_URLS = (
    FrontendURL(
        "SOCIALACCOUNT_LOGIN_ERROR_URL",
        (),
        "/account/provider/callback",
        "the redirect after a failed social login",
    ),
)

BY_SETTING = {url.setting: url for url in ACCOUNT_URLS + SOCIAL_URLS}

# The links that confirm an address. With verification by code, mails carry a code instead.
CONFIRMATION_LINKS = ("EMAIL_VERIFICATION_URL", "EMAIL_CHANGE_CONFIRMATION_URL")

LOOPBACK_HOSTS = {"localhost"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one setting, identified like a Django system check."""

    id: str
    setting: str
    value: str | None
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.setting}={self.value!r}: {self.message} {self.hint} ({self.id})"


def defaults(origin: str, urls: Iterable[FrontendURL] = ACCOUNT_URLS) -> dict[str, str]:
    """The value of each setting for a frontend served at ``origin`` with the default routes."""
    return {url.setting: url.example(origin) for url in urls}


def find_problems(
    values: Mapping[str, str | None], *, required: bool, allow_http: bool, verification_by_code: bool = False
) -> list[Problem]:
    """Every problem with ``values`` (setting name to URL template), in setting order.

    ``required``: a missing value is a problem (HEADLESS_ONLY is on).
    ``allow_http``: plain http is fine for any host (DEBUG is on); otherwise
    only for loopback hosts.
    ``verification_by_code``: addresses are confirmed by a code in the mail, so
    the confirmation links may be missing.
    """
    problems = []
    for setting, value in values.items():
        url = BY_SETTING[setting]
        if not value:
            if required and not (verification_by_code and setting in CONFIRMATION_LINKS):
                problems.append(_missing(url, value))
            continue
        problems.extend(_problems_with(url, value, allow_http=allow_http))
    return problems


def origin_of(url: str) -> str:
    """The origin of ``url`` written as a browser writes it: lower-case host, no default port."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port and parts.port != DEFAULT_PORTS.get(parts.scheme):
        netloc += f":{parts.port}"
    return f"{parts.scheme}://{netloc}"


def origins_of(urls: Iterable[str | None]) -> list[str]:
    """The distinct origins of ``urls`` (the frontend URL settings), in order."""
    return list(dict.fromkeys(origin_of(url) for url in urls if url))


def render(template: str, **params: str) -> str:
    """Fill ``template``'s placeholders with ``params``, each URL-encoded."""
    parts = []
    for literal, field, _spec, _conversion in Formatter().parse(template):
        parts.append(literal)
        if field is not None:
            parts.append(quote(params[field], safe=""))
    return "".join(parts)


def _missing(url: FrontendURL, value: str | None) -> Problem:
    return Problem(
        "accounts.E001",
        url.setting,
        value,
        f"is not set, and HEADLESS_ONLY is on, so {url.used_for} has no link.",
        f"Set it to your frontend's route, for example {url.example()}.",
    )


def _problems_with(url: FrontendURL, value: str, *, allow_http: bool) -> list[Problem]:
    def problem(number: int, message: str, expected: str) -> Problem:
        return Problem(
            f"accounts.E{number:03d}",
            url.setting,
            value,
            message,
            f"{expected}, for example {url.example()}.",
        )

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            problem(
                2,
                "is not an absolute http(s) URL.",
                "Use a full URL with scheme and host",
            )
        ]
    problems = []
    if parts.scheme == "http" and not allow_http and not is_loopback(parts.hostname):
        problems.append(
            problem(
                3,
                "uses plain http outside DEBUG; mail links would travel unencrypted.",
                "Use https (http is accepted only with DEBUG on or for a loopback host)",
            )
        )
    try:
        fields = list(Formatter().parse(value))
    except ValueError as error:
        problems.append(
            problem(
                6,
                f"has unbalanced braces ({error}).",
                "Write placeholders as {name} and a literal brace as {{ or }}",
            )
        )
        return problems
    found = []
    for _literal, field, spec, conversion in fields:
        if field is None:
            continue
        if spec or conversion:
            problems.append(
                problem(
                    7,
                    f"formats the placeholder {{{field}}} with a conversion or format spec.",
                    "Write placeholders as plain {name}",
                )
            )
        if field not in url.placeholders:
            problems.append(
                problem(
                    5,
                    f"contains the unknown placeholder {{{field}}}.",
                    _allowed(url),
                )
            )
        found.append(field)
    for name in url.placeholders:
        if name not in found:
            problems.append(problem(4, f"lacks the placeholder {{{name}}}.", _allowed(url)))
    return problems


def _allowed(url: FrontendURL) -> str:
    if not url.placeholders:
        return "This URL takes no placeholders"
    names = " and ".join(f"{{{name}}}" for name in url.placeholders)
    return f"This URL must contain {names} and nothing else in braces"


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine, where plain http never leaves it."""
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
