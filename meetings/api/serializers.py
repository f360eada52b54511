"""Shapes of meetings in the API (field validation only; rules live in the services)."""
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import ActionItem, Attendee, Comment, Meeting, MeetingVersion, Recording, Segment


class AttendeeSerializer(serializers.ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all(), required=False,
                                              allow_null=True)
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)

    class Meta:
        model = Attendee
        fields = ["id", "user", "name", "email"]
        read_only_fields = ["id"]
        validators = []  # the service checks duplicates across the whole list


class MeetingSerializer(serializers.ModelSerializer):
    attendees = AttendeeSerializer(many=True, required=False)
    decisions = serializers.ListField(child=serializers.CharField(max_length=500), required=False, max_length=100)

    class Meta:
        model = Meeting
        fields = ["id", "title", "kind", "starts_at", "duration_minutes", "agenda", "notes", "decisions", "summary",
                  "project_id", "status", "attendees", "analysis_status", "analysis_error", "analyzed_by",
                  "created_by", "created_at", "updated_at", "deleted_at"]
        read_only_fields = ["status", "analysis_status", "analysis_error", "analyzed_by", "created_by",
                            "created_at", "updated_at", "deleted_at"]
        # The service refuses longer meetings too; here the bound also reaches the API schema, as does
        # the title's one rule beyond its length: spaces alone are trimmed to nothing and refused.
        extra_kwargs = {"duration_minutes": {"max_value": 1440}, "project_id": {"min_value": 1},
                        "title": {"validators": [RegexValidator(r"\S", "Give the meeting a title.")]}}

    def validate_attendees(self, value):
        return [{key: entry.get(key) for key in ("user", "name", "email") if entry.get(key) not in (None, "")}
                for entry in value]


@extend_schema_field({"type": "string", "enum": list(Meeting.Status.values)})
class MeetingStatusField(serializers.CharField):
    """A meeting's next status; the service names the allowed ones when refusing."""


@extend_schema_field({"type": "string", "enum": ["open", "done", "dropped"]})
class ActionItemStatusField(serializers.CharField):
    """An action item's next status; the service names the allowed ones when refusing."""


class MeetingStatusChangeSerializer(serializers.Serializer):
    status = MeetingStatusField(max_length=20)


class ActionItemStatusChangeSerializer(serializers.Serializer):
    status = ActionItemStatusField(max_length=20)


class MeetingVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingVersion
        fields = ["number", "data", "actor", "at"]


class MeetingCommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Comment
        fields = ["id", "parent", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]
        extra_kwargs = {"parent": {"queryset": Comment.objects.all(), "required": False, "allow_null": True}}


class SegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Segment
        fields = ["index", "start", "end", "text", "speaker"]


class RecordingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recording
        fields = ["id", "meeting", "original_name", "audio_format", "size", "duration", "status", "progress",
                  "error", "provider", "processing_seconds", "created_at"]


class RecordingUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class TranscribeSerializer(serializers.Serializer):
    recording = serializers.IntegerField(required=False, help_text="Which recording; the newest when left out.")


class ActionItemSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner_label", read_only=True)
    overdue = serializers.SerializerMethodField()
    task_status = serializers.SerializerMethodField(help_text="Status of the project task this item became.")

    class Meta:
        model = ActionItem
        fields = ["id", "meeting", "task", "owner", "owner_user", "owner_name", "due", "priority", "status",
                  "confidence", "start", "source_text", "proposed_by", "completed_at", "project_task_id", "task_status",
                  "overdue", "created_at", "updated_at"]
        read_only_fields = ["status", "confidence", "start", "source_text", "proposed_by", "completed_at",
                            "project_task_id", "created_at", "updated_at"]

    def get_task_status(self, item) -> str | None:
        from ..queries import task_status_of

        return task_status_of(item)

    def get_overdue(self, item) -> bool:
        from django.utils import timezone

        return bool(item.due and item.status == ActionItem.Status.OPEN and item.due < timezone.localdate())


class ItemEditSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionItem
        fields = ["task", "owner_user", "owner_name", "due", "priority"]
        extra_kwargs = {name: {"required": False} for name in fields}


class ConvertSerializer(serializers.Serializer):
    project = serializers.IntegerField(required=False, help_text="The project; the meeting's own when left out.")


class MinutesItemSerializer(serializers.Serializer):
    owner = serializers.CharField(allow_null=True)
    task = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    confidence = serializers.FloatField(allow_null=True)
    start = serializers.FloatField(allow_null=True)
    status = serializers.CharField()


class MinutesSerializer(serializers.Serializer):
    transcript = serializers.CharField()
    summary = serializers.CharField()
    decisions = serializers.ListField(child=serializers.CharField())
    action_items = MinutesItemSerializer(many=True)


class SearchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    kind = serializers.CharField()
    status = serializers.CharField()
    rank = serializers.FloatField()
    title_highlighted = serializers.CharField()
    snippet = serializers.CharField()
