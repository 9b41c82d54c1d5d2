"""Accounts waiting for deletion in the admin: to read, and to cancel for a user who asks staff to."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from .deletion import reopen
from .models import PendingDeletion


@admin.register(PendingDeletion)
class PendingDeletionAdmin(admin.ModelAdmin):
    list_display = ("user", "requested_at", "delete_after")
    list_filter = ("delete_after", "requested_at")
    search_fields = ("user__email",)
    date_hierarchy = "delete_after"
    list_select_related = ("user",)
    readonly_fields = ("user", "requested_at", "delete_after")
    actions = ["cancel_deletion"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PendingDeletion | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PendingDeletion | None = None) -> bool:
        # Deleting the row would leave the account closed for good; the action below reopens it.
        return False

    def has_cancel_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("account_data.change_pendingdeletion")

    @admin.action(description="Cancel the deletion and reopen the account", permissions=["cancel"])
    def cancel_deletion(self, request: HttpRequest, queryset: QuerySet[PendingDeletion]) -> None:
        with transaction.atomic():
            pendings = list(queryset.select_for_update().select_related("user"))
            for pending in pendings:
                # The user's security event records the cancel, not the staff member's address.
                reopen(None, pending)
        self.message_user(request, f"Reopened {len(pendings)} accounts; their users log in again.", messages.SUCCESS)
