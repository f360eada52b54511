"""Shapes of inventory objects in the API (validation of fields only; rules live in the services)."""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.models import AuditEntry

from ..models import (
    Asset,
    AssetAttachment,
    Checkout,
    DeviceType,
    Location,
    MaintenanceRecord,
    Manufacturer,
    Material,
    StockItem,
    StockMovement,
    Tag,
)


class ManufacturerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Manufacturer
        fields = ["id", "name", "website", "notes", "created_at", "updated_at"]


@extend_schema_field({"type": "array", "items": {
    "type": "object", "required": ["name"], "additionalProperties": {},
    "properties": {"name": {"type": "string", "minLength": 1}}}})
class PortsField(serializers.JSONField):
    """A device type's ports: a list of objects that each have a name (the topology links them by name)."""


class DeviceTypeSerializer(serializers.ModelSerializer):
    port_count = serializers.IntegerField(read_only=True)
    ports = PortsField(required=False)

    class Meta:
        model = DeviceType
        fields = ["id", "name", "category", "manufacturer", "model_number", "schedulable", "ports", "port_count",
                  "rack_units", "description", "created_at", "updated_at"]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name", "color"]
        # The service checks the colour too; the validator puts its pattern in the API schema.
        extra_kwargs = {"color": {"validators": [RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use #rrggbb.")]}}


class LocationChildSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "name", "kind"]


class LocationSerializer(serializers.ModelSerializer):
    path = serializers.CharField(source="full_name", read_only=True)
    children = LocationChildSerializer(many=True, read_only=True)

    class Meta:
        model = Location
        fields = ["id", "public_id", "name", "kind", "parent", "rack_units", "description", "path", "depth",
                  "children", "created_at", "updated_at"]
        read_only_fields = ["depth"]
        validators = []  # name clashes are the service's (409 with a message)


class CheckoutSerializer(serializers.ModelSerializer):
    holder = serializers.CharField(source="holder_label", read_only=True)
    asset_inventory_id = serializers.CharField(source="asset.inventory_id", read_only=True)

    class Meta:
        model = Checkout
        fields = ["id", "asset", "asset_inventory_id", "to_user", "reference_type", "reference_id", "holder",
                  "checked_out_by", "checked_out_at", "expected_return", "checked_in_at", "checked_in_by", "notes"]


class OpenCheckoutSerializer(serializers.ModelSerializer):
    holder = serializers.CharField(source="holder_label", read_only=True)

    class Meta:
        model = Checkout
        fields = ["id", "to_user", "reference_type", "reference_id", "holder", "checked_out_at", "expected_return"]


class AssetSerializer(serializers.ModelSerializer):
    device_type_name = serializers.CharField(source="device_type.name", read_only=True, default=None, allow_null=True)
    category = serializers.CharField(source="device_type.category", read_only=True, default=None, allow_null=True)
    manufacturer_name = serializers.CharField(source="manufacturer.name", read_only=True, default=None, allow_null=True)
    location_path = serializers.CharField(source="location.full_name", read_only=True, default=None, allow_null=True)
    owner_group = serializers.SlugRelatedField(slug_field="name", queryset=Group.objects.all(), required=False,
                                               allow_null=True)
    tags = serializers.PrimaryKeyRelatedField(many=True, queryset=Tag.objects.all(), required=False)
    checked_out = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        fields = ["id", "public_id", "inventory_id", "name", "serial_number", "device_type", "device_type_name",
                  "category", "manufacturer", "manufacturer_name", "location", "location_path", "rack_position",
                  "management_ip", "status", "owner_group", "tags", "notes", "custom_fields", "purchase_date",
                  "purchase_cost", "warranty_until", "next_maintenance_due", "checked_out", "created_at",
                  "updated_at"]
        read_only_fields = ["inventory_id", "next_maintenance_due"]
        # Uniqueness of the IP and rack unit is checked by the service, which answers 409 naming the holder.
        extra_kwargs = {"management_ip": {"validators": []}, "purchase_cost": {"min_value": 0}}
        validators = []

    def get_checked_out(self, asset) -> dict | None:
        rows = getattr(asset, "open_checkouts", None)
        if rows is None:
            rows = list(asset.checkouts.filter(checked_in_at__isnull=True))
        return OpenCheckoutSerializer(rows[0]).data if rows else None


class BulkUpdateSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), min_length=1,
                                max_length=1000)
    status = serializers.ChoiceField(choices=Asset.Status.choices, required=False)
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    owner_group = serializers.SlugRelatedField(slug_field="name", queryset=Group.objects.all(), required=False,
                                               allow_null=True)
    tags = serializers.PrimaryKeyRelatedField(many=True, queryset=Tag.objects.all(), required=False)


class CheckOutSerializer(serializers.Serializer):
    to_user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all(), required=False,
                                                 allow_null=True)
    reference_type = serializers.CharField(required=False, allow_blank=True, max_length=100)
    reference_id = serializers.CharField(required=False, allow_blank=True, max_length=64)
    expected_return = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CheckInSerializer(serializers.Serializer):
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class HistorySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = ["id", "at", "actor", "actor_label", "action", "changes", "via"]


class AttachmentSerializer(serializers.ModelSerializer):
    file = serializers.SerializerMethodField(help_text="Where to download the file (signed-in users who may "
                                                       "read the asset).")

    class Meta:
        model = AssetAttachment
        fields = ["id", "asset", "original_name", "content_type", "size", "file", "uploaded_by", "created_at"]
        read_only_fields = fields

    def get_file(self, attachment) -> str:
        return attachment_link(self.context.get("request"), attachment.asset_id, attachment.pk)


def attachment_link(request, asset_id, attachment_id) -> str:
    """Where an attachment is downloaded: absolute when answering a request."""
    url = reverse("inventory-api:asset-attachment-download", args=[asset_id, attachment_id])
    return request.build_absolute_uri(url) if request else url


class MaintenanceRecordSerializer(serializers.ModelSerializer):
    asset_inventory_id = serializers.CharField(source="asset.inventory_id", read_only=True)

    class Meta:
        model = MaintenanceRecord
        fields = ["id", "asset", "asset_inventory_id", "performed_on", "summary", "details", "cost", "parts",
                  "done_by", "next_due", "recorded_by", "created_at"]
        read_only_fields = ["recorded_by", "created_at"]
        extra_kwargs = {"performed_on": {"required": False}, "cost": {"min_value": 0}}


class AssetMaintenanceSerializer(MaintenanceRecordSerializer):
    """A maintenance record posted under its asset's URL: the asset comes from the URL."""

    class Meta(MaintenanceRecordSerializer.Meta):
        read_only_fields = ["asset", "recorded_by", "created_at"]


class StockItemSerializer(serializers.ModelSerializer):
    location_path = serializers.CharField(source="location.full_name", read_only=True)
    available = serializers.DecimalField(max_digits=14, decimal_places=3, read_only=True)

    class Meta:
        model = StockItem
        fields = ["id", "location", "location_path", "lot", "expires_on", "quantity", "allocated", "available"]


class MaterialSerializer(serializers.ModelSerializer):
    on_hand = serializers.DecimalField(max_digits=14, decimal_places=3, read_only=True)
    allocated = serializers.DecimalField(max_digits=14, decimal_places=3, read_only=True)
    available = serializers.DecimalField(max_digits=14, decimal_places=3, read_only=True)
    low_stock = serializers.SerializerMethodField()
    stock = StockItemSerializer(source="stock_items", many=True, read_only=True)

    class Meta:
        model = Material
        fields = ["id", "public_id", "sku", "name", "category", "unit", "cost_per_unit", "supplier", "reorder_level",
                  "notes", "on_hand", "allocated", "available", "low_stock", "stock", "created_at", "updated_at"]
        validators = []
        extra_kwargs = {"sku": {"validators": []}, "cost_per_unit": {"min_value": 0}, "reorder_level": {"min_value": 0}}

    def get_low_stock(self, material) -> bool:
        available = getattr(material, "available", None)
        return bool(material.reorder_level and available is not None and available < material.reorder_level)


# Quantities travel as text and the service reads them (``services.common.to_quantity``: at most 3
# decimals, below 1e11); these fields only tell the API schema which texts it will take.
POSITIVE_QUANTITY = r"(?:[1-9]\d{0,10}(?:\.\d{0,3})?|0?\.(?:[1-9]\d{0,2}|0[1-9]\d?|00[1-9]))"


@extend_schema_field({"type": "string", "pattern": rf"^{POSITIVE_QUANTITY}$", "example": "2.5"})
class QuantityField(serializers.CharField):
    """A quantity above zero, such as 2 or 0.5."""


@extend_schema_field({"type": "string", "pattern": rf"^-?{POSITIVE_QUANTITY}$", "example": "-2"})
class ChangeField(serializers.CharField):
    """A signed change other than zero: -2 removes two units, 3 adds three."""


@extend_schema_field({"type": "string", "pattern": r"^\d{1,11}(?:\.\d{0,3})?$", "example": "12"})
class CountField(serializers.CharField):
    """A counted quantity: zero or more."""


class StockRequestSerializer(serializers.Serializer):
    """Body of receive, consume, allocate and release; the service checks the numbers."""

    quantity = QuantityField(max_length=30)
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    lot = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    expires_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")
    reference_type = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    reference_id = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")
    from_allocation = serializers.BooleanField(required=False, default=False)
    holder = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), required=False, allow_null=True, default=None,
        help_text="Release, or consume from_allocation: whose reservation (operators; members use their own).")


class AdjustSerializer(serializers.Serializer):
    change = ChangeField(max_length=30, help_text="Signed: -2 removes two units, 3 adds three.")
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    lot = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    reason = serializers.CharField(max_length=255)


class ReceiveSerializer(StockRequestSerializer):
    """Body of receive: stock is booked in at a location, so it names one; nothing is drawn or released."""

    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    from_allocation = None
    holder = None


class StocktakeSerializer(serializers.Serializer):
    counted = CountField(max_length=30)
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    lot = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")


class TransferSerializer(serializers.Serializer):
    quantity = QuantityField(max_length=30)
    from_location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    to_location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    lot = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")


class StockMovementSerializer(serializers.ModelSerializer):
    location = serializers.IntegerField(source="stock_item.location_id", read_only=True)
    location_path = serializers.CharField(source="stock_item.location.full_name", read_only=True)
    lot = serializers.CharField(source="stock_item.lot", read_only=True)
    material_name = serializers.CharField(source="material.name", read_only=True)
    actor_name = serializers.CharField(source="actor.username", read_only=True, default=None)

    class Meta:
        model = StockMovement
        fields = ["id", "at", "material", "material_name", "stock_item", "location", "location_path", "lot", "kind",
                  "quantity", "on_hand_change", "allocated_change", "on_hand_after", "counted", "actor", "actor_name",
                  "holder", "reason", "reference_type", "reference_id", "transfer_id"]
