"""An account its user asked to delete: closed now, deleted for good once ``delete_after`` has passed."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PendingDeletion(models.Model):
    # Deleted with the user; cancelling the deletion deletes it too.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_deletion")
    requested_at = models.DateTimeField(default=timezone.now)
    delete_after = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["delete_after"]

    def __str__(self) -> str:
        return f"{self.user} (deleted after {self.delete_after:%Y-%m-%d %H:%M})"
