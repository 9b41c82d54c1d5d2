"""The export of everything the site keeps about a user, GET /api/v1/me/export: one JSON document, no secrets.

Each model with a foreign key to the user is either exported, in the section
EXPORTED names, or listed in NOT_EXPORTED with the reason. A test checks every
such model against both tables, so a model added later fails it until it is put
in one: add its section to ``export`` below, or its reason to NOT_EXPORTED.
"""

from typing import Any

from allauth.account.models import EmailAddress
{%- if cookiecutter.mfa != "none" %}
from allauth.mfa.models import Authenticator
{%- endif %}
{%- if cookiecutter.social_login %}
from allauth.socialaccount.models import SocialAccount
{%- endif %}
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from accounts.models import User
from security_events.models import SecurityEvent

# Models with a foreign key to the user, by label, and the section of the export that holds their rows.
EXPORTED = {
    "account.EmailAddress": "email_addresses",
{%- if cookiecutter.mfa != "none" %}
    "mfa.Authenticator": "second_factors",
{%- endif %}
    "usersessions.UserSession": "sessions",
{%- if cookiecutter.social_login %}
    "socialaccount.SocialAccount": "providers",
{%- endif %}
    "security_events.SecurityEvent": "security_events",
    "admin.LogEntry": "admin_actions",
}
# Models with a foreign key to the user that the export leaves out, and why.
NOT_EXPORTED = {
    # Exists only while the account is closed, when its user cannot log in to ask for an export.
    "account_data.PendingDeletion": "a closed account's deletion date",
{%- if cookiecutter.identity_provider %}
    # Hashes of the tokens this site issued to other sites on the user's behalf: credentials, not data about the user.
    "allauth_idp_oidc.Token": "tokens issued to other sites",
    # Sites registered by staff with `manage.py oidc_client`; the owner is who may manage the registration.
    "allauth_idp_oidc.Client": "sites this user owns as staff",
{%- endif %}
}


def export(user: User, current_session_key: str | None) -> dict[str, Any]:
    """Everything kept about ``user``; ``current_session_key`` marks the caller's own session in the list."""
    return {
        "exported_at": timezone.now(),
        "user": describe_user(user),
        "email_addresses": [
            {"email": address.email, "primary": address.primary, "verified": address.verified}
            for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
{%- if cookiecutter.mfa != "none" %}
        "second_factors": [
            describe_second_factor(authenticator)
            for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
{%- endif %}
        "sessions": [
            {
                "ip_address": session.ip,
                "user_agent": session.user_agent,
                "created_at": session.created_at,
                "last_seen_at": session.last_seen_at,
                "current": session.session_key == current_session_key,
            }
            for session in UserSession.objects.filter(user=user).order_by("-last_seen_at")
        ],
{%- if cookiecutter.social_login %}
        "providers": [
            {
                "provider": account.provider,
                "uid": account.uid,
                "connected_at": account.date_joined,
                "last_login": account.last_login,
                # What the provider said about the user; its tokens are kept apart (SocialToken) and left out.
                "profile": account.extra_data,
            }
            for account in SocialAccount.objects.filter(user=user).order_by("date_joined")
        ],
{%- endif %}
        "security_events": [
            {
                "kind": event.kind,
                "label": event.get_kind_display(),
                "at": event.at,
                "ip_address": event.ip_address,
                "user_agent": event.user_agent,
                "client": event.client,
                "detail": event.detail,
            }
            for event in SecurityEvent.objects.filter(user=user).order_by("-at", "-pk")
        ],
        "admin_actions": [
            {
                "at": entry.action_time,
                "action": entry.get_action_flag_display().lower(),
                "object": entry.object_repr,
                "change": entry.get_change_message(),
            }
            for entry in LogEntry.objects.filter(user=user).order_by("-action_time")
        ],
    }


def describe_user(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
{%- if cookiecutter.login_method != "email" %}
        "username": user.username,
{%- endif %}
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "has_usable_password": user.has_usable_password(),
        "is_staff": user.is_staff,
    }
{%- if cookiecutter.mfa != "none" %}


def describe_second_factor(authenticator: Authenticator) -> dict[str, Any]:
    """The factor's type, name and dates; never its secret, its codes or its public key."""
    described = {
        "type": authenticator.type,
        "name": None,
        "created_at": authenticator.created_at,
        "last_used_at": authenticator.last_used_at,
        "recovery_codes_left": None,
    }
    if authenticator.type == Authenticator.Type.WEBAUTHN:
        described["name"] = authenticator.data.get("name")
    elif authenticator.type == Authenticator.Type.RECOVERY_CODES:
        described["recovery_codes_left"] = len(authenticator.wrap().get_unused_codes())
    return described
{%- endif %}
