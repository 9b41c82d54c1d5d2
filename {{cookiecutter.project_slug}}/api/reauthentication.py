"""Recent reauthentication for the project API's sensitive endpoints, checked in the caller's own session.

allauth notes each reauthentication in the session it happened in: the
browser's cookie session, or for the app client the session behind its session
token or JWT access token. ``caller_session`` finds that session as allauth's
headless API does. An endpoint that needs a recent reauthentication answers
without one with a 401 in the error envelope that also carries allauth's
``data.flows``, the flows that would satisfy it, so that a frontend handles it as
it handles allauth's own 401 for reauthentication, then repeats the call.
"""

import time

from allauth.account import app_settings as account_settings
from allauth.account.authentication import get_authentication_records
from allauth.headless import app_settings as headless_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, JsonResponse

from accounts.allauth_compat import get_reauthentication_flows

SECOND_FACTOR_FLOW = "mfa_reauthenticate"


def caller_session(request: HttpRequest) -> SessionBase | None:
    """The caller's session: the session token's or a JWT's for the app client, the cookie's otherwise."""
    strategy = headless_settings.TOKEN_STRATEGY
    token = strategy.get_session_token(request)
    session = strategy.lookup_session(token) if token else request.session
    if session is None or session.get(SESSION_KEY) != str(request.user.pk):
        return None
    return session


def missing_reauthentication(request: HttpRequest, *, second_factor: bool = False) -> list[dict]:
    """The flows the caller must go through first; none if they reauthenticated recently enough.

    ``second_factor``: a user who has one must have reauthenticated with it, not with the password.
    A user with neither a password nor a second factor (signed up through a provider) has no way to
    reauthenticate here and passes, as in allauth.
    """
    flows = get_reauthentication_flows(request.user)
    second_factor_flows = [flow for flow in flows if flow["id"] == SECOND_FACTOR_FLOW]
    if second_factor and second_factor_flows:
        flows = second_factor_flows
    if not flows:
        return []
    session = caller_session(request)
    records = _authentication_records(request, session) if session is not None else []
    now = time.time()
    recent = [
        record
        for record in records
        if record.get("reauthenticated")
        and now - record["at"] < account_settings.REAUTHENTICATION_TIMEOUT
        # allauth notes a second factor's use as the method "mfa".
        and (flows != second_factor_flows or record.get("method") == "mfa")
    ]
    return [] if recent else flows


def reauthentication_required(flows: list[dict]) -> JsonResponse:
    """The 401 that asks for one of ``flows`` first: the error envelope, with allauth's flows and meta."""
    return JsonResponse(
        {
            "status": 401,
            "errors": [
                {
                    "message": "Confirm it is you first: reauthenticate with one of the flows in data.flows, "
                    "then send this request again.",
                    "code": "reauthentication_required",
                }
            ],
            "data": {"flows": flows},
            "meta": {"is_authenticated": True},
        },
        status=401,
    )


def _authentication_records(request: HttpRequest, session: SessionBase) -> list[dict]:
    # allauth reads the records from request.session; for the app client that is the token's session.
    cookie_session = request.session
    request.session = session
    try:
        return get_authentication_records(request, request.user)
    finally:
        request.session = cookie_session
