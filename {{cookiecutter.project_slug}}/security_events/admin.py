"""Security events in the admin: to read and search, never to write (they are a record)."""

from django.contrib import admin

from .models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "kind", "client", "ip_address")
    list_filter = ("kind", "client", "at")
    search_fields = ("user__email", "ip_address")
    date_hierarchy = "at"
    list_select_related = ("user",)
    readonly_fields = ("user", "kind", "at", "ip_address", "user_agent", "client", "detail")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
