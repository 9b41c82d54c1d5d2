"""Queues the deletion of accounts whose grace period has ended; run it daily (README: "Deleting an account")."""

from django.core.management.base import BaseCommand

from account_data.tasks import delete_due


class Command(BaseCommand):
    help = "Queues the deletion of closed accounts whose ACCOUNT_DELETION_GRACE_DAYS have passed, for the task worker."

    def handle(self, *args, **options) -> None:
        result = delete_due.enqueue()
        self.stdout.write(f"Queued the deletion of due accounts (task {result.id}).")
