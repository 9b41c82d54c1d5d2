"""The app client's token refresh, POST /_allauth/app/v1/tokens/refresh, refusing an unknown token with a reason.

allauth answers a refresh token it does not accept (expired, used, revoked,
or no refresh token at all) with a bare ``{"status": 400}``; this view names
the error, so that the app knows to log in again.
"""

from http import HTTPStatus

from allauth.headless.tokens.views import RefreshTokenView as AllauthRefreshTokenView
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from core.errors import error_response


class RefreshTokenView(AllauthRefreshTokenView):
    def post(self, request: HttpRequest) -> HttpResponseBase:
        response = super().post(request)
        # allauth checked the body's fields before post(): a 400 here is a token it does not accept.
        if response.status_code == HTTPStatus.BAD_REQUEST:
            return error_response(
                400,
                "The refresh token is not valid (expired, already used or revoked). Log in again.",
                "invalid_token",
                param="refresh_token",
            )
        return response
