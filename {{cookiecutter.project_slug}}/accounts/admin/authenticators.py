"""Second factors in the admin: which a user has and when each was last used, never its data.

An authenticator's data holds the authenticator app's secret, or the seed all recovery codes are made from;
with either, anyone can make the user's codes. Deleting one here is how staff help a user who lost it.
"""

from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.http import HttpRequest

SHOWN = ("user", "type", "created_at", "last_used_at")

admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = SHOWN
    fields = SHOWN
    readonly_fields = SHOWN
    list_filter = ("type", "created_at", "last_used_at")

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        return [f"user__{field}" for field in get_adapter().get_user_search_fields()]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Authenticator | None = None) -> bool:
        return False
