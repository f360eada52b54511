"""Bills of materials and files of a project, and share links that open without logging in."""
from django.db.models import Count, Prefetch
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.lean import Computed, LeanListMixin, related_rows
from core.api.mixins import csv_response
from core.api.viewsets import ServiceModelViewSet
from core.errors import NotFound, RuleViolation
from core.parsing import as_id
from inventory.services.common import plain

from .. import queries, services
from ..models import BomLine, FileVersion, ProjectFile, ShareLink
from ..services.files import version_for
from . import serializers as s
from .common import ProjectScoped


class BomLineViewSet(LeanListMixin, ProjectScoped, ServiceModelViewSet):
    """A project's bill of materials: lines, allocation and return of stock, requirements, CSV."""

    serializer_class = s.BomLineSerializer
    lean_list = True
    # The serializer's own to_representation writes the two quantities plainly (3, 0.5); so does the list.
    lean_own_representation = True
    lean_fields = {"required_quantity": Computed(plain, ("required_quantity",), convert=None),
                   "allocated_quantity": Computed(plain, ("allocated_quantity",), convert=None)}
    filterset_fields = ["critical", "material"]
    ordering_fields = ["id", "required_quantity", "critical"]
    ordering = ["-critical", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no project
            return BomLine.objects.none()
        return BomLine.objects.filter(project=self.project).select_related("material").order_by("-critical", "id")

    def create_with(self, user, data):
        return services.add_bom_line(user, self.project, **data)

    def update_with(self, user, instance, data):
        return services.update_bom_line(user, instance, **data)

    def delete_with(self, user, instance):
        services.delete_bom_line(user, instance)

    def _quantity(self, request):
        body = s.QuantitySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data["quantity"]

    @extend_schema(request=s.QuantitySerializer, responses=s.BomLineSerializer)
    @action(detail=True, methods=["post"])
    def allocate(self, request, project_pk=None, pk=None):
        """Set stock aside for this line through the inventory ledger; 409 when short."""
        line = services.allocate_bom_line(request.user, self.get_object(), self._quantity(request))
        return Response(self.get_serializer(self.get_queryset().get(pk=line.pk)).data)

    @extend_schema(request=s.QuantitySerializer, responses=s.BomLineSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def give_back(self, request, project_pk=None, pk=None):
        """Give allocated stock back to free stock; never more than the line holds."""
        line = services.return_bom_line(request.user, self.get_object(), self._quantity(request))
        return Response(self.get_serializer(self.get_queryset().get(pk=line.pk)).data)

    @extend_schema(request=None, responses=dict)
    @action(detail=False, methods=["get"])
    def requirements(self, request, project_pk=None):
        """Needed, allocated, available, shortage and cost per line; critical shortages first."""
        return Response(queries.requirements(self.project))

    @extend_schema(request=None, responses={(200, "text/csv"): OpenApiTypes.STR})
    def export(self, request, project_pk=None):
        """The requirements report as CSV (routed as ``bom/export.csv`` in ``urls``)."""
        report = queries.requirements(self.project)
        header = ["sku", "material_name", "unit", "critical", "required", "allocated", "still_needed", "available",
                  "shortage", "cost_per_unit", "cost"]
        rows = ([line[key] for key in header] for line in report["lines"])
        return csv_response(f"project-{self.project.pk}-bom.csv", header, rows)


def _download_link(project_id, file_id, number) -> str:
    """A version's download link, as ``VersionSerializer.get_download_url`` writes it."""
    return reverse("projects-api:file-download", args=[project_id, file_id]) + f"?version={number}"


VERSION_FIELDS = {"download_url": Computed(_download_link, ("file__project_id", "file_id", "number"))}


class FileViewSet(LeanListMixin, ProjectScoped, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    """A project's files: upload (multipart ``file``), versions, download any version, share links."""

    serializer_class = s.FileSerializer
    lean_list = True
    # A file has one current version (the upload service moves the mark), so the one row is it.
    lean_fields = {"current": related_rows(lambda view: FileVersion.objects.filter(is_current=True), "file_id",
                                           s.VersionSerializer, many=False, lean_fields=VERSION_FIELDS)}
    lean_actions = ("versions", "share")
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["folder"]
    search_fields = ["name"]
    ordering_fields = ["name", "folder", "created_at"]
    ordering = ["folder", "name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no project
            return ProjectFile.objects.none()
        current = FileVersion.objects.filter(is_current=True).select_related("file", "uploaded_by")
        files = ProjectFile.objects.filter(project=self.project).annotate(version_count=Count("versions"))
        return files.prefetch_related(Prefetch("versions", queryset=current, to_attr="current_versions")).order_by(
            "folder", "name")

    def get_serializer_class(self):
        return s.UploadSerializer if self.action == "create" else s.FileSerializer

    @extend_schema(request={"multipart/form-data": s.UploadSerializer}, responses={201: s.VersionSerializer})
    def create(self, request, project_pk=None):
        """Upload a file; the same name in the same folder becomes its next version."""
        body = s.UploadSerializer(data=request.data)
        if not body.is_valid():
            raise RuleViolation("Send the file as multipart field 'file' (with optional folder, name, "
                                "change_notes).", fields=body.errors)
        data = body.validated_data
        version = services.upload_file(request.user, self.project, data["file"], folder=data.get("folder", ""),
                                       name=data.get("name", ""), change_notes=data.get("change_notes", ""))
        return Response(s.VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.VersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # every version of the file, unpaged
    def versions(self, request, project_pk=None, pk=None):
        """Every version of the file, newest first."""
        document = self.get_object()
        versions = document.versions.select_related("file", "uploaded_by").order_by("-number")
        return self.lean_rows(versions, s.VersionSerializer, lean_fields=VERSION_FIELDS, paginate=False)

    @extend_schema(request=None, responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
                   parameters=[OpenApiParameter("version", {"type": "integer", "minimum": 1, "maximum": 2147483647},
                                                description="Version number (current when absent)"),
                               OpenApiParameter("inline", bool, description="Show images and text in the page")])
    @action(detail=True, methods=["get"])
    def download(self, request, project_pk=None, pk=None):
        """The bytes of one version (the current one unless ``version`` says which)."""
        number = request.query_params.get("version")
        if number not in (None, "") and as_id(number) is None:
            raise RuleViolation("version must be a version number such as 2.", fields={"version": ["Not a number."]})
        version = version_for(self.project, self.get_object(), as_id(number))
        return file_response(version, inline=request.query_params.get("inline") in ("1", "true"))

    @extend_schema(methods=["GET"], request=None, responses=s.ShareLinkSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.ShareRequestSerializer, responses=dict)
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # every link of the file, unpaged
    def share(self, request, project_pk=None, pk=None):
        """The file's share links (GET); make one (POST: ``hours``, optional ``version``) with its URL."""
        document = self.get_object()
        if request.method == "GET":
            return self.lean_rows(ShareLink.objects.filter(file=document), s.ShareLinkSerializer, paginate=False)
        body = s.ShareRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        number = body.validated_data.get("version")
        version = version_for(self.project, document, number) if number else None
        link, token = services.share_file(request.user, document, version=version,
                                          hours=body.validated_data.get("hours"))
        data = s.ShareLinkSerializer(link).data
        data["token"] = token
        data["url"] = request.build_absolute_uri(reverse("projects-api:share-open", args=[token]))
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ShareLinkSerializer)
    @action(detail=True, methods=["post"], url_path=r"share/(?P<link_id>[0-9]+)/revoke")
    def revoke(self, request, project_pk=None, pk=None, link_id=None):
        """Stop one share link from working."""
        link = ShareLink.objects.filter(pk=as_id(link_id), file=self.get_object()).select_related("file").first()
        if link is None:
            raise NotFound("There is no such share link on this file.")
        return Response(s.ShareLinkSerializer(services.revoke_share(request.user, link)).data)


INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "text/plain"}


def file_response(version: FileVersion, *, inline: bool = False) -> FileResponse:
    """Stream a version's bytes under its label; images and text may open in the page, nothing runs."""
    show = inline and version.content_type in INLINE_TYPES
    content_type = version.content_type + ("; charset=utf-8" if version.content_type == "text/plain" else "")
    response = FileResponse(version.content.open("rb"), as_attachment=not show, filename=version.file.name,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    response["X-Checksum-SHA256"] = version.sha256
    return response


class ShareOpenView(APIView):
    """Open a shared file without logging in; forged, expired or revoked tokens get 404."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(request=None, responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, token):
        version = services.open_share(token)
        return file_response(version, inline=request.query_params.get("inline") in ("1", "true"))
