"""Inventory API: materials, their stock ledger, low stock and stats."""
import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import roles_required
from accounts.roles import VIEWER
from core.api.filters import FilterSet, IsoDateTimeFilter
from core.api.lean import Computed, LeanListMixin, related_rows
from core.api.mixins import csv_response
from core.api.pagination import CursorPagination
from core.api.viewsets import ServiceModelViewSet

from .. import queries, services
from ..models import StockItem, StockMovement
from ..services.imports import MATERIAL_COLUMNS
from . import serializers as s
from .common import CSV_UPLOAD, CSVTextParser, LabelMixin, ReadViewerWriteMember, csv_payload


class MaterialViewSet(LeanListMixin, LabelMixin, ServiceModelViewSet):
    """Materials with their stock per location; the ledger actions move quantities."""

    queryset = queries.materials_for_list()
    serializer_class = s.MaterialSerializer
    lean_list = True
    lean_fields = {
        "low_stock": Computed(lambda level, free: bool(level and free is not None and free < level),
                              ("reorder_level", "available")),
        "stock": related_rows(
            lambda view: StockItem.objects.order_by("location__full_name"), "material_id", s.StockItemSerializer,
            lean_fields={"available": Computed(lambda quantity, allocated: quantity - allocated,
                                               ("quantity", "allocated"))}),
    }
    lean_actions = ("low_stock",)
    filterset_fields = ["category", "supplier"]
    search_fields = ["sku", "name", "supplier"]
    ordering_fields = ["name", "sku", "category", "available", "on_hand"]
    ordering = ["name"]
    parser_classes = [JSONParser, MultiPartParser, FormParser, CSVTextParser]

    def create_with(self, user, data):
        # Answered with its stock totals, as every other read of a material is.
        return queries.materials_for_list().get(pk=services.create_material(user, **data).pk)

    def update_with(self, user, instance, data):
        return queries.materials_for_list().get(pk=services.update_material(user, instance, **data).pk)

    def delete_with(self, user, instance):
        services.delete_catalog_item(user, instance)

    def _moved(self, request, pk, movement, code=status.HTTP_200_OK):
        material = self.get_queryset().get(pk=pk)
        movements = movement if isinstance(movement, tuple) else (movement,)
        return Response({"movements": s.StockMovementSerializer(movements, many=True).data,
                         "material": self.get_serializer(material).data}, status=code)

    @extend_schema(request=s.ReceiveSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        """Book stock in at a location (operators)."""
        data = self._body(request, s.ReceiveSerializer)
        return self._moved(request, pk, services.receive_stock(request.user, self.get_object(), **data),
                           status.HTTP_201_CREATED)

    @extend_schema(request=s.StockRequestSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ReadViewerWriteMember])
    def consume(self, request, pk=None):
        """Take stock out (members); 409 with ``available`` when short."""
        data = self._body(request, s.StockRequestSerializer)
        data.pop("expires_on", None)
        return self._moved(request, pk, services.consume_stock(request.user, self.get_object(), **data),
                           status.HTTP_201_CREATED)

    @extend_schema(request=s.StockRequestSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ReadViewerWriteMember])
    def allocate(self, request, pk=None):
        """Reserve stock for a purpose without consuming it (members); 409 when short."""
        data = self._body(request, s.StockRequestSerializer, drop=("expires_on", "from_allocation", "holder"))
        return self._moved(request, pk, services.allocate_stock(request.user, self.get_object(), **data),
                           status.HTTP_201_CREATED)

    @extend_schema(request=s.StockRequestSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ReadViewerWriteMember])
    def release(self, request, pk=None):
        """Give reserved stock back: members their own, naming the reference it was reserved for."""
        data = self._body(request, s.StockRequestSerializer, drop=("expires_on", "from_allocation"))
        return self._moved(request, pk, services.release_stock(request.user, self.get_object(), **data),
                           status.HTTP_201_CREATED)

    @extend_schema(request=s.AdjustSerializer)
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        """Correct the quantity on hand by a signed ``change`` with a reason (operators)."""
        data = self._body(request, s.AdjustSerializer)
        change = data.pop("change")
        return self._moved(request, pk, services.adjust_stock(request.user, self.get_object(), change, **data),
                           status.HTTP_201_CREATED)

    @extend_schema(request=s.StocktakeSerializer)
    @action(detail=True, methods=["post"])
    def stocktake(self, request, pk=None):
        """Record a counted quantity; the difference becomes the stocktake row (operators)."""
        data = self._body(request, s.StocktakeSerializer)
        counted = data.pop("counted")
        return self._moved(request, pk, services.stocktake(request.user, self.get_object(), counted, **data),
                           status.HTTP_201_CREATED)

    @extend_schema(request=s.TransferSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """Move free stock between locations: two ledger rows in one transaction (operators)."""
        data = self._body(request, s.TransferSerializer)
        return self._moved(request, pk, services.transfer_stock(request.user, self.get_object(), **data),
                           status.HTTP_201_CREATED)

    def _body(self, request, serializer, drop=()):
        body = serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        for name in drop:
            data.pop(name, None)
        return data

    @extend_schema(responses=s.MaterialSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="low-stock")
    def low_stock(self, request):
        """Materials whose free stock is under their reorder level."""
        return self.lean_rows(queries.low_stock())

    def export(self, request):
        """Materials with their stock per location as CSV (one row per stock row)."""
        def rows():
            for m in self.filter_queryset(self.get_queryset()):
                base = [m.sku, m.name, m.category, m.unit, m.cost_per_unit, m.supplier, m.reorder_level, m.notes]
                items = list(m.stock_items.all()) or [None]
                for item in items:
                    yield base + ([item.quantity, item.location.full_name, item.lot] if item else ["", "", ""])
        return csv_response("materials.csv", MATERIAL_COLUMNS, rows())

    @extend_schema(request=CSV_UPLOAD)
    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request):
        """Create or update materials by SKU and receive quantities; a bad row rejects the whole file."""
        done = services.import_materials(request.user, csv_payload(request))
        return Response({"imported": len(done), "ids": [m.pk for m in done]}, status=status.HTTP_201_CREATED)


class MovementFilter(FilterSet):
    since = IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = IsoDateTimeFilter(field_name="at", lookup_expr="lt")
    location = django_filters.NumberFilter(field_name="stock_item__location")

    class Meta:
        model = StockMovement
        fields = ["material", "kind", "actor", "holder", "reference_type", "reference_id", "transfer_id", "stock_item"]


class MovementViewSet(LeanListMixin, viewsets.ReadOnlyModelViewSet):
    """The stock ledger, newest first; filter by material, kind, actor, reference, location, time."""

    queryset = StockMovement.objects.select_related("material", "stock_item__location", "actor")
    serializer_class = s.StockMovementSerializer
    lean_list = True
    permission_classes = [roles_required(read=VIEWER, write=VIEWER)]
    filterset_class = MovementFilter
    search_fields = ["reason", "material__name"]
    ordering_fields = ["at", "id"]
    ordering = ["-at", "-id"]  # newest first; the cursor walks ``at``, ``id`` breaks ties
    pagination_class = CursorPagination

    def export(self, request):
        """The filtered ledger as CSV."""
        cols = ["id", "at", "material__sku", "stock_item__location__full_name", "stock_item__lot", "kind", "quantity",
                "on_hand_change", "allocated_change", "on_hand_after", "counted", "actor__username", "reason",
                "reference_type", "reference_id"]
        rows = self.filter_queryset(self.get_queryset()).values_list(*cols).iterator()
        return csv_response("movements.csv", cols, rows)


class StatsView(APIView):
    """Asset counts by type, status and location; checked-out and overdue counts; stock value."""

    permission_classes = [roles_required(read=VIEWER, write=VIEWER)]

    @extend_schema(responses={200: {"type": "object", "description": "assets: total, by_type, by_status, "
                                                      "by_location, checked_out, checkouts_overdue, "
                                                      "maintenance_overdue; stock: materials, low_stock, value"}})
    def get(self, request):
        """The inventory summary."""
        return Response(queries.stats())
