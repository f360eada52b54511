"""Celery tasks: thin wrappers that load ids and call services or senders."""
import httpx
from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model

from . import notifications, services
from .models import Booking


@shared_task(name="scheduler.tasks.expire_bookings")
def expire_bookings():
    """Mark undecided bookings that have ended as expired (beat, every few minutes)."""
    return services.expire_bookings()


@shared_task(name="scheduler.tasks.send_reminders")
def send_reminders():
    """Queue reminders for confirmed bookings that start soon (beat, every few minutes)."""
    return services.queue_reminders()


@shared_task(name="scheduler.tasks.notify_booking")
def notify_booking(booking_id: int, kind: str):
    """Fan a booking event out to one email task per recipient and one Discord post, each retried alone."""
    booking = Booking.objects.select_related("device", "user").filter(pk=booking_id).first()
    if booking is None or kind not in notifications.KINDS:
        return 0
    sent = 0
    for user in notifications.email_targets(booking, kind):
        send_booking_email.delay(booking_id, kind, user.pk)
        sent += 1
    if settings.DISCORD_WEBHOOK_URL:
        content = notifications.discord_content(booking, kind)
        if content:
            post_discord.delay(content)
            sent += 1
    return sent


@shared_task(name="scheduler.tasks.send_booking_email", autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def send_booking_email(booking_id: int, kind: str, user_id: int):
    """Email one user about one booking event; a mail server error is retried with backoff."""
    booking = Booking.objects.select_related("device", "user").filter(pk=booking_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if booking is None or user is None:
        return False
    notifications.send_email(booking, kind, user)
    return True


@shared_task(name="scheduler.tasks.post_discord", autoretry_for=(httpx.HTTPError,), retry_backoff=True,
             retry_backoff_max=300, max_retries=5)
def post_discord(content: str):
    """Post one message to the Discord webhook; a failed post is retried with backoff."""
    notifications.post_discord(content)
    return True


@shared_task(name="scheduler.tasks.apply_power_schedule")
def apply_power_schedule(device_ids=None):
    """Switch scheduled outlets to follow running confirmed bookings (beat every minute, and after changes)."""
    return services.apply_power_schedule(device_ids=device_ids)


@shared_task(name="scheduler.tasks.reconcile_power")
def reconcile_power():
    """Read every PDU and raise a mismatch event where its state differs from the record (beat)."""
    return services.reconcile_power()
