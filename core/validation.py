"""Sane limits every service applies to what it stores, whatever door the value came through.

A value the database can hold is not always one a lab means: a series starting in year 1, a
booking in year 9999, a negative cost, a megabyte of notes. ``check_limits`` runs on a model
instance (``core.errors.check_fields`` calls it before a service saves), ``check_planned``
on the times of anything booked or planned, ``whole_id`` on ids that arrive as numbers.
Each refusal is a ``RuleViolation`` naming the field.
"""
import json
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from .errors import RuleViolation

TEXT_MAX_CHARS = 10_000  # a long description or note; a pasted manual belongs in an attachment
JSON_MAX_CHARS = 20_000  # custom fields, port lists, preferences, serialized
EARLIEST_YEAR = 1900  # purchase dates and the like; nothing in a lab is older
LATEST_YEARS_AHEAD = 100  # warranties and due dates; further ahead is a typo


def _violation(field: str, message: str) -> RuleViolation:
    return RuleViolation(f"{field}: {message}", fields={field: [message]})


def check_limits(instance: models.Model, *, exclude=()) -> None:
    """Refuse over-long texts and JSON, negative numbers and dates outside a sane range.

    A model lists numbers that may be negative in ``signed_fields`` (none do today).
    """
    signed = set(getattr(instance, "signed_fields", ()))
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.primary_key:
            continue
        value = getattr(instance, field.attname, None)
        if value is None:
            continue
        if isinstance(field, models.TextField) and isinstance(value, str) and len(value) > TEXT_MAX_CHARS:
            raise _violation(field.name, f"At most {TEXT_MAX_CHARS} characters (this has {len(value)}).")
        elif isinstance(field, models.JSONField):
            size = len(json.dumps(value, default=str))
            if size > JSON_MAX_CHARS:
                raise _violation(field.name, f"At most {JSON_MAX_CHARS} characters of JSON (this has {size}).")
        elif isinstance(field, (models.DecimalField, models.FloatField, models.IntegerField)):
            if field.name not in signed and isinstance(value, (int, float, Decimal)) and value < 0:
                raise _violation(field.name, "Must not be negative.")
        elif isinstance(field, models.DateField) and isinstance(value, date):
            latest = timezone.localdate().year + LATEST_YEARS_AHEAD
            if not EARLIEST_YEAR <= value.year <= latest:
                raise _violation(field.name, f"Give a date between {EARLIEST_YEAR} and {latest}.")


def check_planned(moment: datetime, field: str) -> None:
    """Refuse a booking or planning time further than ``PLANNING_HORIZON_DAYS`` from now, either way."""
    horizon = timedelta(days=settings.PLANNING_HORIZON_DAYS)
    now = timezone.now()
    if not now - horizon <= moment <= now + horizon:
        raise _violation(field, f"Must be within {settings.PLANNING_HORIZON_DAYS} days of today.")


def whole_id(value, field: str) -> int:
    """``value`` as a database id; 1.5, "1.5", True or "abc" are refused instead of silently becoming 1."""
    from .parsing import as_id

    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise _violation(field, "Give a whole-number id.")
    number = as_id(int(value) if isinstance(value, float) else value)
    if number is None:
        raise _violation(field, "Give a whole-number id.")
    return number
