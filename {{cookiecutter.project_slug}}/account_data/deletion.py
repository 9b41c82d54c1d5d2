"""Deleting an account at its user's request: closed at once, deleted for good after a grace period, unless cancelled.

Closing turns the account inactive (allauth and Django's backends refuse an
inactive user at every login and on every session check) and ends every session
of the user, which also revokes the app's session tokens and JWT access and refresh
tokens, all of which live in a session. A mail to the primary address says when
the account goes and carries a link that cancels (ACCOUNT_DELETION_CANCEL_URL,
with a signed key). Cancelling reopens the account as it was; its sessions stay
ended, so the user logs in again. The worker deletes due accounts
(``delete_due_accounts``), sending ``account_deleting`` first in the same transaction.
"""

import logging
from datetime import datetime, timedelta

from allauth.account.adapter import get_adapter
{%- if cookiecutter.identity_provider %}
from allauth.idp.oidc.models import Token as IdentityProviderToken
{%- endif %}
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.adapters import frontend_url
from accounts.models import User
from security_events.models import SecurityEvent
from security_events.recording import record

from .models import PendingDeletion
from .signals import account_deleting

logger = logging.getLogger(__name__)

CANCEL_KEY_SALT = "account_data.deletion.cancel"
MAIL_TEMPLATE = "account_data/email/deletion_requested"


def close_account(request: HttpRequest, user: User) -> PendingDeletion:
    """Closes ``user``'s account now and schedules its deletion; mails the cancel link."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        now = timezone.now()
        pending, _ = PendingDeletion.objects.update_or_create(
            user=user,
            defaults={"requested_at": now, "delete_after": now + timedelta(days=settings.ACCOUNT_DELETION_GRACE_DAYS)},
        )
        for session in UserSession.objects.filter(user=user):
            session.end()
{%- if cookiecutter.identity_provider %}
        # The other sites' tokens for this user: their access and refresh tokens stop working now.
        IdentityProviderToken.objects.filter(user=user).delete()
{%- endif %}
        record(
            request, user, SecurityEvent.Kind.ACCOUNT_DELETION_REQUESTED, delete_after=pending.delete_after.isoformat()
        )
        send_deletion_mail(pending)
    return pending


def send_deletion_mail(pending: PendingDeletion) -> None:
    context = {
        "user": pending.user,
        "delete_after": pending.delete_after,
        "cancel_url": frontend_url("ACCOUNT_DELETION_CANCEL_URL", key=cancel_key(pending)),
    }
    get_adapter().send_mail(MAIL_TEMPLATE, pending.user.email, context)


def cancel_key(pending: PendingDeletion) -> str:
    """The key of the cancel link: this deletion's id, signed, so that no other deletion can be cancelled with it."""
    return signing.Signer(salt=CANCEL_KEY_SALT).sign(str(pending.pk))


def cancel_deletion(request: HttpRequest, key: str) -> User | None:
    """Reopens the account whose deletion ``key`` cancels; None if the key is not valid or the deletion is over."""
    try:
        pending_id = signing.Signer(salt=CANCEL_KEY_SALT).unsign(key)
    except signing.BadSignature:
        return None
    with transaction.atomic():
        pending = (
            PendingDeletion.objects.select_for_update()
            .select_related("user")
            .filter(pk=pending_id, delete_after__gt=timezone.now())
            .first()
        )
        if pending is None:
            return None
        reopen(request, pending)
    return pending.user


def reopen(request: HttpRequest | None, pending: PendingDeletion) -> None:
    """Cancels ``pending``: the account is active again, with everything it had."""
    user = pending.user
    user.is_active = True
    user.save(update_fields=["is_active"])
    pending.delete()
    record(request, user, SecurityEvent.Kind.ACCOUNT_DELETION_CANCELLED)


def delete_due_accounts(now: datetime | None = None) -> int:
    """Deletes every account whose grace period has ended by ``now``; returns how many.

    An account whose deletion fails (a receiver of ``account_deleting`` raised) is kept whole and
    logged, and the next run tries it again; the other accounts are deleted all the same.
    """
    due = PendingDeletion.objects.filter(delete_after__lte=now or timezone.now()).values_list("pk", flat=True)
    deleted = 0
    for pending_id in list(due):
        try:
            with transaction.atomic():
                # Locked, and read again: a cancel may have come first.
                pending = PendingDeletion.objects.select_for_update().select_related("user").filter(pk=pending_id)
                if (pending := pending.first()) is None:
                    continue
                if pending.user.is_active:
                    # Made active again by other means than a cancel (staff ticking "active" in the admin).
                    logger.warning("Account %s is active again; its deletion is dropped.", pending.user.pk)
                    pending.delete()
                    continue
                delete_account(pending.user)
                deleted += 1
        except Exception:
            logger.exception("Could not delete the account of deletion %s; the next run tries again.", pending_id)
    return deleted


def delete_account(user: User) -> None:
    """Deletes ``user`` and, by cascade, all their rows; their security events stay, anonymised, until they expire."""
    account_deleting.send(sender=User, user=user)
    SecurityEvent.objects.filter(user=user).update(user=None, ip_address=None, user_agent="", detail={})
    user_id = user.pk
    user.delete()
    logger.info("Deleted the account %s, whose grace period had ended.", user_id)
