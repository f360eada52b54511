"""Celery tasks: thin wrappers that call the services."""
from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from core.context import use_context

from . import services


@shared_task(name="inventory.tasks.maintenance_due")
def maintenance_due(days_ahead: int | None = None) -> dict:
    """Remind operators of upcoming and overdue maintenance (each reminder once); runs from beat."""
    with use_context(via="task"):
        return services.send_maintenance_reminders(days_ahead=days_ahead)


@shared_task(name="inventory.tasks.email_operators", autoretry_for=(OSError,), retry_backoff=True,
             retry_backoff_max=600, max_retries=8)
def email_operators(subject: str, body: str, recipients: list[str]) -> int:
    """Email operators about stock or maintenance; a mail server that is down is retried with backoff."""
    return send_mail(f"[Benchtop] {subject}", body, settings.DEFAULT_FROM_EMAIL, recipients)
