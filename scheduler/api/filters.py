"""The scheduler's list filters: one FilterSet per list, so the list, its CSV export and the schema agree."""
import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from core.api.filters import FilterSet, IdFilter, IsoDateTimeFilter
from core.parsing import as_id

from .. import queries
from ..models import Booking, Device


class DeviceFilterForm(forms.Form):
    """``free_from`` and ``free_to`` come together, the second after the first."""

    def clean(self):
        data = super().clean()
        start, end = data.get("free_from"), data.get("free_to")
        if (start is None) != (end is None) and not self.errors:
            missing = "free_to" if start is not None else "free_from"
            self.add_error(missing, "Give both free_from and free_to.")
        elif start is not None and end is not None and end <= start:
            self.add_error("free_to", "free_to must be after free_from.")
        return data


class DeviceFilter(FilterSet):
    """``type`` (device type id), ``status``, and ``free_from``/``free_to``: devices with nothing booked then."""

    type = IdFilter(field_name="device_type", label="Device type id")
    status = django_filters.ChoiceFilter(choices=Device.Status.choices)
    free_from = IsoDateTimeFilter(method="filter_free", label="Free from (with free_to)")
    free_to = IsoDateTimeFilter(method="filter_free", label="Free until (with free_from)")

    class Meta:
        model = Device
        fields = ["type", "status"]
        form = DeviceFilterForm

    def filter_free(self, queryset, name, value):
        # Both ends arrive together (the form checks it); the range is applied once, from free_from.
        if name != "free_from":
            return queryset
        return queries.free_between(queryset, value, self.form.cleaned_data["free_to"])


class BookingFilterForm(forms.Form):
    """Checks of the booking filters that a plain field cannot express."""

    def clean_user(self):
        value = self.cleaned_data.get("user")
        if value and value != "me" and as_id(value) is None:
            raise forms.ValidationError("Use a user id or 'me'.")
        return value

    def clean_status(self):
        value = self.cleaned_data.get("status")
        if not value:
            return value
        statuses = [part.strip() for part in value.split(",") if part.strip()]
        unknown = set(statuses) - set(Booking.Status.values)
        if unknown:
            # Named parameters, not an f-string: django-filter %-formats every message, and a
            # status typed with a "%" in it must come back as a 400, not break the formatting.
            raise forms.ValidationError("Unknown status %(unknown)s; use %(allowed)s.", params={
                "unknown": ", ".join(sorted(unknown)), "allowed": ", ".join(Booking.Status.values)})
        return statuses


class BookingFilter(FilterSet):
    """``user`` (an id or ``me``), ``device``, ``status`` (comma list), ``from``/``to`` (overlap), ``group``."""

    user = django_filters.CharFilter(method="filter_user", label="User id, or 'me'")
    device = IdFilter(field_name="device")
    status = django_filters.CharFilter(method="filter_status", label="Statuses, comma separated")
    group = django_filters.UUIDFilter(field_name="group_id")

    class Meta:
        model = Booking
        fields = ["user", "device", "status", "group"]
        form = BookingFilterForm

    @extend_schema_field({"type": "string", "pattern": "^(?:me|[1-9][0-9]{0,8})$", "description": "User id, or 'me'"})
    def filter_user(self, queryset, name, value):
        if value == "me":
            return queryset.filter(user=self.request.user)
        return queryset.filter(user_id=as_id(value))

    @extend_schema_field({"type": "string", "description": "Statuses, comma separated",
                          "pattern": "^(?:{0})(?:,(?:{0})){{0,5}}$".format("|".join(Booking.Status.values))})
    def filter_status(self, queryset, name, value):
        return queryset.filter(status__in=value)


# ``from`` and ``to`` are keywords in Python, so they cannot be written as class attributes above:
# a booking overlaps [from, to) when it ends after ``from`` and starts before ``to``.
BookingFilter.base_filters["from"] = IsoDateTimeFilter(field_name="end", lookup_expr="gt",
                                                       label="Bookings ending after this time")
BookingFilter.base_filters["to"] = IsoDateTimeFilter(field_name="start", lookup_expr="lt",
                                                     label="Bookings starting before this time")
