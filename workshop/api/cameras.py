"""Cameras API: cameras per machine, snapshots taken now or uploaded, snapshots per job (the timelapse)."""
import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.permissions import roles_required
from accounts.roles import MEMBER, OPERATOR
from core.api.filters import FilterSet
from core.api.viewsets import ServiceModelViewSet

from ..models import Camera, Snapshot
from ..services.vision import save_camera, take_snapshot, upload_snapshot


class CameraSerializer(serializers.ModelSerializer):
    class Meta:
        model = Camera
        fields = ["id", "machine", "name", "snapshot_url", "enabled", "created_at"]


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Snapshot
        fields = ["id", "camera", "job", "at", "image", "change"]


class SnapshotUploadSerializer(serializers.Serializer):
    file = serializers.ImageField()


class SnapshotFilter(FilterSet):
    camera = django_filters.NumberFilter()
    job = django_filters.NumberFilter()

    class Meta:
        model = Snapshot
        fields = ["camera", "job"]


class CameraViewSet(ServiceModelViewSet):
    """Cameras watching machines: members see them and take or upload snapshots where they may drive."""

    permission_classes = [roles_required(read=MEMBER, write=OPERATOR)]
    serializer_class = CameraSerializer
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


class SnapshotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Snapshots, filtered by camera or job (a job's snapshots in order are its timelapse)."""

    permission_classes = [roles_required(read=MEMBER, write=OPERATOR)]
    serializer_class = SnapshotSerializer
    queryset = Snapshot.objects.all()
    filterset_class = SnapshotFilter
    ordering_fields = ["at"]
