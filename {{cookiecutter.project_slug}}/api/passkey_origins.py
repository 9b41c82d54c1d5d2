"""Refuses passkey responses made on a page whose origin MFA_WEBAUTHN_ALLOWED_ORIGINS does not list.

allauth's WebAuthn server accepts any https origin under the relying party
ID: with MFA_WEBAUTHN_RP_ID=example.com, a page on any subdomain of
example.com could use the site's passkeys. The browser writes the page's
origin into every passkey response, so the frontends allowed are named here.
"""

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

from accounts.passkeys import client_data_origin

from .errors import error_response
from .middleware import API_PREFIX, UNSAFE_METHODS


class PasskeyOriginMiddleware(MiddlewareMixin):
    # A view hook, after CsrfViewMiddleware and JSONBodyMiddleware have answered.
    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        allowed = settings.MFA_WEBAUTHN_ALLOWED_ORIGINS
        # Without any (HEADLESS_ONLY off, no frontend), allauth's check against the RP ID is all there is.
        if not allowed or request.method not in UNSAFE_METHODS or not request.path.startswith(API_PREFIX):
            return None
        try:
            data = json.loads(request.body or b"null")
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            return None  # JSONBodyMiddleware answers these.
        origin = client_data_origin(data.get("credential")) if isinstance(data, dict) else None
        if origin is None or origin in allowed:
            return None
        return error_response(
            400,
            f"This passkey response comes from {origin}, which may not use this site's passkeys.",
            "incorrect_code",
            param="credential",
        )
