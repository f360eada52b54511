"""Scheduler settings, read from the environment with defaults that need nothing set.

A value in Django settings (``SCHEDULER_MAX_BOOKING_DAYS``, ...) wins over the
environment, so tests can change it with the ``settings`` fixture.
"""
import environ
from django.conf import settings

_env = environ.Env()

DEFAULTS = {
    # The longest any booking may be, whatever the device policy says; it also bounds the
    # index range the conflict check scans (see queries.overlapping).
    "SCHEDULER_MAX_BOOKING_DAYS": lambda: _env.int("SCHEDULER_MAX_BOOKING_DAYS", default=31),
    # How long before a confirmed booking starts its holders get a reminder.
    "SCHEDULER_REMINDER_MINUTES": lambda: _env.int("SCHEDULER_REMINDER_MINUTES", default=30),
    # How many occurrences one recurring request may produce.
    "SCHEDULER_MAX_SERIES_OCCURRENCES": lambda: _env.int("SCHEDULER_MAX_SERIES_OCCURRENCES", default=100),
}


def get(name: str):
    """The value of scheduler setting ``name``."""
    if hasattr(settings, name):
        return getattr(settings, name)
    return DEFAULTS[name]()
