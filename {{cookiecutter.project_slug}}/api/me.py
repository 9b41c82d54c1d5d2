"""The caller's own account: GET and PATCH /api/v1/me, an example of a project endpoint, and DELETE to close it."""

import unicodedata
from datetime import datetime
from typing import Annotated
from uuid import UUID

from allauth.account.models import EmailAddress
{%- if cookiecutter.mfa != "none" %}
from allauth.mfa.models import Authenticator
{%- endif %}
from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema, Status
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

from account_data.deletion import close_account
from accounts.models import User

from .errors import INVALID_INPUT, NOT_AUTHENTICATED, REAUTHENTICATION_REQUIRED
from .reauthentication import missing_reauthentication, reauthentication_required

router = Router(tags=["me"])


def _composed(value: object) -> object:
    # One form for the same text, before its length is checked (composing can change the length).
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _printable(value: str) -> str:
    # Control characters (NUL, line breaks, ...) break the places a name is shown, and some databases refuse them.
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in value):
        raise PydanticCustomError("invalid", "A display name cannot contain control characters such as line breaks.")
    return value


DisplayName = Annotated[
    str,
    BeforeValidator(_composed),
    StringConstraints(strip_whitespace=True, max_length=User._meta.get_field("display_name").max_length),
    AfterValidator(_printable),
]


class Me(Schema):
    id: UUID
    email: str
    email_verified: bool
    display_name: str
{%- if cookiecutter.mfa != "none" %}
    mfa_factors: list[str]
{%- endif %}


class MeChanges(Schema):
    """The fields to change; a field left out keeps its value. An empty display name removes it."""

    model_config = ConfigDict(extra="forbid")

    display_name: DisplayName = None


@router.get("/me", response={200: Me, **NOT_AUTHENTICATED}, summary="The logged-in user")
def read_me(request: HttpRequest) -> Me:
    return describe(request.user)


@router.patch("/me", response={200: Me, **INVALID_INPUT}, summary="Change the logged-in user's display name")
def update_me(request: HttpRequest, changes: MeChanges) -> Me:
    user = request.user
    if "display_name" in changes.model_fields_set:
        user.display_name = changes.display_name
        user.save(update_fields=["display_name"])
    return describe(user)


class DeletionScheduled(Schema):
    requested_at: datetime
    delete_after: datetime


@router.delete(
    "/me",
    response={202: DeletionScheduled, **REAUTHENTICATION_REQUIRED},
    summary="Close the logged-in user's account now and delete it after the grace period",
    description=(
        "Needs a recent reauthentication, with the second factor where the user has one. The account "
        "is closed at once: every session and token ends and no login works. A mail to the primary "
        "address carries a link that cancels the deletion until delete_after (ACCOUNT_DELETION_CANCEL_URL)."
    ),
)
def delete_me(request: HttpRequest) -> Status | JsonResponse:
    if flows := missing_reauthentication(request, second_factor=True):
        return reauthentication_required(flows)
    pending = close_account(request, request.user)
    # The session is ended already; flushing keeps the session middleware from saving it again.
    request.session.flush()
    return Status(202, DeletionScheduled(requested_at=pending.requested_at, delete_after=pending.delete_after))


def describe(user: User) -> Me:
    return Me(
        id=user.pk,
        email=user.email,
        email_verified=EmailAddress.objects.filter(user=user, primary=True, verified=True).exists(),
        display_name=user.display_name,
{%- if cookiecutter.mfa != "none" %}
        # "totp", "recovery_codes" (and "webauthn" for passkeys): the factors the user has set up.
        mfa_factors=sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
{%- endif %}
    )
