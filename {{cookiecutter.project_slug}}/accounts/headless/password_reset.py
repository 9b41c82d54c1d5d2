"""The password reset, GET and POST /_allauth/{client}/v1/auth/password/reset, alike for every address.

With ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED, asking for a code for an address
that has no account starts a flow as for one that has (so that nobody learns
which addresses have one), but allauth then mishandles the codes typed into
it: checking one (GET) fails with a 500 and counts no attempt. And for an
address with an account, a wrong code sent with a new password also gets the
password validators' verdict ("too similar to the email address"), which an
address without one never gets. This view answers both as allauth answers a
wrong code for an account, the code's error alone, each attempt counted until
the flow ends. (accounts/allauth_compat.py notices when allauth's view changes.)
"""

from typing import Any

from allauth.headless.account.inputs import ResetPasswordKeyInput
from allauth.headless.account.views import ResetPasswordView as AllauthResetPasswordView
from django.http import HttpRequest, HttpResponse

from accounts.allauth_compat import ErrorResponse


class ResetPasswordView(AllauthResetPasswordView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.process and not self.process.user:
            # No code was made for an address without an account: every code is wrong.
            key = request.headers.get("X-Password-Reset-Key", "")
            wrong = ResetPasswordKeyInput({"key": key}, code=self.process.code)
            wrong.is_valid()
            self.process.record_invalid_attempt()
            return ErrorResponse(request, input=wrong)
        return super().get(request, *args, **kwargs)

    def handle_invalid_input(self, input: Any) -> ErrorResponse:
        if self.process and "key" in input.errors:
            # With a wrong code, the password's errors would tell only that the account exists.
            input.errors.pop("password", None)
        return super().handle_invalid_input(input)
