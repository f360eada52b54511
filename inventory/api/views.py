"""Inventory API: catalogue, locations and assets (stock lives in ``stock_views``)."""
import django_filters
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.filters import FilterSet
from core.api.lean import Computed, LeanListMixin, related_rows
from core.api.mixins import csv_response
from core.api.viewsets import ServiceModelViewSet
from core.errors import NotFound
from core.models import AuditEntry
from core.parsing import as_id

from .. import queries, services
from ..models import Asset, Checkout, DeviceType, Location, MaintenanceRecord, Manufacturer, Tag
from ..services.imports import ASSET_COLUMNS
from . import serializers as s
from .common import CSV_UPLOAD, CSVTextParser, LabelMixin, ReadViewerWriteMember, csv_payload

# A check-out's holder as ``Checkout.holder_label`` writes it: the user's name, else the reference.
HOLDER = Computed(lambda user, shown, username, kind, ref: (shown or username) if user else f"{kind} #{ref}",
                  ("to_user", "to_user__display_name", "to_user__username", "reference_type", "reference_id"))

# An attachment's download link is absolute: it names the host the request came to.
ATTACHMENT_FIELDS = {"file": Computed(lambda view, asset, pk: s.attachment_link(view.request, asset, pk),
                                      ("asset", "id"), with_view=True)}


class CatalogViewSet(LeanListMixin, ServiceModelViewSet):
    """Shared writes of the small reference tables."""

    lean_list = True

    def create_with(self, user, data):
        return services.create_catalog_item(user, self.queryset.model, **data)

    def update_with(self, user, instance, data):
        return services.update_catalog_item(user, instance, **data)

    def delete_with(self, user, instance):
        services.delete_catalog_item(user, instance)


class DeviceTypeViewSet(CatalogViewSet):
    """Kinds of devices; ``schedulable`` ones can be booked, ``ports`` feed the topology."""

    queryset = DeviceType.objects.all()
    serializer_class = s.DeviceTypeSerializer
    lean_fields = {"port_count": Computed(lambda ports: len(ports or []), ("ports",))}
    filterset_fields = ["category", "schedulable", "manufacturer"]
    search_fields = ["name", "model_number"]
    ordering_fields = ["name", "category"]


class ManufacturerViewSet(CatalogViewSet):
    """Makers of devices."""

    queryset = Manufacturer.objects.all()
    serializer_class = s.ManufacturerSerializer
    search_fields = ["name"]


class TagViewSet(CatalogViewSet):
    """Labels that group assets."""

    queryset = Tag.objects.all()
    serializer_class = s.TagSerializer
    search_fields = ["name"]


class LocationViewSet(LeanListMixin, LabelMixin, ServiceModelViewSet):
    """The location tree; each row carries its ``path`` and direct ``children``."""

    queryset = Location.objects.prefetch_related("children")
    serializer_class = s.LocationSerializer
    lean_list = True
    lean_fields = {"children": related_rows(lambda view: Location.objects.all(), "parent_id",
                                            s.LocationChildSerializer)}
    filterset_fields = ["kind", "parent"]
    search_fields = ["name", "full_name"]
    ordering_fields = ["full_name", "name", "depth"]

    def create_with(self, user, data):
        return services.create_location(user, **data)

    def update_with(self, user, instance, data):
        return services.update_location(user, instance, **data)

    def delete_with(self, user, instance):
        services.delete_location(user, instance)


class AssetFilter(FilterSet):
    type = django_filters.ModelChoiceFilter(field_name="device_type", queryset=DeviceType.objects.all())
    category = django_filters.ChoiceFilter(field_name="device_type__category", choices=DeviceType.Category.choices)
    location = django_filters.NumberFilter(method="filter_location", label="Location (with everything under it)")
    tag = django_filters.CharFilter(method="filter_tag", label="Tag id or name")
    maintenance_overdue = django_filters.BooleanFilter(method="filter_overdue")
    checked_out = django_filters.BooleanFilter(method="filter_checked_out")

    class Meta:
        model = Asset
        fields = ["status", "device_type", "manufacturer", "owner_group", "management_ip", "serial_number"]

    def filter_location(self, queryset, name, value):
        root = Location.objects.filter(pk=value).first()
        if root is None:
            return queryset.none()
        return queryset.filter(location__in=queries.location_subtree(root))

    def filter_tag(self, queryset, name, value):
        if as_id(value) is not None:
            return queryset.filter(tags__id=as_id(value))
        return queryset.filter(tags__name__iexact=value)

    def filter_overdue(self, queryset, name, value):
        overdue = queries.maintenance_overdue(assets=queryset)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_checked_out(self, queryset, name, value):
        return queryset.filter(checkouts__checked_in_at__isnull=True, checkouts__isnull=False) if value else \
            queryset.exclude(checkouts__checked_in_at__isnull=True, checkouts__isnull=False)


class AssetViewSet(LeanListMixin, LabelMixin, ServiceModelViewSet):
    """Physical things: list, filter, change (with field history), check out and in, labels, CSV."""

    queryset = queries.assets_for_list()
    serializer_class = s.AssetSerializer
    lean_list = True
    lean_fields = {"checked_out": related_rows(lambda view: queries.open_checkouts(), "asset_id",
                                               s.OpenCheckoutSerializer, many=False, lean_fields={"holder": HOLDER})}
    lean_actions = ("history", "maintenance", "attachments")
    filterset_class = AssetFilter
    search_fields = ["inventory_id", "name", "serial_number", "management_ip", "notes"]
    ordering_fields = ["inventory_id", "name", "status", "created_at", "next_maintenance_due"]
    ordering = ["inventory_id"]
    parser_classes = [JSONParser, MultiPartParser, FormParser, CSVTextParser]

    def create_with(self, user, data):
        return services.create_asset(user, **data)

    def update_with(self, user, instance, data):
        return services.update_asset(user, instance, **data)

    def delete_with(self, user, instance):
        services.retire_asset(user, instance)

    def destroy(self, request, *args, **kwargs):
        """Retire the asset (its record stays for history and everything that refers to it)."""
        self.perform_destroy(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.BulkUpdateSerializer, responses=s.AssetSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="bulk-update")
    def bulk_update(self, request):
        """Apply one change (status, location, owner group, tags) to many assets at once."""
        body = s.BulkUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        ids = data.pop("ids")
        assets = list(Asset.objects.filter(pk__in=ids))
        missing = sorted(set(ids) - {a.pk for a in assets})
        if missing:
            raise NotFound(f"No asset with id {', '.join(map(str, missing))}.")
        services.bulk_update_assets(request.user, assets, **data)
        rows = self.get_queryset().filter(pk__in=ids)
        return Response(self.get_serializer(rows, many=True).data)

    @extend_schema(responses=s.HistorySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Every recorded change of this asset: who, when, and each field's old and new value."""
        asset = self.get_object()
        entries = AuditEntry.objects.filter(object_type="inventory.asset", object_id=str(asset.pk))
        return self.lean_rows(entries, s.HistorySerializer)

    @extend_schema(request=s.CheckOutSerializer, responses=s.CheckoutSerializer)
    @action(detail=True, methods=["post"], url_path="check-out", permission_classes=[ReadViewerWriteMember])
    def check_out(self, request, pk=None):
        """Lend the asset to a user (default: yourself) or a project; 409 when it is already out."""
        body = s.CheckOutSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        checkout = services.check_out_asset(request.user, self.get_object(), **body.validated_data)
        return Response(s.CheckoutSerializer(checkout).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CheckInSerializer, responses=s.CheckoutSerializer)
    @action(detail=True, methods=["post"], url_path="check-in", permission_classes=[ReadViewerWriteMember])
    def check_in(self, request, pk=None):
        """Take the asset back (its holder or an operator)."""
        body = s.CheckInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        checkout = services.check_in_asset(request.user, self.get_object(), **body.validated_data)
        return Response(s.CheckoutSerializer(checkout).data)

    @extend_schema(methods=["GET"], request=None, responses=s.AttachmentSerializer(many=True))
    @extend_schema(methods=["POST"], request={"multipart/form-data": {
        "type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}},
        responses={201: s.AttachmentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # every file of one asset, unpaged
    def attachments(self, request, pk=None):
        """Files kept with the asset; POST a multipart ``file`` to add one (operators)."""
        asset = self.get_object()
        if request.method == "POST":
            attachment = services.add_attachment(request.user, asset, request.FILES.get("file"))
            return Response(s.AttachmentSerializer(attachment, context={"request": request}).data,
                            status=status.HTTP_201_CREATED)
        return self.lean_rows(asset.attachments.all(), s.AttachmentSerializer, lean_fields=ATTACHMENT_FIELDS,
                              paginate=False, context={"request": request})

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>[0-9]+)",
            url_name="attachment-download")
    def attachment(self, request, pk=None, attachment_id=None):
        """Download one attached file under the name it was uploaded with."""
        asset = self.get_object()
        attachment = asset.attachments.filter(pk=as_id(attachment_id)).first()
        if attachment is None:
            raise NotFound(f"{asset} has no attachment {attachment_id}.")
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise NotFound(f"The file of {attachment} is missing from storage; upload it again.")
        return FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type or "application/octet-stream")

    @extend_schema(methods=["GET"], request=None, responses=s.MaintenanceRecordSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.AssetMaintenanceSerializer,
                   responses={201: s.MaintenanceRecordSerializer})
    @action(detail=True, methods=["get", "post"])
    def maintenance(self, request, pk=None):
        """The asset's maintenance records, newest first; POST records one (operators)."""
        asset = self.get_object()
        if request.method == "POST":
            body = s.AssetMaintenanceSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            record = services.add_maintenance_record(request.user, asset, **body.validated_data)
            return Response(s.MaintenanceRecordSerializer(record).data, status=status.HTTP_201_CREATED)
        return self.lean_rows(asset.maintenance_records.select_related("asset"), s.MaintenanceRecordSerializer)

    def export(self, request):
        """The filtered assets as CSV, in the import's columns."""
        rows = self.filter_queryset(self.get_queryset())
        return csv_response("assets.csv", ["inventory_id", *ASSET_COLUMNS], (_asset_row(a) for a in rows))

    @extend_schema(request=CSV_UPLOAD)
    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request):
        """Create assets from CSV; any bad row rejects the whole file with errors by line."""
        created = services.import_assets(request.user, csv_payload(request))
        return Response({"imported": len(created), "ids": [a.pk for a in created]}, status=status.HTTP_201_CREATED)


def _asset_row(asset):
    return [asset.inventory_id, asset.name, asset.serial_number, asset.device_type.name,
            asset.manufacturer.name if asset.manufacturer else "", asset.location.full_name if asset.location else "",
            asset.rack_position or "", asset.management_ip or "", asset.status,
            asset.owner_group.name if asset.owner_group else "", ";".join(t.name for t in asset.tags.all()),
            asset.notes, asset.purchase_date or "", asset.purchase_cost if asset.purchase_cost is not None else "",
            asset.warranty_until or ""]


class CheckoutFilter(FilterSet):
    open = django_filters.BooleanFilter(field_name="checked_in_at", lookup_expr="isnull")
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = Checkout
        fields = ["asset", "to_user", "reference_type", "reference_id"]

    def filter_overdue(self, queryset, name, value):
        late = dict(checked_in_at__isnull=True, expected_return__lt=timezone.localdate())
        return queryset.filter(**late) if value else queryset.exclude(**late)


class CheckoutViewSet(LeanListMixin, viewsets.ReadOnlyModelViewSet):
    """Who has which asset; ``?overdue=true`` lists those past their expected return."""

    queryset = Checkout.objects.select_related("asset", "to_user")
    serializer_class = s.CheckoutSerializer
    lean_list = True
    lean_fields = {"holder": HOLDER}
    lean_actions = ("overdue",)
    permission_classes = [ReadViewerWriteMember]
    filterset_class = CheckoutFilter
    ordering_fields = ["checked_out_at", "expected_return"]

    @extend_schema(responses=s.CheckoutSerializer(many=True))
    @action(detail=False, methods=["get"])
    def overdue(self, request):
        """Open check-outs past their expected return date, oldest first."""
        return self.lean_rows(queries.overdue_checkouts().order_by("expected_return", "id"))


class MaintenanceFilter(FilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Current records of overdue assets")
    due_within = django_filters.NumberFilter(method="filter_due_within", min_value=0, max_value=3650,
                                             label="Current records falling due within this many days")

    class Meta:
        model = MaintenanceRecord
        fields = ["asset"]

    def filter_overdue(self, queryset, name, value):
        overdue = queries.maintenance_records_overdue(records=queryset)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_due_within(self, queryset, name, value):
        return queries.maintenance_records_due_within(int(value), records=queryset)


class MaintenanceViewSet(LeanListMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Maintenance records; ``?due_within=14`` and ``?overdue=true`` feed the reminders list."""

    queryset = MaintenanceRecord.objects.select_related("asset")
    serializer_class = s.MaintenanceRecordSerializer
    lean_list = True
    permission_classes = [ServiceModelViewSet.permission_classes[0]]
    filterset_class = MaintenanceFilter
    ordering_fields = ["performed_on", "next_due"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.add_maintenance_record(self.request.user, data.pop("asset"), **data)
