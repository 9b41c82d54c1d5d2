"""The frontend email-link URLs: which exist, how they are validated, how they are filled in.

This module is plain Python on purpose: settings, system checks and the
template's bake-time hook all call ``find_problems`` so they agree on what is
valid. ``allauth_frontend_urls`` hands the URLs to allauth's own mechanism
(HEADLESS_FRONTEND_URLS), under the names of the allauth pages they stand for.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from string import Formatter
from urllib.parse import quote, urlsplit

from core.validation import EXAMPLE_ORIGIN, Problem, ProblemID, is_loopback


@dataclass(frozen=True)
class FrontendURL:
    """One URL setting: its name, the placeholders it must contain, its default route.

    ``allauth_name`` names allauth's server-rendered page that the URL stands
    for: the key of the URL in HEADLESS_FRONTEND_URLS, where allauth looks its
    own links up (the site's notices' links are looked up there by
    accounts/adapters.py). None where allauth's mechanism cannot express the
    URL; accounts/adapters.py fills those in itself.
    """

    setting: str
    placeholders: tuple[str, ...]
    path: str
    used_for: str
    allauth_name: str | None = None

    def example(self, origin: str = EXAMPLE_ORIGIN) -> str:
        return origin.rstrip("/") + self.path


ACCOUNT_URLS = (
    FrontendURL(
        "EMAIL_VERIFICATION_URL",
        ("token",),
        "/account/verify-email/{token}",
        "the verification mail sent after signup",
        "account_confirm_email",
    ),
    # allauth has one route for confirming any address (account_confirm_email); a change has its own.
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
        "account_email",
    ),
    # allauth fills one opaque {key}, "<uid>-<token>", where this URL takes its two halves.
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
        "account_change_password",
    ),
    FrontendURL(
        "SET_PASSWORD_URL",
        (),
        "/account/password/set",
        "mails to accounts that have no password yet",
        "account_set_password",
    ),
    FrontendURL(
        "ACCOUNT_SIGNUP_URL",
        (),
        "/account/signup",
        "the mail answering a password reset for an unknown address",
        "account_signup",
    ),
    FrontendURL(
        "ACCOUNT_RESET_PASSWORD_URL",
        (),
        "/account/password/reset",
        "the mail answering a signup with an address that has an account",
        "account_reset_password",
    ),
    # The site's own link, in the mail confirming that an account will be deleted (account_data/deletion.py).
    FrontendURL(
        "ACCOUNT_DELETION_CANCEL_URL",
        ("key",),
        "/account/delete/cancel/{key}",
        "the mail confirming an account's deletion, whose link cancels it",
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
        "socialaccount_login_error",
    ),
)

BY_SETTING = {url.setting: url for url in ACCOUNT_URLS + SOCIAL_URLS}

# The links that confirm an address, and the one that resets a password.
CONFIRMATION_LINKS = ("EMAIL_VERIFICATION_URL", "EMAIL_CHANGE_CONFIRMATION_URL")
RESET_LINKS = ("PASSWORD_RESET_URL",)
# Each switch under which mails carry a code instead of a link, and the links it replaces.
LINKS_REPLACED_BY_CODES = {
    "ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED": CONFIRMATION_LINKS,
    "ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED": RESET_LINKS,
}

# allauth fills {key} where these URLs say {token}; the other placeholders keep their names.
ALLAUTH_PLACEHOLDERS = {"token": "key"}


def defaults(origin: str, urls: Iterable[FrontendURL] = ACCOUNT_URLS) -> dict[str, str]:
    """The value of each setting for a frontend served at ``origin`` with the default routes."""
    return {url.setting: url.example(origin) for url in urls}


def find_problems(
    values: Mapping[str, str | None], *, required: bool, allow_http: bool, codes_by_mail: Collection[str] = ()
) -> list[Problem]:
    """Every problem with ``values`` (setting name to URL template), in setting order.

    ``required``: a missing value is a problem (HEADLESS_ONLY is on).
    ``allow_http``: plain http is fine for any host (DEBUG is on); otherwise
    only for loopback hosts.
    ``codes_by_mail``: the switches of LINKS_REPLACED_BY_CODES that are on; the
    links they replace may be missing, as their mails carry a code instead.
    """
    replaced = {setting for switch in codes_by_mail for setting in LINKS_REPLACED_BY_CODES[switch]}
    problems = []
    for setting, value in values.items():
        url = BY_SETTING[setting]
        if not value:
            if required and setting not in replaced:
                problems.append(_missing(url, value))
            continue
        problems.extend(_problems_with(url, value, allow_http=allow_http))
    return problems


def allauth_frontend_urls(values: Mapping[str, str | None]) -> dict[str, str]:
    """HEADLESS_FRONTEND_URLS: each set URL that allauth can fill, under the name of the page it stands for.

    allauth URL-encodes what it fills in as ``render`` does (a key has no
    character that the two encode differently), and falls back to its own page
    for a name that is missing here unless HEADLESS_ONLY is on.
    """
    return {
        BY_SETTING[setting].allauth_name: allauth_template(BY_SETTING[setting], value)
        for setting, value in values.items()
        if value and BY_SETTING[setting].allauth_name
    }


def allauth_template(url: FrontendURL, template: str) -> str:
    """``template``, a value of ``url``, in allauth's syntax: its placeholder names, and literal braces written once.

    allauth replaces each placeholder it fills and copies everything else as it
    is; it has no escape for a brace. So a brace that is text here (written
    ``{{``) is a single one there, except where the text reads as a placeholder
    allauth fills: its braces are written percent-encoded (%7B, %7D), which the
    frontend decodes to the same text. (allauth's render_url, which fills them,
    is listed in accounts/allauth_compat.py.)
    """
    filled = [ALLAUTH_PLACEHOLDERS.get(name, name) for name in url.placeholders]
    parts = []
    text = ""  # the text since the last placeholder (the parser splits it at each escaped brace)
    for literal, field, _spec, _conversion in Formatter().parse(template):
        text += literal
        if field is not None:
            parts += [_as_text(text, filled), f"{{{ALLAUTH_PLACEHOLDERS.get(field, field)}}}"]
            text = ""
    return "".join([*parts, _as_text(text, filled)])


def _as_text(text: str, placeholders: list[str]) -> str:
    for name in placeholders:
        text = text.replace(f"{{{name}}}", f"%7B{name}%7D")
    return text


def render(template: str, **params: str) -> str:
    """Fill ``template``'s placeholders with ``params``, each URL-encoded."""
    parts = []
    for literal, field, _spec, _conversion in Formatter().parse(template):
        parts.append(literal)
        if field is not None:
            parts.append(quote(params[field], safe=""))
    return "".join(parts)


def _missing(url: FrontendURL, value: str | None) -> Problem:
    hint = f"Set it to your frontend's route, for example {url.example()}"
    switch = next((switch for switch, links in LINKS_REPLACED_BY_CODES.items() if url.setting in links), None)
    if switch:
        hint += f", or set {switch}=on so that the mail carries a code instead"
    return Problem(
        ProblemID.FRONTEND_URL_MISSING,
        url.setting,
        value,
        f"is not set, and HEADLESS_ONLY is on, so {url.used_for} has no link.",
        f"{hint}.",
    )


def _problems_with(url: FrontendURL, value: str, *, allow_http: bool) -> list[Problem]:
    def problem(problem_id: str, message: str, expected: str) -> Problem:
        return Problem(
            problem_id,
            url.setting,
            value,
            message,
            f"{expected}, for example {url.example()}.",
        )

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            problem(
                ProblemID.FRONTEND_URL_NOT_ABSOLUTE,
                "is not an absolute http(s) URL.",
                "Use a full URL with scheme and host",
            )
        ]
    problems = []
    if parts.scheme == "http" and not allow_http and not is_loopback(parts.hostname):
        problems.append(
            problem(
                ProblemID.FRONTEND_URL_PLAIN_HTTP,
                "uses plain http outside DEBUG; mail links would travel unencrypted.",
                "Use https (http is accepted only with DEBUG on or for a loopback host)",
            )
        )
    try:
        fields = list(Formatter().parse(value))
    except ValueError as error:
        problems.append(
            problem(
                ProblemID.FRONTEND_URL_BRACES_UNBALANCED,
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
                    ProblemID.FRONTEND_URL_PLACEHOLDER_FORMATTED,
                    f"formats the placeholder {{{field}}} with a conversion or format spec.",
                    "Write placeholders as plain {name}",
                )
            )
        if field not in url.placeholders:
            problems.append(
                problem(
                    ProblemID.FRONTEND_URL_PLACEHOLDER_UNKNOWN,
                    f"contains the unknown placeholder {{{field}}}.",
                    _allowed(url),
                )
            )
        found.append(field)
    for name in url.placeholders:
        if name not in found:
            problems.append(
                problem(ProblemID.FRONTEND_URL_PLACEHOLDER_MISSING, f"lacks the placeholder {{{name}}}.", _allowed(url))
            )
    return problems


def _allowed(url: FrontendURL) -> str:
    if not url.placeholders:
        return "This URL takes no placeholders"
    names = " and ".join(f"{{{name}}}" for name in url.placeholders)
    return f"This URL must contain {names} and nothing else in braces"
