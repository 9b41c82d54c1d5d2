"""The caller's data, GET /api/v1/me/export: everything the site keeps about them (account_data/export.py)."""

from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from ninja import Router

from account_data.export import export

from .errors import REAUTHENTICATION_REQUIRED
from .reauthentication import caller_session, missing_reauthentication, reauthentication_required

router = Router(tags=["me"])

EXPORT_RESPONSE = {
    "description": "Everything the site keeps about the user, as one JSON document to keep.",
    "content": {"application/json": {"schema": {"type": "object"}}},
}


@router.get(
    "/me/export",
    response=REAUTHENTICATION_REQUIRED,
    summary="Export everything the site keeps about the logged-in user",
    description="Needs a recent reauthentication. Secrets (password, second factors' secrets, tokens) are left out.",
    openapi_extra={"responses": {200: EXPORT_RESPONSE}},
)
def export_me(request: HttpRequest) -> JsonResponse:
    if flows := missing_reauthentication(request):
        return reauthentication_required(flows)
    session = caller_session(request)
    response = JsonResponse(export(request.user, session.session_key if session is not None else None))
    response["Content-Disposition"] = 'attachment; filename="account-export.json"'
    # Personal data: no cache may keep it.
    add_never_cache_headers(response)
    return response
