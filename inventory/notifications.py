"""Telling operators about things that need a hand: low stock, maintenance due."""
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from accounts import roles

log = logging.getLogger(__name__)


def operator_emails() -> list[str]:
    """Addresses of active operators and admins who take email notifications."""
    users = get_user_model().objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(groups__name__in=[roles.OPERATOR, roles.ADMIN])
    ).exclude(email="").distinct()
    return [u.email for u in users if (u.notification_preferences or {}).get("email", True)]


def notify_operators(subject: str, body: str) -> None:
    """Email operators once the current transaction commits (a rolled-back change tells nobody)."""

    def send():
        recipients = operator_emails()
        if not recipients:
            return
        try:
            send_mail(f"[Benchtop] {subject}", body, settings.DEFAULT_FROM_EMAIL, recipients)
        except OSError:  # a down mail server must not undo or break the stock change
            log.exception("could not email operators about %s", subject)

    transaction.on_commit(send)
