"""Queues the clean-up of old security events for the worker; run it daily (README: "Security events")."""

from django.core.management.base import BaseCommand

from security_events.tasks import delete_expired_events


class Command(BaseCommand):
    help = "Queues the deletion of security events older than SECURITY_EVENTS_RETENTION_DAYS for the task worker."

    def handle(self, *args, **options) -> None:
        result = delete_expired_events.enqueue()
        self.stdout.write(f"Queued the clean-up of old security events (task {result.id}).")
