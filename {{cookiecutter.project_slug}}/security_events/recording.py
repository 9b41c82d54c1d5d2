"""Writes one event for the request that caused it: one INSERT, and never an error for that request."""

import logging
import re
from contextlib import nullcontext
from typing import Any

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from core.errors import PROJECT_API_PREFIX

from .models import USER_AGENT_LENGTH, SecurityEvent

logger = logging.getLogger(__name__)

HEADLESS_CLIENT = re.compile(r"^/_allauth/(browser|app)/")
CLIENT_ATTRIBUTE = "security_events_client"


def record(request: HttpRequest | None, user: Any, kind: str, **detail: Any) -> None:
    """Saves the event; a failure is logged, since the login or change it describes has already happened."""
    if user is None or user.pk is None:
        return
    # Inside a caller's transaction (closing an account), a savepoint, so that a failed INSERT does not abort
    # the rest of it; outside one (a login), none, so that the event stays one query.
    in_transaction = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if in_transaction else nullcontext():
            SecurityEvent.objects.create(user_id=user.pk, kind=kind, detail=detail, **describe_client(request))
    except Exception:
        logger.exception("Could not record the security event %s for user %s.", kind, user.pk)


def describe_client(request: HttpRequest | None) -> dict[str, Any]:
    """The client's address (as the trusted-proxy settings resolve it), user agent and kind (browser or app)."""
    if request is None:
        return {}
    return {
        "ip_address": client_ip(request),
        "user_agent": request.headers.get("User-Agent", "")[:USER_AGENT_LENGTH],
        "client": client_kind(request),
    }


def client_kind(request: HttpRequest) -> str:
    """The headless API names the client in its path; on the project API the app sends a token, a browser a cookie.

    The routed path, so that a path prefix changes nothing; a request elsewhere may have been named by note_client.
    """
    if match := HEADLESS_CLIENT.match(request.path_info):
        return match.group(1)
    if request.path_info.startswith(PROJECT_API_PREFIX):
        if "X-Session-Token" in request.headers or "Authorization" in request.headers:
            return SecurityEvent.Client.APP
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return SecurityEvent.Client.BROWSER
    return getattr(request, CLIENT_ATTRIBUTE, SecurityEvent.Client.OTHER)


def note_client(request: HttpRequest, client: str) -> None:
    """Names the client of a request outside the headless paths that serves one all the same."""
    setattr(request, CLIENT_ATTRIBUTE, client)


def client_ip(request: HttpRequest) -> str | None:
    # allauth's own reading, so that TRUSTED_PROXY_COUNT and TRUSTED_CLIENT_IP_HEADER apply as for its rate limits.
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return None


def record_failed_login(request: HttpRequest, credentials: dict[str, Any]) -> None:
    """A wrong password for an existing account, noted for that account's owner; an unknown address notes nothing."""
    from allauth.account.utils import filter_users_by_email, filter_users_by_username

    try:
        if credentials.get("email"):
            users = filter_users_by_email(credentials["email"], is_active=True, prefer_verified=True)
        elif credentials.get("username"):
            users = list(filter_users_by_username(credentials["username"]))
        else:
            users = []
    except Exception:
        logger.exception("Could not look up the account of a failed login.")
        return
    for user in users[:1]:
        record(request, user, SecurityEvent.Kind.LOGIN_FAILED)


def record_ended_sessions(request: HttpRequest | None, sessions: list[Any]) -> None:
    """Sessions a user ended from another one (allauth's list of sessions), one event each."""
    current = getattr(getattr(request, "session", None), "session_key", None)
    for session in sessions:
        if session.session_key != current:
            record(request, session.user, SecurityEvent.Kind.SESSION_ENDED, session_ip=session.ip)
