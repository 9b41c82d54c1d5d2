"""Cancelling an account's deletion, POST /api/v1/me/deletion/cancel, with the key from the link in its mail.

No login: the account is closed. The key, signed by the site, is the credential.
"""

from typing import Annotated

from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema
from pydantic import ConfigDict, StringConstraints

from account_data.deletion import cancel_deletion
from core.errors import error_response

from .errors import Errors

router = Router(tags=["me"])


class CancelDeletion(Schema):
    model_config = ConfigDict(extra="forbid")

    key: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class DeletionCancelled(Schema):
    status: str = "reopened"


@router.post(
    "/me/deletion/cancel",
    auth=None,
    response={200: DeletionCancelled, 400: Errors},
    summary="Cancel an account's deletion and reopen it; its user logs in again",
)
def cancel(request: HttpRequest, body: CancelDeletion) -> DeletionCancelled | JsonResponse:
    if cancel_deletion(request, body.key) is None:
        return error_response(
            400,
            "This link is not valid, or the deletion it cancels was already cancelled or carried out. "
            "Try to log in; if the account is still closed, ask support.",
            "invalid_key",
            param="key",
        )
    return DeletionCancelled()
