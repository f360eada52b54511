"""Shapes of the scheduler API: field types and validation only; rules live in the services.

A booking's ``status``, ``user`` and ``decided_by`` are read-only: a client cannot
send them, whatever the body says.
"""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework import serializers

from core.parsing import as_id

from ..models import Booking, BookingSeries, Device, Favourite, MaintenanceWindow

User = get_user_model()


class MaintenanceWindowSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaintenanceWindow
        fields = ["id", "device", "start", "end", "reason", "created_by"]
        read_only_fields = ["device", "created_by"]

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": "The end must be after the start."})
        return attrs


class DeviceSerializer(serializers.ModelSerializer):
    owner_group = serializers.SlugRelatedField(slug_field="name", queryset=Group.objects.all(), required=False,
                                               allow_null=True)
    qualified_users = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.all(), required=False)
    device_type_name = serializers.CharField(source="device_type.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Device
        fields = [
            "id", "name", "description", "device_type", "device_type_name", "asset", "status", "owner_group",
            "max_holders", "min_minutes", "max_minutes", "max_days_ahead", "max_hours_per_day",
            "requires_qualification", "qualified_users", "auto_approve", "books_linked_devices",
            "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness of the name is the service's answer (409), not a validator's.
        extra_kwargs = {"name": {"validators": []}, "asset": {"validators": []},
                        "max_holders": {"min_value": 1},  # the table's check, stated in the API schema
                        "max_hours_per_day": {"min_value": 0}}  # the service refuses negatives; say so


class BookingSerializer(serializers.ModelSerializer):
    device_name = serializers.CharField(source="device.name", read_only=True)
    user_name = serializers.CharField(source="user.__str__", read_only=True)
    collaborators = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id", "device", "device_name", "user", "user_name", "start", "end", "status", "group_id", "series",
            "collaborators", "comment", "decided_by", "decided_at", "reason", "created_at", "updated_at",
        ]
        read_only_fields = fields


class BookingRequestSerializer(serializers.Serializer):
    """A request for one device (``device``) or several at once (``devices``, a group)."""

    device = serializers.IntegerField(required=False, min_value=1)
    devices = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, min_length=1,
                                    max_length=50, error_messages={"min_length": "Name at least one device."})
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    collaborators = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                          max_length=50, default=list)

    def validate(self, attrs):
        if ("device" in attrs) == ("devices" in attrs):
            raise serializers.ValidationError("Give either 'device' (one) or 'devices' (a group), not both.")
        if "devices" in attrs and not attrs["devices"]:
            raise serializers.ValidationError({"devices": "Name at least one device."})
        return attrs


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class ExtendSerializer(serializers.Serializer):
    end = serializers.DateTimeField()


class RebookSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The day the (first) booking should now fall on.")


class BulkDecideSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=500)
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class BulkDecideOutcomeSerializer(serializers.Serializer):
    """One booking's outcome: ``status`` when ``ok``, else ``error`` and ``detail``."""

    id = serializers.IntegerField()
    ok = serializers.BooleanField()
    status = serializers.CharField(required=False)
    error = serializers.CharField(required=False)
    detail = serializers.CharField(required=False)


class BulkDecideAnswerSerializer(serializers.Serializer):
    results = BulkDecideOutcomeSerializer(many=True)


class SeriesRequestSerializer(serializers.Serializer):
    device = serializers.IntegerField(min_value=1)
    start = serializers.DateTimeField(help_text="Start of the first occurrence.")
    end = serializers.DateTimeField(help_text="End of the first occurrence; every occurrence lasts as long.")
    rrule = serializers.CharField(max_length=300, help_text="RFC 5545 rule, e.g. FREQ=WEEKLY;COUNT=6.")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    collaborators = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                          max_length=50, default=list)


class BookingSeriesSerializer(serializers.ModelSerializer):
    class Meta:
        model = BookingSeries
        fields = ["id", "device", "user", "rrule", "first_start", "duration", "comment", "created_at"]
        read_only_fields = fields


class ProposedSerializer(serializers.Serializer):
    device = serializers.IntegerField(min_value=1)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": "The end must be after the start."})
        return attrs


class CheckConflictsSerializer(serializers.Serializer):
    items = serializers.ListField(child=ProposedSerializer(), min_length=1, max_length=100)


class RangeQuerySerializer(serializers.Serializer):
    """``?from=&to=`` for availability; at most 93 days so one answer stays small."""

    start = serializers.DateTimeField()
    end = serializers.DateTimeField()

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"to": "'to' must be after 'from'."})
        if (attrs["end"] - attrs["start"]).days > 93:
            raise serializers.ValidationError({"to": "Ask for at most 93 days at a time."})
        return attrs


class BookingFilterSerializer(serializers.Serializer):
    """The list filters: ``user`` (an id or ``me``), ``device``, ``status`` (comma list), ``from``/``to``, ``group``."""

    user = serializers.CharField(required=False)
    device = serializers.IntegerField(required=False, min_value=1)
    status = serializers.CharField(required=False)
    start = serializers.DateTimeField(required=False)
    end = serializers.DateTimeField(required=False)
    group = serializers.UUIDField(required=False)

    def validate_user(self, value):
        if value != "me" and as_id(value) is None:
            raise serializers.ValidationError("Use a user id or 'me'.")
        return value

    def validate_status(self, value):
        statuses = [s.strip() for s in value.split(",") if s.strip()]
        unknown = set(statuses) - set(Booking.Status.values)
        if unknown:
            raise serializers.ValidationError(f"Unknown status {', '.join(sorted(unknown))}; "
                                              f"use {', '.join(Booking.Status.values)}.")
        return statuses


class DeviceFilterSerializer(serializers.Serializer):
    """Device filters: ``type`` (device type id), ``status``, and ``free_from``/``free_to`` together."""

    type = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(choices=Device.Status.choices, required=False)
    free_from = serializers.DateTimeField(required=False)
    free_to = serializers.DateTimeField(required=False)

    def validate(self, attrs):
        if ("free_from" in attrs) != ("free_to" in attrs):
            raise serializers.ValidationError("Give both free_from and free_to.")
        if "free_from" in attrs and attrs["free_to"] <= attrs["free_from"]:
            raise serializers.ValidationError({"free_to": "free_to must be after free_from."})
        return attrs


class FavouriteSerializer(serializers.ModelSerializer):
    device_name = serializers.CharField(source="device.name", read_only=True)

    class Meta:
        model = Favourite
        fields = ["id", "device", "device_name", "created_at"]
        read_only_fields = ["created_at"]
        validators = []
