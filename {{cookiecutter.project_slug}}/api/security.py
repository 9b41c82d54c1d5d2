"""Who is calling the project API: the three ways the headless API authenticates, as django-ninja security classes.

Tried in allauth's own order (the session token, then the JWT access token,
then the browser's session cookie), so the project API and the headless API
agree on who the caller is. Each sets ``request.user``.
"""

from typing import Any

from allauth.headless import app_settings as headless_settings
from allauth.headless.contrib.ninja.security import JWTTokenAuth, XSessionTokenAuth
from allauth.headless.tokens.strategies.jwt import JWTTokenStrategy
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import SessionAuth


class CSRFFailed(HttpError):
    def __init__(self) -> None:
        super().__init__(403, "CSRF check failed. Send the csrftoken cookie's value in the X-CSRFToken header.")


class AppSessionToken(XSessionTokenAuth):
    """The app client's ``X-Session-Token`` header."""

    openapi_in = "header"
    openapi_name = "X-Session-Token"

    def __call__(self, request: HttpRequest) -> Any:
        user = super().__call__(request)
        if user:
            request.user = user
        return user


class AppAccessToken(JWTTokenAuth):
    """The app client's JWT access token, ``Authorization: Bearer <token>``, when the site issues them."""

    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_bearerFormat = "JWT"

    def __call__(self, request: HttpRequest) -> Any:
        # With session tokens there is no signing key to check a token against.
        if not isinstance(headless_settings.TOKEN_STRATEGY, JWTTokenStrategy):
            return None
        return super().__call__(request)


class BrowserSession(SessionAuth):
    """The browser client's session cookie; unsafe methods need the CSRF token, as on the headless API."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a logged-in session there is nothing to forge: the caller gets a 401, not a CSRF error.
        if not request.user.is_authenticated:
            return None
        try:
            return super()._get_key(request)
        except HttpError as error:  # django-ninja's only refusal here: the CSRF check
            raise CSRFFailed from error


# allauth's order (accounts/allauth_compat.py notices when allauth changes it).
AUTHENTICATION = [AppSessionToken(), AppAccessToken(), BrowserSession()]
