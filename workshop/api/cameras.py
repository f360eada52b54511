"""Cameras API: cameras per machine, snapshots taken now or uploaded, snapshots per job, a job's timelapse."""
import django_filters
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import roles_required
from accounts.roles import MEMBER, OPERATOR
from core.api.filters import FilterSet
from core.api.lean import Computed, LeanListMixin
from core.api.viewsets import ServiceModelViewSet
from core.errors import NotFound
from equipment.models import Job

from ..files import kept_file
from ..models import Camera, Snapshot, Timelapse
from ..queries import job_vision
from ..services.timelapse import request_timelapse
from ..services.vision import save_camera, take_snapshot, upload_snapshot


class CameraSerializer(serializers.ModelSerializer):
    class Meta:
        model = Camera
        fields = ["id", "machine", "name", "snapshot_url", "mjpeg_url", "enabled", "created_at"]


@extend_schema_field(OpenApiTypes.URI)
class ServedFileLink(serializers.Field):
    """The link to a row's stored file. The file is not under a public URL: the API serves it, to
    those who may read it, at ``view_name``."""

    def __init__(self, view_name: str, **kwargs):
        self.view_name = view_name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, row) -> str:
        return served_file_link(self.context.get("request"), self.view_name, row.pk)


def served_file_link(request, view_name: str, pk) -> str:
    """The link to row ``pk``'s stored file at ``view_name``: absolute when answering a request."""
    url = reverse(f"workshop-api:{view_name}", kwargs={"pk": pk})
    return request.build_absolute_uri(url) if request else url


class SnapshotSerializer(serializers.ModelSerializer):
    image = ServedFileLink("snapshot-image")

    class Meta:
        model = Snapshot
        fields = ["id", "camera", "job", "at", "image", "change", "first_layer"]


class SnapshotUploadSerializer(serializers.Serializer):
    file = serializers.ImageField()


class SnapshotFilter(FilterSet):
    camera = django_filters.NumberFilter()
    job = django_filters.NumberFilter()

    class Meta:
        model = Snapshot
        fields = ["camera", "job"]


class CameraViewSet(LeanListMixin, ServiceModelViewSet):
    """Cameras watching machines: members see them and take or upload snapshots where they may drive."""

    permission_classes = [roles_required(read=MEMBER, write=OPERATOR)]
    serializer_class = CameraSerializer
    lean_list = True
    queryset = Camera.objects.all()
    filterset_fields = ["machine", "enabled"]
    ordering_fields = ["name", "created_at"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.action in ("snapshot", "upload"):
            return [roles_required(read=MEMBER, write=MEMBER)()]
        return super().get_permissions()

    def create_with(self, actor, data):
        return save_camera(actor, **data)

    def update_with(self, actor, instance, data):
        return save_camera(actor, instance, **data)

    def delete_with(self, actor, instance):  # pragma: no cover - DELETE is not offered
        raise NotImplementedError

    @extend_schema(request=None, responses=SnapshotSerializer)
    @action(detail=True, methods=["post"])
    def snapshot(self, request, pk=None):
        snap = take_snapshot(request.user, self.get_object())
        return Response(SnapshotSerializer(snap, context={"request": request}).data, status=201)

    @extend_schema(request={"multipart/form-data": SnapshotUploadSerializer}, responses={201: SnapshotSerializer})
    @action(detail=True, methods=["post"])
    def upload(self, request, pk=None):
        snap = upload_snapshot(request.user, self.get_object(), request.FILES.get("file"))
        return Response(SnapshotSerializer(snap, context={"request": request}).data, status=201)


class SnapshotViewSet(LeanListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Snapshots, filtered by camera or job (a job's snapshots in order are its timelapse)."""

    permission_classes = [roles_required(read=MEMBER, write=OPERATOR)]
    serializer_class = SnapshotSerializer
    lean_list = True
    # The image link names the request's host, so it is worked out per request, not kept in the plan.
    lean_fields = {"image": Computed(lambda view, pk: served_file_link(view.request, "snapshot-image", pk), ("id",),
                                     convert=None, with_view=True)}
    queryset = Snapshot.objects.all()
    filterset_class = SnapshotFilter
    ordering_fields = ["at"]

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY, 404: None})
    @action(detail=True, methods=["get"])
    def image(self, request, pk=None):
        """The snapshot's image itself."""
        return kept_file(self.get_object().image)


class TimelapseSerializer(serializers.ModelSerializer):
    video = ServedFileLink("timelapse-video")

    class Meta:
        model = Timelapse
        fields = ["id", "camera", "job", "video", "frames", "renderer", "rendered_at"]


class JobCameraSerializer(serializers.Serializer):
    camera = CameraSerializer()
    first_layer = SnapshotSerializer(allow_null=True)
    latest = SnapshotSerializer(allow_null=True)
    timelapse = TimelapseSerializer(allow_null=True)


class JobVisionSerializer(serializers.Serializer):
    job = serializers.IntegerField(source="job.pk")
    status = serializers.CharField(source="job.status")
    snapshots = serializers.IntegerField()
    cameras = JobCameraSerializer(many=True)


def _job(pk) -> Job:
    job = Job.objects.filter(pk=pk).first()
    if job is None:
        raise NotFound(f"There is no job {pk}.")
    return job


class JobVisionView(APIView):
    """What the cameras kept of one job: per camera the first-layer snapshot, the latest one and the timelapse."""

    permission_classes = [roles_required(read=MEMBER, write=MEMBER)]

    @extend_schema(responses=JobVisionSerializer)
    def get(self, request, pk):
        return Response(JobVisionSerializer(job_vision(_job(pk)), context={"request": request}).data)


class JobTimelapseView(APIView):
    """Render an ended job's timelapse now (whoever may drive its machine); 409 while it runs or without snapshots."""

    permission_classes = [roles_required(read=MEMBER, write=MEMBER)]

    @extend_schema(request=None, responses={201: TimelapseSerializer(many=True)})
    def post(self, request, pk):
        made = request_timelapse(request.user, _job(pk))
        return Response(TimelapseSerializer(made, many=True, context={"request": request}).data, status=201)


class TimelapseVideoView(APIView):
    """A rendered timelapse itself (MP4, or an animated GIF where ffmpeg was missing)."""

    permission_classes = [roles_required(read=MEMBER, write=MEMBER)]

    @extend_schema(responses={(200, "video/mp4"): OpenApiTypes.BINARY, 404: None})
    def get(self, request, pk):
        return kept_file(get_object_or_404(Timelapse, pk=pk).video)
