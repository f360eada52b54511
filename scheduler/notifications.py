"""Telling people about their bookings by email and on Discord, as each of them chose.

``User.notification_preferences`` is ``{"email": bool, "discord": bool}``. Discord goes
through one webhook (``DISCORD_WEBHOOK_URL``) per event, mentioning the users who chose it
by their ``discord_id``; email goes to each user who chose it. Sending is done by the
tasks in ``scheduler.tasks``, which retry a failed delivery.
"""
import httpx
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from core.timezones import zone_of

from .models import Booking
from .services.common import fmt

SUBJECTS = {
    "requested": "Booking request: {device} {start}–{end} ({status})",
    "series_requested": "Recurring booking request: {device} from {start}, {occurrences} occurrence(s)",
    "approved": "Booking confirmed: {device} {start}–{end}",
    "rejected": "Booking rejected: {device} {start}–{end}",
    "cancelled": "Booking cancelled: {device} {start}–{end}",
    "reminder": "Starting soon: {device} {start}–{end}",
}
KINDS = set(SUBJECTS)
REQUESTS = {"requested", "series_requested"}  # told to the requester alone, and always posted for operators


def recipients(booking: Booking, kind: str) -> list:
    """Who hears about ``kind``: the owner and collaborators (the owner alone for their own request)."""
    if kind in REQUESTS:
        return [booking.user]
    return [booking.user, *booking.collaborators.all()]


def subject(booking: Booking, kind: str) -> str:
    """One line that says what happened to which booking."""
    occurrences = booking.series.bookings.count() if kind == "series_requested" and booking.series_id else 1
    return SUBJECTS[kind].format(device=booking.device.name, start=fmt(booking.start), end=fmt(booking.end),
                                 status=booking.status, user=booking.user, occurrences=occurrences)


def body(booking: Booking, kind: str) -> str:
    """The email text."""
    lines = [subject(booking, kind), "", f"Device: {booking.device.name}", f"From: {fmt(booking.start)}",
             f"To: {fmt(booking.end)}", f"Status: {booking.status}", f"Booked by: {booking.user}"]
    if booking.reason:
        lines.append(f"Reason: {booking.reason}")
    lines += ["", f"{settings.SITE_URL.rstrip('/')}/scheduler/mine/"]
    return "\n".join(lines)


def email_targets(booking: Booking, kind: str) -> list:
    """Users who get an email about this booking event."""
    return [user for user in recipients(booking, kind) if user.email and user.wants("email")]


def discord_content(booking: Booking, kind: str) -> str | None:
    """The webhook message, or None when there is nobody to tell.

    A new request is always posted, because operators watch the lab's channel for requests to
    decide; other events only when someone concerned chose Discord, and they are mentioned.
    """
    mentions = [u.discord_mention for u in recipients(booking, kind) if u.discord_mention and u.wants("discord")]
    if not mentions and kind not in REQUESTS:
        return None
    return " ".join([*mentions, subject(booking, kind)])


def send_email(booking: Booking, kind: str, user) -> None:
    """Email one user, with times in their own time zone; raises on a mail server error so the task can retry."""
    zone = zone_of(user) or timezone.get_default_timezone()
    with timezone.override(zone):
        text = f"{body(booking, kind)}\n\nTimes are in {zone.key}."
        send_mail(subject(booking, kind), text, settings.DEFAULT_FROM_EMAIL, [user.email])


def post_discord(content: str) -> None:
    """Post to the Discord webhook; raises httpx.HTTPError on failure so the task can retry."""
    # Only user mentions ping: an "@everyone" in a comment or a device name stays plain text.
    response = httpx.post(settings.DISCORD_WEBHOOK_URL, timeout=10,
                          json={"content": content[:2000], "allowed_mentions": {"parse": ["users"]}})
    response.raise_for_status()

