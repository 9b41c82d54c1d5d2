"""The app client's token refresh, POST /_allauth/app/v1/tokens/refresh: each refresh token is spent once, and a
spent one sent again ends its session.

allauth keeps a session's live refresh tokens in the session itself and
rotates them (HEADLESS_JWT_ROTATE_REFRESH_TOKEN): a refresh reads the session,
drops the token, adds the new one and saves it. Two refreshes with one token
at the same moment, on two processes, would both read it before either
saves, and both get new tokens. Here a refresh first claims the token in the shared
cache (an atomic add, SET NX in Redis), so exactly one can; the claim stays
until the token would have expired.

A claimed token sent again means that it leaked, or that the app sent it
twice: the server cannot tell the thief from the owner, so, as RFC 9700
(4.14.2) recommends, the session ends, with its access and refresh tokens,
and the answer says to log in again. An app must therefore send one refresh
at a time and share its answer among the calls that wait for it.

allauth answers a refresh token it does not accept (expired, revoked, or no
refresh token at all) with a bare ``{"status": 400}``; this view names the
error too.
"""

import logging
import math
import time
from http import HTTPStatus

from allauth.headless import app_settings as headless_settings
from allauth.headless.tokens.strategies.jwt import JWTTokenStrategy as AllauthJWTTokenStrategy
from allauth.headless.tokens.strategies.jwt import internal as jwt_tokens  # what allauth's strategy is built on
from allauth.headless.tokens.views import RefreshTokenView as AllauthRefreshTokenView
from allauth.usersessions.adapter import get_adapter as usersessions_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.core.cache import cache
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.module_loading import import_string

from core.errors import error_response

logger = logging.getLogger(__name__)


class RefreshTokenReused(Exception):
    """A refresh token was sent after it had been spent."""


class JWTTokenStrategy(AllauthJWTTokenStrategy):
    """allauth's JWT strategy, with refresh tokens spent once across processes and reuse ending the session."""

    def refresh_token(self, refresh_token: str) -> tuple[str, str] | None:
        if not headless_settings.JWT_ROTATE_REFRESH_TOKEN:
            return super().refresh_token(refresh_token)  # a refresh token that is not rotated is used again
        payload = jwt_tokens.decode_token(refresh_token, "refresh")  # checks the signature and the expiry
        if payload is None:
            return None
        session_key = jwt_tokens.session_key_from_sid(payload["sid"])
        if not session_key:
            return None
        seconds_left = math.ceil(payload["exp"] - time.time())
        if not cache.add(f"refresh-token-spent:{payload['jti']}", True, timeout=max(seconds_left, 1)):
            end_session(session_key)
            logger.warning(
                "A spent refresh token was sent again; its session has been ended (user %s).", payload["sub"]
            )
            raise RefreshTokenReused
        try:
            tokens = super().refresh_token(refresh_token)
        except UpdateError:
            return None  # the session ended while it was being refreshed
        if tokens and cache.get(ended_key(session_key)):
            # A reuse ended the session between allauth's read and its save, and the save brought it back.
            end_session(session_key)
            return None
        return tokens


def ended_key(session_key: str) -> str:
    return f"refresh-session-ended:{session_key}"


def end_session(session_key: str) -> None:
    """Ends the session, with its tokens, as ending it from the user's session list does."""
    # Marked first, so that a refresh of this session that is saving it right now sees the mark afterwards.
    cache.set(ended_key(session_key), True, timeout=settings.HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN)
    usersessions_adapter().end_sessions(UserSession.objects.filter(session_key=session_key))
    import_string(f"{settings.SESSION_ENGINE}.SessionStore")().delete(session_key)  # also one with no record


class RefreshTokenView(AllauthRefreshTokenView):
    def post(self, request: HttpRequest) -> HttpResponseBase:
        try:
            response = super().post(request)
        except RefreshTokenReused:
            return error_response(
                400,
                "This refresh token was used before, so its session has been ended to protect the account. "
                "Log in again.",
                "token_reused",
                param="refresh_token",
            )
        # allauth checked the body's fields before post(): a 400 here is a token it does not accept.
        if response.status_code == HTTPStatus.BAD_REQUEST:
            return error_response(
                400,
                "The refresh token is not valid (expired, already used or revoked). Log in again.",
                "invalid_token",
                param="refresh_token",
            )
        return response
