"""Filter fields that reject what the database would choke on, with a message instead of a 500."""
from datetime import timedelta

import django_filters
from django import forms

MAX_OFFSET = timedelta(hours=14)  # the widest UTC offset in use anywhere


class SafeIsoDateTimeField(forms.DateTimeField):
    """ISO 8601 date-time whose UTC offset is a real one (PostgreSQL refuses e.g. +21:37)."""

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and result.utcoffset() is not None and abs(result.utcoffset()) > MAX_OFFSET:
            raise forms.ValidationError("Use a UTC offset between -14:00 and +14:00.", code="invalid")
        return result


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """Drop-in for django-filter's IsoDateTimeFilter with a checked UTC offset."""

    class field_class(SafeIsoDateTimeField, django_filters.fields.IsoDateTimeField):
        pass
