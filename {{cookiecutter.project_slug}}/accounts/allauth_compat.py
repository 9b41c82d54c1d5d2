"""Where the site leans on allauth beyond its documented API: internal names it imports, code of allauth's it repeats.

allauth promises nothing about its ``internal`` modules, and code written after
one of its methods goes stale without a sound when allauth changes the
original. So the internal names are imported here only, and every such copy is
listed here with a hash of the original as it was checked.
tests/test_allauth_compat.py fails when an upgrade of allauth changes one of
them: re-check the site's code that the failure names, then record the new
hash and version here.
"""

import hashlib
import inspect
from dataclasses import dataclass
from importlib import import_module

# Checked against django-allauth 65.21.1: the flows by which a user can reauthenticate (a password, a second
# factor), as allauth lists them in its 401 asking for reauthentication; api/reauthentication.py lists them too.
from allauth.account.internal.flows.reauthentication import get_reauthentication_flows

# Checked against django-allauth 65.21.1: the RFC 7638 thumbprint that allauth makes the kid of the keys
# it signs JWTs with; accounts/jwks.py publishes the public keys under the same kid.
from allauth.core.internal.jwkkit import jwk_thumbprint

# Checked against django-allauth 65.21.1: the headless API's error answer, a 400 with a form's errors in the
# envelope; accounts/headless/password_reset.py answers wrong codes with it, as allauth's view does.
from allauth.headless.internal.restkit.response import ErrorResponse
{%- if cookiecutter.mfa != "none" %}

# Checked against django-allauth 65.21.1: the session key under which allauth keeps the secret of a pending
# authenticator-app set-up; api/mfa.py draws that secret as a QR code.
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
{%- endif %}

__all__ = [
    "COPIES",
{%- if cookiecutter.mfa != "none" %}
    "SECRET_SESSION_KEY",
{%- endif %}
    "Copy",
    "ErrorResponse",
    "get_reauthentication_flows",
    "jwk_thumbprint",
]


@dataclass(frozen=True)
class Copy:
    """Code of the site (``copy``) that repeats allauth's ``original`` or depends on how it works."""

    original: str  # dotted path of allauth's function, method or class
    copy: str  # dotted path of the site's code that follows it
    why: str
    checked_against: str  # the django-allauth release the copy was last compared with
    source_sha256: str  # of the original's source in that release

    def original_sha256(self) -> str:
        """The hash of the original's source in the installed allauth."""
        return hashlib.sha256(inspect.getsource(resolve(self.original)).encode()).hexdigest()


COPIES = (
    Copy(
        "allauth.headless.adapter.DefaultHeadlessAdapter.user_as_dataclass",
        "accounts.adapters.HeadlessAdapter.user_as_dataclass",
        "builds the same user fields on reads, with the address from the user row instead of the address table",
        "65.21.1",
        "2df7c619b0e7bf07e3e84f4e3f216a8853fbf951ce69f055b1d6d94593415366",
    ),
    Copy(
        "allauth.account.internal.flows.password_reset.request_password_reset",
        "accounts.adapters.AccountAdapter.get_reset_password_from_key_url",
        'splits the reset key allauth builds, "<uid>-<token>", at its first dash',
        "65.21.1",
        "2ed4acf3d6646d1c1483bc92dc3fda210e2e8de369bc3bc009793d8a6e0104f0",
    ),
    Copy(
        "allauth.account.utils.user_pk_to_url_str",
        "accounts.adapters.AccountAdapter.get_reset_password_from_key_url",
        "relies on the uid in the reset key having no dash (a UUID's hex)",
        "65.21.1",
        "c132106419672f182e188c487b0ee0eeb7e0a4c354c79f9cac55de2d19e327e4",
    ),
    Copy(
        "allauth.headless.account.views.ResetPasswordView.get",
        "accounts.headless.password_reset.ResetPasswordView.get",
        "checks a code for an address without an account as allauth checks one for an address with an account",
        "65.21.1",
        "8fb50017e71a20ece9e0339bf4d6bcbacb3cdb8b80a5dec14431665a57de17bd",
    ),
    Copy(
        "allauth.headless.account.views.ResetPasswordView.handle_invalid_input",
        "accounts.headless.password_reset.ResetPasswordView.handle_invalid_input",
        "counts a wrong code as allauth does, and leaves the password's errors out of its answer",
        "65.21.1",
        "afc1a9ae202b6bfc7408e97308a65196d7fdf76bd8221c8ade44bcea41f16320",
    ),
    Copy(
        "allauth.account.forms.BaseSignupForm.save",
        "accounts.signup_address.AddressInOneQuery.save",
        "saves the new user as allauth's signup form does, then writes its address itself",
        "65.21.1",
        "ad3c9ab3a3572e42e33fdb3fb8659140e46b4f781d3b1b8eda7b824ee927a95b",
    ),
    Copy(
        "allauth.account.utils.setup_user_email",
        "accounts.signup_address.AddressInOneQuery.save",
        "writes the one address row that allauth's setup_user_email writes for a signup",
        "65.21.1",
        "b8db15ff66e8e07a3228c3a58d5e9e96a802c05854ede7f03c2e5d107c148796",
    ),
    Copy(
        "allauth.core.internal.httpkit.render_url",
        "accounts.frontend_urls.allauth_template",
        "writes HEADLESS_FRONTEND_URLS for how allauth fills them: each {key} replaced and URL-encoded, no escapes",
        "65.21.1",
        "8bd22b5414cb02fd76b23cdd0e489102a1b9571da0c593a1790ad30877d79bfa",
    ),
    Copy(
        "allauth.headless.internal.authkit.authentication_context",
        "api.security.AUTHENTICATION",
        "tries the session token (or the session behind a JWT) before the session cookie, as allauth does",
        "65.21.1",
        "b00bfc1ba567615257a7e6181cfbd5ead1180635fc8044ae7b79e552b81b9b2c",
    ),
    Copy(
        "allauth.headless.tokens.strategies.jwt.strategy.JWTTokenStrategy.get_session_token",
        "api.security.AUTHENTICATION",
        "tries the X-Session-Token header before a JWT access token, as allauth does",
        "65.21.1",
        "521afea774dd137ff81ef1350bde8f19f6d72095930e095539c4767ec9961ef8",
    ),
    Copy(
        "allauth.headless.internal.authkit.authentication_context",
        "api.reauthentication.caller_session",
        "finds the caller's session as allauth's headless API does: the token's, a JWT's, or the cookie's",
        "65.21.1",
        "b00bfc1ba567615257a7e6181cfbd5ead1180635fc8044ae7b79e552b81b9b2c",
    ),
    Copy(
        "allauth.account.internal.flows.reauthentication.did_recently_reauthenticate",
        "api.reauthentication.missing_reauthentication",
        "counts the reauthentications allauth notes in the session as allauth does, within its timeout",
        "65.21.1",
        "fb4808dcd60699be304048aaf8a4cf829460e7eb0a3d511192ee24ada582a0b8",
    ),
{%- if cookiecutter.mfa == "totp and passkeys" %}
    Copy(
        "allauth.mfa.webauthn.internal.auth.parse_registration_response",
        "accounts.headless.passkey_responses._parse",
        "parses a new passkey before allauth does, because allauth turns only fido2's TypeError into a 400",
        "65.21.1",
        "43d845cfb944dda0ed7aa7421df79e4b4aac67180072844239e73dc8930b34d0",
    ),
    Copy(
        "allauth.mfa.webauthn.internal.auth.parse_authentication_response",
        "accounts.headless.passkey_responses._parse",
        "parses a passkey assertion before allauth does, because allauth turns only TypeError and ValueError into 400s",
        "65.21.1",
        "88db5240f31c783e74a6f72bcd3c2b2ccc5a368f70dbfb083bd525f563a7fbe8",
    ),
{%- endif %}
{%- if cookiecutter.social_login %}
    Copy(
        "allauth.socialaccount.adapter.DefaultSocialAccountAdapter.list_apps",
        "accounts.adapters.SocialAccountAdapter.list_apps",
        "lists the apps of SOCIALACCOUNT_PROVIDERS, filtered as allauth filters them, without the database",
        "65.21.1",
        "1c6196ee7144746751ff64f26e2a7d7149ba2f564e62bd2d76da573e2763b1be",
    ),
    Copy(
        "allauth.socialaccount.adapter._build_apps_from_settings",
        "accounts.adapters.SocialAccountAdapter.list_apps",
        "builds each app from its settings and filters by provider and client ID as allauth does",
        "65.21.1",
        "1aaf7a93f97ba6105a6d12b95e8906a0857147ef37d09029ab8cda69321b693d",
    ),
{%- endif %}
{%- if cookiecutter.identity_provider %}
    Copy(
        "allauth.idp.oidc.views.AuthorizationView._login_required",
        "accounts.identity_provider.authorization",
        "handles prompt=login before anything else, as allauth's authorization endpoint does",
        "65.21.1",
        "b7da160865b17c887e597210f964b9e07b717151b017b30a71da2406499d751a",
    ),
    Copy(
        "allauth.idp.oidc.views.AuthorizationView._handle_login_prompt",
        "accounts.identity_provider.authorization",
        "sends prompt=login to the frontend's login page with the next URL allauth builds for its own pages",
        "65.21.1",
        "37d6b0ebbc79775f4c42e9506994df4d7ef0537136df20534537bbfa3705ed5b",
    ),
{%- endif %}
)


def resolve(dotted_path: str) -> object:
    """The object at ``dotted_path``: a module, then attributes (a class, then its method)."""
    parts = dotted_path.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            found = import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            found = getattr(found, name)
        return found
    raise ImportError(f"{dotted_path} names no module.")
