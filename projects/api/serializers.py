"""Shapes of projects objects in the API (field validation only; rules live in the services)."""
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework import serializers

from inventory.services.common import plain

from ..models import (
    BomLine,
    FileVersion,
    Invitation,
    Project,
    ProjectFile,
    ShareLink,
    Task,
    TaskComment,
    TaskLink,
    Team,
    TeamMembership,
    WorkLog,
)

User = get_user_model()

# Least values the services hold to (``to_quantity``, ``to_hours``), given to the fields so the API
# schema says them: the smallest step says "above zero", 0 says "not negative".
LEAST_QUANTITY = Decimal("0.001")
LEAST_HOURS_LOGGED = Decimal("0.01")



class TagsField(serializers.ListField):
    child = serializers.CharField(max_length=40, allow_blank=True)
    max_length = 20


class ProjectSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.username", read_only=True)
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), allow_null=True, required=False)
    tags = TagsField(required=False)
    open_tasks = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = ["id", "name", "description", "owner", "owner_name", "team", "status", "start_date", "due_date",
                  "tags", "open_tasks", "created_at", "updated_at"]
        read_only_fields = ["owner"]


class DuplicateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)


class MemberSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())


class TaskSerializer(serializers.ModelSerializer):
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    assignee_name = serializers.SerializerMethodField()
    parent = serializers.PrimaryKeyRelatedField(queryset=Task.objects.all(), allow_null=True, required=False)
    tags = TagsField(required=False)
    subtask_count = serializers.IntegerField(read_only=True)
    comment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "project", "title", "description", "status", "priority", "position", "parent", "assignee",
                  "assignee_name", "due_date", "estimated_hours", "actual_hours", "tags", "completed_at",
                  "subtask_count", "comment_count", "created_at", "updated_at"]
        read_only_fields = ["project", "position", "actual_hours", "completed_at"]
        extra_kwargs = {"estimated_hours": {"min_value": 0}}

    def get_assignee_name(self, task) -> str:
        return str(task.assignee) if task.assignee_id else ""


class MoveSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Task.Status.choices)
    position = serializers.IntegerField(min_value=0, max_value=1_000_000)


class AssignSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True)


class TaskBulkUpdateSerializer(serializers.Serializer):
    tasks = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=500)
    status = serializers.ChoiceField(choices=Task.Status.choices, required=False)
    priority = serializers.ChoiceField(choices=Task.Priority.choices, required=False)
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    due_date = serializers.DateField(allow_null=True, required=False)
    tags = TagsField(required=False)


class CommentSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.username", read_only=True, default="")

    class Meta:
        model = TaskComment
        fields = ["id", "task", "author", "author_name", "body", "created_at"]
        read_only_fields = ["task", "author"]


class WorkLogSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.username", read_only=True, default="")

    class Meta:
        model = WorkLog
        fields = ["id", "task", "user", "user_name", "hours", "note", "date", "created_at"]
        read_only_fields = ["task", "user"]
        extra_kwargs = {"date": {"required": False}, "hours": {"min_value": LEAST_HOURS_LOGGED}}


class LinkSerializer(serializers.ModelSerializer):
    booking_status = serializers.CharField(source="booking.status", read_only=True, default=None)
    asset_name = serializers.CharField(source="asset.name", read_only=True, default=None)

    class Meta:
        model = TaskLink
        fields = ["id", "task", "booking", "booking_status", "asset", "asset_name", "created_at"]
        read_only_fields = ["task"]


class TeamSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "description", "member_count", "created_at"]


class TeamMemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())

    class Meta:
        model = TeamMembership
        fields = ["id", "user", "username", "role", "created_at"]


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=TeamMembership.Role.choices)


class InvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = ["id", "team", "email", "role", "expires_at", "accepted_at", "created_at"]
        read_only_fields = ["expires_at", "accepted_at"]


class AcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500)


class BomLineSerializer(serializers.ModelSerializer):
    material_name = serializers.CharField(source="material.name", read_only=True)
    unit = serializers.CharField(source="material.unit", read_only=True)

    class Meta:
        model = BomLine
        fields = ["id", "project", "material", "material_name", "unit", "location", "required_quantity",
                  "allocated_quantity", "critical", "notes", "created_at"]
        read_only_fields = ["project", "allocated_quantity"]
        extra_kwargs = {"required_quantity": {"min_value": LEAST_QUANTITY}}

    def to_representation(self, line):
        data = super().to_representation(line)
        data["required_quantity"] = plain(line.required_quantity)
        data["allocated_quantity"] = plain(line.allocated_quantity)
        return data


class QuantitySerializer(serializers.Serializer):
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=LEAST_QUANTITY)


class VersionSerializer(serializers.ModelSerializer):
    uploaded_by_name = serializers.CharField(source="uploaded_by.username", read_only=True, default="")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = FileVersion
        fields = ["id", "number", "sha256", "size", "content_type", "change_notes", "uploaded_by",
                  "uploaded_by_name", "is_current", "created_at", "download_url"]

    def get_download_url(self, version) -> str:
        return reverse("projects-api:file-download", args=[version.file.project_id, version.file_id]) + \
            f"?version={version.number}"


class FileSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField()
    version_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ProjectFile
        fields = ["id", "project", "folder", "name", "version_count", "current", "created_at"]

    def get_current(self, document) -> dict | None:
        current = getattr(document, "current_versions", None)
        if current is None:
            current = list(document.versions.filter(is_current=True))
        return VersionSerializer(current[0]).data if current else None


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    folder = serializers.CharField(max_length=255, required=False, allow_blank=True)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    change_notes = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ShareRequestSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False)
    hours = serializers.IntegerField(min_value=1, required=False)


class ShareLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = ShareLink
        fields = ["id", "file", "version", "expires_at", "revoked_at", "downloads", "created_at"]
