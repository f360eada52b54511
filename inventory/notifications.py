"""Telling operators about things that need a hand: low stock, maintenance due."""
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from accounts import roles


def operator_emails() -> list[str]:
    """Addresses of active operators and admins who take email notifications."""
    users = get_user_model().objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(groups__name__in=[roles.OPERATOR, roles.ADMIN])
    ).exclude(email="").distinct()
    return [u.email for u in users if u.wants("email")]


def notify_operators(subject: str, body: str) -> None:
    """Email operators once the current transaction commits (a rolled-back change tells nobody).

    The mail goes out from a Celery task that retries while the mail server is down, so an
    alert that is raised once (low stock) is not lost; queueing it never breaks the change.
    """
    # Imported here: the tasks module imports the services, which import this module.
    from .tasks import email_operators

    def send():
        recipients = operator_emails()
        if recipients:
            email_operators.delay(subject, body, recipients)

    transaction.on_commit(send, robust=True)
