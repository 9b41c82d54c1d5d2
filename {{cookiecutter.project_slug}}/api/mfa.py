"""The QR code of a pending authenticator-app set-up, GET /api/v1/mfa/totp/qr, drawn by the site itself.

The frontend first calls the headless API's GET .../account/authenticators/totp,
which hands out a new secret and keeps it in the caller's session until a code
from the authenticator app activates it. This endpoint draws that secret's
otpauth:// URL as an SVG image, so that no third-party QR service ever sees it.
"""

from allauth.mfa.adapter import get_adapter
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from ninja import Router

from accounts.allauth_compat import SECRET_SESSION_KEY
from core.errors import error_response

from .errors import NOT_AUTHENTICATED, Errors
from .reauthentication import caller_session

router = Router(tags=["mfa"])

SVG_RESPONSE = {
    "description": "The otpauth:// URL of the pending set-up as a QR code.",
    "content": {"image/svg+xml": {"schema": {"type": "string"}}},
}


@router.get(
    "/mfa/totp/qr",
    summary="QR code for setting up an authenticator app",
    response={404: Errors, **NOT_AUTHENTICATED},
    openapi_extra={"responses": {200: SVG_RESPONSE}},
)
def totp_qr_code(request: HttpRequest) -> HttpResponse:
    secret = pending_totp_secret(request)
    if not secret:
        return error_response(
            404,
            "No authenticator-app set-up is pending. Call GET .../account/authenticators/totp first: "
            "it hands out the secret that this QR code shows.",
            "totp_setup_not_pending",
        )
    adapter = get_adapter()
    svg = adapter.build_totp_svg(adapter.build_totp_url(request.user, secret))
    response = HttpResponse(svg, content_type="image/svg+xml")
    # The image holds the secret: no cache may keep it.
    add_never_cache_headers(response)
    return response


def pending_totp_secret(request: HttpRequest) -> str | None:
    """The secret allauth keeps in the caller's session: the token's for the app client, the cookie's otherwise."""
    session = caller_session(request)
    return session.get(SECRET_SESSION_KEY) if session is not None else None
