"""Users' sessions in the admin: where and when each user is signed in, never the session key.

The key is the session cookie's value (and the app client's session token): whoever reads it can act as
the user. Deleting a session here ends it, as ending it from the user's own list of sessions does.
"""

from allauth.account.adapter import get_adapter
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

SHOWN = ("user", "created_at", "last_seen_at", "ip", "user_agent")

admin.site.unregister(UserSession)


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = SHOWN
    fields = SHOWN
    readonly_fields = SHOWN
    list_filter = ("last_seen_at",)
    ordering = ("-last_seen_at",)

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        return [f"user__{field}" for field in get_adapter().get_user_search_fields()] + ["ip"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: UserSession | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: UserSession) -> None:
        obj.end()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[UserSession]) -> None:
        for session in queryset:
            session.end()
