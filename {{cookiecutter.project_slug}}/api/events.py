"""The caller's security events, GET /api/v1/me/events: newest first, a page at a time."""

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from security_events.models import SecurityEvent

from .errors import NOT_AUTHENTICATED, Errors

router = Router(tags=["me"])
PAGE_SIZE = 20


class Event(Schema):
    kind: str
    label: str  # the kind in words, for a list the user reads
    at: datetime
    ip_address: str | None
    user_agent: str
    client: str
    detail: dict

    @staticmethod
    def resolve_label(event: SecurityEvent) -> str:
        return event.get_kind_display()


@router.get(
    "/me/events",
    response={200: list[Event], 400: Errors, **NOT_AUTHENTICATED},
    summary="The logged-in user's security events, newest first",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_events(request: HttpRequest) -> QuerySet[SecurityEvent]:
    return SecurityEvent.objects.filter(user=request.user).order_by("-at", "-pk")
