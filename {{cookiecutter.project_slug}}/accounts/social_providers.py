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
from collections.abc import Mapping
from urllib.parse import urlsplit

from .frontend_urls import Problem, is_loopback

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


def find_problems(values: Mapping[str, str], *, allow_http: bool) -> list[str]:
    """Every problem with the providers' variables (name to value, empty when unset), each a sentence."""
    problems = []
    for client_id, secret in (GOOGLE, GITHUB, OIDC[:2]):
        if values[client_id] and not values[secret]:
            problems.append(f"{client_id} is set but {secret} is not. Set both, or unset {client_id} to turn it off.")
        elif values[secret] and not values[client_id]:
            problems.append(f"{secret} is set but {client_id} is not. Set both, or unset {secret}.")
    if values["OIDC_CLIENT_ID"]:
        problems.extend(_oidc_problems(values, allow_http=allow_http))
    elif values["OIDC_SERVER_URL"]:
        problems.append("OIDC_SERVER_URL is set but OIDC_CLIENT_ID is not. Set the client ID and secret, or unset it.")
    return problems


def _oidc_problems(values: Mapping[str, str], *, allow_http: bool) -> list[str]:
    problems = []
    url = values["OIDC_SERVER_URL"]
    parts = urlsplit(url)
    example = "for example OIDC_SERVER_URL=https://login.example.com/realms/main"
    if not url:
        problems.append(
            f"OIDC_CLIENT_ID is set but OIDC_SERVER_URL is not. Set it to the provider's issuer URL, {example}."
        )
    elif parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        problems.append(f"OIDC_SERVER_URL={url!r} is not an issuer URL. Use an absolute https URL, {example}.")
    elif parts.scheme == "http" and not allow_http and not is_loopback(parts.hostname):
        problems.append(
            f"OIDC_SERVER_URL={url!r} uses plain http outside DEBUG, so tokens would travel unencrypted. "
            f"Use https, {example}."
        )
    provider_id = values["OIDC_PROVIDER_ID"]
    if not PROVIDER_ID.fullmatch(provider_id) or provider_id in RESERVED_PROVIDER_IDS:
        problems.append(
            f"OIDC_PROVIDER_ID={provider_id!r} must be lower-case letters, digits, - and _, and not one of "
            f"{', '.join(sorted(RESERVED_PROVIDER_IDS))}; it appears in the callback URL. "
            f"For example OIDC_PROVIDER_ID={DEFAULT_OIDC_PROVIDER_ID}."
        )
    if not values["OIDC_PROVIDER_NAME"].strip():
        problems.append(
            f"OIDC_PROVIDER_NAME is empty; the frontend shows it on the login button. "
            f"Set it, for example OIDC_PROVIDER_NAME={DEFAULT_OIDC_PROVIDER_NAME}."
        )
    return problems


def email_authentication_problems(values: Mapping[str, str], *, oidc_email_authentication: bool) -> list[Problem]:
    """OIDC_EMAIL_AUTHENTICATION turned on without the provider it is about."""
    if not oidc_email_authentication or values["OIDC_CLIENT_ID"]:
        return []
    return [
        Problem(
            "accounts.E025",
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
