"""Social login providers from the environment: which are on, what is wrong with them, allauth's configuration.

A provider is on when its client ID is set. Credentials live in the
environment only, never in the database or in code, so this module turns the
variables into allauth's SOCIALACCOUNT_PROVIDERS "APPS" entries.

Each app also says whether a verified address it reports may log in to the
account that has it ("email authentication", allauth's app setting): Google
and GitHub verify the addresses they report, so theirs may. A generic OpenID
Connect issuer may let its users claim any address as verified, and its
"verified" would then open anyone's account here; so it may only when
OIDC_EMAIL_AUTHENTICATION says that this issuer verifies them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from core.validation import Problem, ProblemID, is_loopback

# The variables that each provider reads; the first is the one that turns it on.
GOOGLE = ("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET")
GITHUB = ("GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET")
OIDC = ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_SERVER_URL", "OIDC_PROVIDER_ID", "OIDC_PROVIDER_NAME")
ALL_VARIABLES = GOOGLE + GITHUB + OIDC

DEFAULT_OIDC_PROVIDER_ID = "oidc"
DEFAULT_OIDC_PROVIDER_NAME = "OpenID Connect"
# The provider ID is a path segment of the callback URL, and must not shadow allauth's own provider IDs.
PROVIDER_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
RESERVED_PROVIDER_IDS = {"google", "github", "openid_connect"}


def find_problems(values: Mapping[str, str], *, allow_http: bool) -> list[Problem]:
    """Every problem with the providers' variables (name to value, empty when unset)."""
    problems = []
    for client_id, secret in (GOOGLE, GITHUB, OIDC[:2]):
        # Name the variable that is missing, never show a secret's value.
        if values[client_id] and not values[secret]:
            problems.append(_half_set(secret, client_id, f"Set both, or unset {client_id} to turn the provider off."))
        elif values[secret] and not values[client_id]:
            problems.append(_half_set(client_id, secret, f"Set both, or unset {secret}."))
    if values["OIDC_CLIENT_ID"]:
        problems.extend(_oidc_problems(values, allow_http=allow_http))
    elif values["OIDC_SERVER_URL"]:
        problems.append(
            _half_set("OIDC_CLIENT_ID", "OIDC_SERVER_URL", "Set the client ID and secret, or unset OIDC_SERVER_URL.")
        )
    return problems


def _half_set(missing: str, present: str, hint: str) -> Problem:
    return Problem(ProblemID.SOCIAL_CREDENTIALS_HALF_SET, missing, "", f"is not set, but {present} is.", hint)


def _oidc_problems(values: Mapping[str, str], *, allow_http: bool) -> list[Problem]:
    problems = []
    url = values["OIDC_SERVER_URL"]
    parts = urlsplit(url)
    example = "For example OIDC_SERVER_URL=https://login.example.com/realms/main."

    def server_url_problem(message: str, expected: str) -> Problem:
        return Problem(ProblemID.SOCIAL_OIDC_SERVER_URL, "OIDC_SERVER_URL", url, message, f"{expected} {example}")

    if not url:
        problems.append(
            server_url_problem("is not set, but OIDC_CLIENT_ID is.", "Set it to the provider's issuer URL.")
        )
    elif parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        problems.append(server_url_problem("is not an issuer URL.", "Use an absolute https URL."))
    elif parts.scheme == "http" and not allow_http and not is_loopback(parts.hostname):
        problems.append(
            server_url_problem("uses plain http outside DEBUG, so tokens would travel unencrypted.", "Use https.")
        )
    provider_id = values["OIDC_PROVIDER_ID"]
    if not PROVIDER_ID.fullmatch(provider_id) or provider_id in RESERVED_PROVIDER_IDS:
        problems.append(
            Problem(
                ProblemID.SOCIAL_OIDC_PROVIDER_ID,
                "OIDC_PROVIDER_ID",
                provider_id,
                "must be lower-case letters, digits, - and _, and not one of "
                f"{', '.join(sorted(RESERVED_PROVIDER_IDS))}; it appears in the callback URL.",
                f"For example OIDC_PROVIDER_ID={DEFAULT_OIDC_PROVIDER_ID}.",
            )
        )
    if not values["OIDC_PROVIDER_NAME"].strip():
        problems.append(
            Problem(
                ProblemID.SOCIAL_OIDC_PROVIDER_NAME,
                "OIDC_PROVIDER_NAME",
                values["OIDC_PROVIDER_NAME"],
                "is empty; the frontend shows it on the login button.",
                f"Set it, for example OIDC_PROVIDER_NAME={DEFAULT_OIDC_PROVIDER_NAME}.",
            )
        )
    return problems


def database_app_problems(providers: Iterable[str]) -> list[Problem]:
    """A warning for each social app in the database (``providers``): an app added in the admin, as allauth's
    documentation describes, would be ignored without a word, since providers come from the environment alone."""
    return [
        Problem(
            ProblemID.SOCIAL_APP_IN_DATABASE,
            "SocialApp",
            provider,
            "is a social app in the database, which this site ignores: providers come from the environment.",
            "Set the provider's variables in the environment (see .env.example) and delete the row in the admin.",
        )
        for provider in providers
    ]


def email_authentication_problems(values: Mapping[str, str], *, oidc_email_authentication: bool) -> list[Problem]:
    """OIDC_EMAIL_AUTHENTICATION turned on without the provider it is about."""
    if not oidc_email_authentication or values["OIDC_CLIENT_ID"]:
        return []
    return [
        Problem(
            ProblemID.SOCIAL_OIDC_EMAIL_AUTHENTICATION_WITHOUT_PROVIDER,
            "OIDC_EMAIL_AUTHENTICATION",
            "on",
            "is on, but no OpenID Connect provider is configured (OIDC_CLIENT_ID is not set).",
            "Set OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_SERVER_URL for the provider whose issuer verifies "
            "addresses, or set OIDC_EMAIL_AUTHENTICATION=off.",
        )
    ]


def allauth_providers(values: Mapping[str, str], *, oidc_email_authentication: bool = False) -> dict[str, dict]:
    """SOCIALACCOUNT_PROVIDERS for the providers that are on (``values`` must have no problems).

    ``oidc_email_authentication``: the generic provider's verified addresses log in to the accounts that have them.
    """
    providers: dict[str, dict] = {
        # allauth's GitHub provider has no token login; ours checks the app's access token with GitHub.
        "github": {"provider_class": "accounts.github_provider.GitHubProvider"},
    }
    if values["GOOGLE_CLIENT_ID"]:
        providers["google"] = {
            "APPS": [
                {
                    "client_id": values["GOOGLE_CLIENT_ID"],
                    "secret": values["GOOGLE_CLIENT_SECRET"],
                    "settings": {"oauth_pkce_enabled": True, "email_authentication": True},
                }
            ],
        }
    if values["GITHUB_CLIENT_ID"]:
        providers["github"]["APPS"] = [
            {
                "client_id": values["GITHUB_CLIENT_ID"],
                "secret": values["GITHUB_CLIENT_SECRET"],
                "settings": {"email_authentication": True},
            }
        ]
    if values["OIDC_CLIENT_ID"]:
        providers["openid_connect"] = {
            "APPS": [
                {
                    "provider_id": values["OIDC_PROVIDER_ID"],
                    "name": values["OIDC_PROVIDER_NAME"],
                    "client_id": values["OIDC_CLIENT_ID"],
                    "secret": values["OIDC_CLIENT_SECRET"],
                    "settings": {
                        "server_url": values["OIDC_SERVER_URL"],
                        "oauth_pkce_enabled": True,
                        "email_authentication": oidc_email_authentication,
                    },
                }
            ],
        }
    return providers
