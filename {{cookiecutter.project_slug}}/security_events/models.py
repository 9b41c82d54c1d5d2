"""One row per security-relevant event of a user, kept for SECURITY_EVENTS_RETENTION_DAYS.

When an account is deleted its events stay until they expire, anonymised: no
user, address, user agent or detail (account_data/deletion.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

USER_AGENT_LENGTH = 200


class SecurityEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", "Logged in"
        LOGIN_FAILED = "login_failed", "Wrong password"
        LOGOUT = "logout", "Logged out"
        REAUTHENTICATED = "reauthenticated", "Confirmed identity"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_SET = "password_set", "Password set"
        PASSWORD_RESET = "password_reset", "Password reset"
        EMAIL_ADDED = "email_added", "Email address added"
        EMAIL_CONFIRMED = "email_confirmed", "Email address verified"
        EMAIL_MADE_PRIMARY = "email_made_primary", "Email address made primary"
        EMAIL_REMOVED = "email_removed", "Email address removed"
        SECOND_FACTOR_ADDED = "second_factor_added", "Second factor added"
        SECOND_FACTOR_REMOVED = "second_factor_removed", "Second factor removed"
        SECOND_FACTOR_FAILED = "second_factor_failed", "Wrong second-factor code"
        RECOVERY_CODES_GENERATED = "recovery_codes_generated", "Recovery codes generated"
        RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
        PROVIDER_CONNECTED = "provider_connected", "Provider connected"
        PROVIDER_DISCONNECTED = "provider_disconnected", "Provider disconnected"
        SESSION_ENDED = "session_ended", "Session ended from another session"
        ACCOUNT_DELETION_REQUESTED = "account_deletion_requested", "Account deletion requested"
        ACCOUNT_DELETION_CANCELLED = "account_deletion_cancelled", "Account deletion cancelled"

    class Client(models.TextChoices):
        BROWSER = "browser", "Browser"
        APP = "app", "App"
        OTHER = "", "Other"  # the admin, allauth's own pages, a management command

    # Empty once the account is deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="security_events"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=USER_AGENT_LENGTH, blank=True)
    client = models.CharField(max_length=8, choices=Client.choices, blank=True)
    # What the kind needs said: the login method, the address, the provider, the second factor's type. Never a secret.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="security_event_user_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.user_id}, {self.at:%Y-%m-%d %H:%M})"
