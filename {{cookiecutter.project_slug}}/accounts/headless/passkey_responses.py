"""Checks passkey responses before allauth reads them: well-formed, and made on an allowed origin.

allauth hands the ``credential`` of a body to fido2, whose parser raises
KeyError, AttributeError and more on a malformed one; allauth catches only
some, and the rest would be a 500. Here a response fido2 cannot parse is a
400 naming ``credential``.

fido2 accepts any https origin under the relying party ID: with
MFA_WEBAUTHN_RP_ID=example.com, a page on any subdomain of example.com could
use the site's passkeys. The browser writes the page's origin into every
response, so only the origins in MFA_WEBAUTHN_ALLOWED_ORIGINS get through.
"""

import json

from allauth.mfa.webauthn.forms import AddWebAuthnForm, AuthenticateWebAuthnForm, SignupWebAuthnForm
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin
from fido2.webauthn import AuthenticationResponse, RegistrationResponse

from core.errors import HEADLESS_API_PREFIX, error_response

from .request_bodies import UNSAFE_METHODS, input_class_of


class PasskeyResponseMiddleware(MiddlewareMixin):
    # A view hook, after CsrfViewMiddleware and JSONBodyMiddleware have answered.
    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if request.method not in UNSAFE_METHODS or not request.path.startswith(HEADLESS_API_PREFIX):
            return None
        input_class = input_class_of(view, request.method)
        if input_class is None or not issubclass(
            input_class, AuthenticateWebAuthnForm | AddWebAuthnForm | SignupWebAuthnForm
        ):
            return None
        try:
            credential = json.loads(request.body).get("credential")
        except (ValueError, AttributeError, RecursionError):
            return None  # JSONBodyMiddleware answers for bodies that are not a JSON object.
        if credential is None:
            return None  # allauth names the missing field.
        response = _parse(credential, registration=not issubclass(input_class, AuthenticateWebAuthnForm))
        if response is None:
            return error_response(
                400, "This is not a passkey response as a browser makes one.", "invalid", param="credential"
            )
        origin = response.response.client_data.origin
        allowed = settings.MFA_WEBAUTHN_ALLOWED_ORIGINS
        # Without any (HEADLESS_ONLY off, no frontend URLs), fido2's check against the RP ID is all there is.
        if allowed and origin not in allowed:
            return error_response(
                400,
                f"This passkey response was made on {origin}, which may not use this site's passkeys.",
                "incorrect_code",
                param="credential",
            )
        return None


def _parse(credential: object, *, registration: bool) -> RegistrationResponse | AuthenticationResponse | None:
    # fido2's parsers, as allauth calls them (accounts/allauth_compat.py notices when allauth's calls change).
    try:
        if not registration:
            return AuthenticationResponse.from_dict(credential)
        response = RegistrationResponse.from_dict(credential)
    except Exception:  # fido2's parser raises whatever the malformed input trips.
        return None
    # fido2 asserts that a registration carries the new key.
    return response if response.response.attestation_object.auth_data.credential_data else None
