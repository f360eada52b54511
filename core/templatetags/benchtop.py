"""Template filters every page shares: one way to write a time, in the reader's own zone.

Pages show instants as "Tue 1 Dec 2026 10:00" (24-hour clock, the signed-in user's time zone set
by ``core.timezones.UserTimeZoneMiddleware``); a range on one day as "Tue 1 Dec 2026 10:00–12:00".
"""
from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as django_format

register = template.Library()

DAY = "D j M Y"
CLOCK = "H:i"
WHEN = f"{DAY} {CLOCK}"


def _local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def when(value) -> str:
    """An instant (or a date) in the one format every page uses; "—" for nothing."""
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime):
        return django_format(_local(value), WHEN)
    if isinstance(value, date):
        return django_format(value, DAY)
    return str(value)


@register.filter
def day(value) -> str:
    """Only the day of an instant or a date."""
    if value in (None, ""):
        return "—"
    return django_format(_local(value), DAY)


@register.filter
def clock(value) -> str:
    """Only the time of day of an instant, 24-hour."""
    if value in (None, ""):
        return "—"
    return django_format(_local(value), CLOCK)


@register.simple_tag
def span(start, end) -> str:
    """A range: "Tue 1 Dec 2026 10:00–12:00" on one day, both ends in full across days."""
    start, end = _local(start), _local(end)
    if start.date() == end.date():
        return f"{when(start)}–{clock(end)}"
    return f"{when(start)} – {when(end)}"
