"""What every settings rule shares: the Problem it reports, the table of problem IDs, URL and origin helpers.

Plain Python on purpose: the settings, the system checks and the template's
bake-time hooks all import it, so they agree on what is wrong and how it is said.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

EXAMPLE_ORIGIN = "https://app.example.com"
DEFAULT_PORTS = {"http": 80, "https": 443}
LOOPBACK_HOSTS = {"localhost"}


class ProblemID:
    """Every settings problem's stable ID, as start-up errors and `manage.py check` show it. Never reuse one.

    Plain strings rather than an enum: the bake-time hooks may run on a Python older than the site's.
    """

    # Reading the environment (config/environment.py)
    NOT_A_BOOLEAN = "core.E100"
    NOT_A_LIST = "core.E101"
    NOT_AN_INTEGER = "core.E102"
    # Production start-up (core/production.py)
    SECRET_KEY_UNSAFE = "core.E110"  # noqa: S105  (IDs, not secrets)
    ALLOWED_HOSTS_EMPTY = "core.E111"
    ADMIN_URL_MALFORMED = "core.E112"
    ALLOWED_HOSTS_WILDCARD = "core.E140"
    CACHE_PER_PROCESS = "core.E141"
    CACHE_KEEPS_NOTHING = "core.E142"
    # Frontends on other origins (core/cors.py)
    CORS_ORIGIN_WILDCARD = "core.E120"
    CORS_ORIGIN_MALFORMED = "core.E121"
    CORS_ORIGIN_NOT_AN_ORIGIN = "core.E122"
    CORS_ORIGIN_PLAIN_HTTP = "core.E123"
    COOKIE_DOMAIN_MALFORMED = "core.E124"
    # Proxies in front of the site (core/proxies.py)
    PROXY_COUNT_NOT_A_NUMBER = "core.E130"
    CLIENT_IP_HEADER_MALFORMED = "core.E131"
    PROXY_TRUST_TWICE = "core.E132"
    CLIENT_IP_HEADER_A_LIST = "core.E133"
    PROXY_NOT_TRUSTED = "core.W130"
    # Frontend URLs (accounts/frontend_urls.py)
    FRONTEND_URL_MISSING = "accounts.E001"
    FRONTEND_URL_NOT_ABSOLUTE = "accounts.E002"
    FRONTEND_URL_PLAIN_HTTP = "accounts.E003"
    FRONTEND_URL_PLACEHOLDER_MISSING = "accounts.E004"
    FRONTEND_URL_PLACEHOLDER_UNKNOWN = "accounts.E005"
    FRONTEND_URL_BRACES_UNBALANCED = "accounts.E006"
    FRONTEND_URL_PLACEHOLDER_FORMATTED = "accounts.E007"
    # Passkeys (accounts/passkeys.py)
    PASSKEY_ORIGINS_MISSING = "accounts.E010"
    PASSKEY_ORIGIN_MALFORMED = "accounts.E011"
    PASSKEY_ORIGIN_NOT_OFFERED = "accounts.E012"
    PASSKEY_RP_ID_MISMATCH = "accounts.E013"
    # Social login providers (accounts/social_providers.py)
    SOCIAL_CREDENTIALS_HALF_SET = "accounts.E020"
    SOCIAL_OIDC_SERVER_URL = "accounts.E021"
    SOCIAL_OIDC_PROVIDER_ID = "accounts.E022"
    SOCIAL_OIDC_PROVIDER_NAME = "accounts.E023"
    SOCIAL_APP_IN_DATABASE = "accounts.W024"
    SOCIAL_OIDC_EMAIL_AUTHENTICATION_WITHOUT_PROVIDER = "accounts.E025"
    # Signing keys and app tokens (accounts/jwt_keys.py, accounts/tokens.py)
    SIGNING_KEY_MISSING = "accounts.E030"
    SIGNING_KEY_MALFORMED = "accounts.E031"
    SIGNING_KEY_TOO_SMALL = "accounts.E032"
    PREVIOUS_PUBLIC_KEY_MALFORMED = "accounts.E033"
    TOKEN_STRATEGY_UNKNOWN = "accounts.E034"  # noqa: S105
    # Second factors (accounts/second_factors.py, accounts/mfa_encryption.py)
    MFA_TYPE_NOT_OFFERED = "accounts.E040"
    MFA_TOTP_TOLERANCE_NEGATIVE = "accounts.E041"
    MFA_ENCRYPTION_KEYS_MISSING = "accounts.E045"
    MFA_ENCRYPTION_KEY_MALFORMED = "accounts.E046"
    # The admin (accounts/admin_access.py)
    ADMIN_SECOND_FACTOR_UNAVAILABLE = "accounts.E050"
    # Passkey signup and codes by mail (accounts/passkeys.py)
    PASSKEY_SIGNUP_WITHOUT_CODES = "accounts.E060"
    # Security events (security_events/retention.py)
    SECURITY_EVENTS_RETENTION_OUT_OF_RANGE = "accounts.E070"
    # Deleting an account (account_data/grace_period.py)
    ACCOUNT_DELETION_GRACE_OUT_OF_RANGE = "accounts.E080"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one setting, identified like a Django system check."""

    id: str
    setting: str
    value: object
    message: str
    hint: str
    # A secret's value (a key, a password) is never repeated in a message or a log.
    secret: bool = False

    @property
    def subject(self) -> str:
        """The setting, with its value unless that is a secret."""
        return self.setting if self.secret else f"{self.setting}={self.value!r}"

    @property
    def is_warning(self) -> bool:
        return ".W" in self.id

    def __str__(self) -> str:
        return f"{self.subject}: {self.message} {self.hint} ({self.id})"


def days_out_of_range(problem_id: str, setting: str, days: int, *, most: int, what: str, example: int) -> list[Problem]:
    """The problem with ``setting`` unless ``days`` is from 1 to ``most``; ``what`` says what the days are for."""
    if 1 <= days <= most:
        return []
    return [
        Problem(
            problem_id,
            setting,
            days,
            f"must be between 1 and {most} days.",
            f"Set the number of days {what}, e.g. {setting}={example}.",
        )
    ]


def report(problems: Iterable[Problem]) -> str:
    """All ``problems`` as one message, a line each: what start-up says before it stops."""
    lines = "\n".join(f"- {problem}" for problem in problems)
    return f"Fix these settings in the environment or .env:\n{lines}"


def origin_of(url: str) -> str:
    """The origin of ``url`` written as a browser writes it: lower-case host, no default port."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port and parts.port != DEFAULT_PORTS.get(parts.scheme):
        netloc += f":{parts.port}"
    return f"{parts.scheme}://{netloc}"


def origins_of(urls: Iterable[str | None]) -> list[str]:
    """The distinct origins of ``urls`` (the frontend URL settings), in order; a URL with no origin is left out."""
    return list(dict.fromkeys(origin_of(url) for url in urls if url and urlsplit(url).hostname))


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine, where plain http never leaves it."""
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
