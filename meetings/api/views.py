"""Meetings API: meetings and their recordings, minutes and comments; action items; search; analytics."""
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import roles_required
from accounts.roles import MEMBER, VIEWER
from core.api.lean import Computed, LeanListMixin, related_rows
from core.api.viewsets import ServiceModelViewSet
from core.errors import NotFound, RuleViolation
from core.parsing import as_id

from .. import queries, services
from ..access import visible_meetings
from ..models import ActionItem, Attendee, Meeting
from . import serializers as s
from .filters import ActionItemFilter, MeetingFilter

VERSION_NUMBER = {"type": "integer", "minimum": 1, "maximum": 2147483647}  # a stored version's number


def _overdue(due, status) -> bool:
    """``ActionItemSerializer.get_overdue`` on a row's columns: open and due before today."""
    return bool(due and status == ActionItem.Status.OPEN and due < timezone.localdate())


def _owner_label(user_id, name, username) -> str:
    """``ActionItem.owner_label`` on a row's columns: the name given, else the owner's username."""
    return username if user_id and not name else name


class MeetingViewSet(LeanListMixin, ServiceModelViewSet):
    """Meetings you may see: as an attendee, their creator, a member of their project, or an operator."""

    serializer_class = s.MeetingSerializer
    lean_list = True
    lean_fields = {"attendees": related_rows(lambda view: Attendee.objects.all(), "meeting_id", s.AttendeeSerializer)}
    lean_actions = ("versions", "comments", "recordings")
    permission_classes = [roles_required(read=VIEWER, write=MEMBER)]
    filterset_class = MeetingFilter
    search_fields = ["title", "agenda"]
    ordering_fields = ["starts_at", "title", "created_at"]

    def get_queryset(self):
        return visible_meetings(self.request.user).prefetch_related("attendees")

    def create_with(self, user, data):
        return services.create_meeting(user, **data)

    def update_with(self, user, instance, data):
        return services.update_meeting(user, instance, **data)

    def delete_with(self, user, instance):
        services.delete_meeting(user, instance)

    def _meeting(self, pk) -> Meeting:
        return services.meeting_for(self.request.user, pk)

    @extend_schema(request=s.MeetingStatusChangeSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        """Publish, archive or return the meeting to draft: ``{"status": "published"}``."""
        body = s.MeetingStatusChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = services.set_meeting_status(request.user, pk, body.validated_data["status"])
        return Response(s.MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(request=None, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Bring a deleted meeting back."""
        meeting = services.restore_meeting(request.user, pk)
        return Response(s.MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(responses=s.MeetingVersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # every one of the meeting's, unpaged
    def versions(self, request, pk=None):
        """Every version of the meeting, newest first."""
        meeting = self._meeting(pk)
        return self.lean_rows(meeting.versions.order_by("-number"), s.MeetingVersionSerializer, paginate=False)

    @extend_schema(parameters=[OpenApiParameter("a", VERSION_NUMBER, required=True),
                               OpenApiParameter("b", VERSION_NUMBER, required=True)], responses=dict)
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        """What changed between versions ``a`` and ``b``: ``{"field": [in a, in b]}``."""
        first, second = as_id(request.query_params.get("a")), as_id(request.query_params.get("b"))
        if first is None or second is None:
            raise RuleViolation("Give two version numbers as ?a=1&b=2.", fields={"a": ["number"], "b": ["number"]})
        return Response({"a": first, "b": second,
                         "changes": services.diff_versions(request.user, pk, first, second)})

    @extend_schema(methods=["get"], responses=s.MeetingCommentSerializer(many=True))
    @extend_schema(methods=["post"], request=s.MeetingCommentSerializer, responses=s.MeetingCommentSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # every one of the meeting's, unpaged
    def comments(self, request, pk=None):
        """The meeting's comments, oldest first; post ``{"body", "parent"}`` to add or reply."""
        meeting = self._meeting(pk)
        if request.method == "GET":
            return self.lean_rows(meeting.comments.all(), s.MeetingCommentSerializer, paginate=False)
        body = s.MeetingCommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = services.add_comment(request.user, meeting, body=body.validated_data["body"],
                                       parent=body.validated_data.get("parent"))
        return Response(s.MeetingCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses=s.RecordingSerializer(many=True))
    @extend_schema(methods=["post"], request={"multipart/form-data": s.RecordingUploadSerializer},
                   responses=s.RecordingSerializer)
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser],
            pagination_class=None)  # every one of the meeting's, unpaged
    def recordings(self, request, pk=None):
        """The meeting's recordings; post a file (multipart field ``file``) to upload and transcribe one."""
        meeting = self._meeting(pk)
        if request.method == "GET":
            return self.lean_rows(meeting.recordings.all(), s.RecordingSerializer, paginate=False)
        recording = services.upload_recording(request.user, meeting, request.FILES.get("file"))
        recording.refresh_from_db()
        return Response(s.RecordingSerializer(recording).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TranscribeSerializer, responses=s.RecordingSerializer)
    @action(detail=True, methods=["post"])
    def transcribe(self, request, pk=None):
        """Transcribe a recording again (the newest unless ``recording`` names one)."""
        meeting = self._meeting(pk)
        body = s.TranscribeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        wanted = body.validated_data.get("recording")
        recording = (meeting.recordings.filter(pk=wanted).first() if wanted
                     else queries.latest_recording(meeting))
        if recording is None:
            raise NotFound("This meeting has no such recording; upload one first.")
        recording = services.start_transcription(request.user, recording.pk)
        recording.refresh_from_db()
        return Response(s.RecordingSerializer(recording).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def analyze(self, request, pk=None):
        """Find the summary, decisions and action items again."""
        meeting = services.start_analysis(request.user, pk)
        return Response(s.MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data,
                        status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=s.MinutesSerializer)
    @action(detail=True, methods=["get"])
    def minutes(self, request, pk=None):
        """Transcript, summary, decisions and action items in one answer."""
        return Response(s.MinutesSerializer(queries.minutes(self._meeting(pk))).data)

    @extend_schema(responses=s.SegmentSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # every one of the meeting's, unpaged
    def segments(self, request, pk=None):
        """The timed segments of the newest finished transcript."""
        return Response(s.SegmentSerializer(services.transcript_segments(self._meeting(pk)), many=True).data)


class ActionItemViewSet(LeanListMixin, ServiceModelViewSet):
    """Action items of the meetings you may see; ``?overdue=true`` lists the late ones."""

    serializer_class = s.ActionItemSerializer
    lean_list = True
    lean_fields = {
        "owner": Computed(_owner_label, ("owner_user_id", "owner_name", "owner_user__username")),
        "overdue": Computed(_overdue, ("due", "status")),
        "task_status": Computed(lambda status: status, ("task_status",)),  # the queryset's annotation
    }
    permission_classes = [roles_required(read=VIEWER, write=MEMBER)]
    filterset_class = ActionItemFilter
    search_fields = ["task", "owner_name"]
    ordering_fields = ["due", "created_at", "priority", "status"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return queries.with_task_status(queries.visible_items(self.request.user).select_related("owner_user"))

    def create_with(self, user, data):
        meeting = data.pop("meeting")
        return services.add_item(user, meeting.pk, **data)

    def update_with(self, user, instance, data):
        return services.update_item(user, instance, **data)

    def delete_with(self, user, instance):  # pragma: no cover - DELETE is not offered; items are dropped
        raise RuleViolation("Drop an action item instead of deleting it.")

    @extend_schema(request=s.ItemEditSerializer, responses=s.ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept a proposed item, optionally with edits to task, owner, due date or priority."""
        body = s.ItemEditSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        item = services.accept_item(request.user, pk, **body.validated_data)
        return Response(s.ActionItemSerializer(item).data)

    @extend_schema(request=s.ConvertSerializer, responses=s.ActionItemSerializer)
    @action(detail=True, methods=["post"], url_path="convert-to-task")
    def convert_to_task(self, request, pk=None):
        """Turn the open item into a task of the meeting's project (or ``project``); the item keeps the task id."""
        body = s.ConvertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.convert_to_task(request.user, pk, project=body.validated_data.get("project"))
        return Response(s.ActionItemSerializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(request=s.ActionItemStatusChangeSerializer, responses=s.ActionItemSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        """Mark the item done, open or dropped: ``{"status": "done"}``."""
        body = s.ActionItemStatusChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.set_item_status(request.user, pk, body.validated_data["status"])
        return Response(s.ActionItemSerializer(item).data)


class SearchView(APIView):
    """Meetings matching ``?q=`` (words or "a phrase"), best first, with highlighted snippets."""

    permission_classes = [roles_required(read=VIEWER, write=MEMBER)]

    @extend_schema(parameters=[OpenApiParameter("q", {"type": "string", "pattern": r"\S"}, required=True,
                                                description="Words or \"a phrase\"; not blank.")],
                   responses=inline_serializer("MeetingSearchAnswer", {
                       "count": serializers.IntegerField(),
                       "results": s.SearchResultSerializer(many=True)}))
    def get(self, request):
        results = services.search_meetings(request.user, request.query_params.get("q", ""))
        return Response({"count": len(results), "results": s.SearchResultSerializer(results, many=True).data})


class AnalyticsView(APIView):
    """Meetings per week, action items by status, completion rate, overdue items, median days to close."""

    permission_classes = [roles_required(read=VIEWER, write=MEMBER)]

    @extend_schema(responses=dict)
    def get(self, request):
        return Response(queries.analytics(request.user))

