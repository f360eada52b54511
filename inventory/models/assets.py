"""Physical things: assets, their files, maintenance and who has them."""
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models

from core.models import PublicIdModel, TimeStampedModel

from .catalog import DeviceType, Manufacturer, Tag
from .locations import Location


class Asset(PublicIdModel):
    """One physical thing; the record every other app points at (bookable device, machine, node)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        MAINTENANCE = "maintenance", "In maintenance"
        RETIRED = "retired", "Retired"
        SPARE = "spare", "Spare"
        PLANNED = "planned", "Planned"

    inventory_id = models.CharField(max_length=20, unique=True, editable=False,
                                    help_text="Generated, printed on the label (BT-000042).")
    name = models.CharField(max_length=150)
    serial_number = models.CharField(max_length=100, blank=True, db_index=True)
    device_type = models.ForeignKey(DeviceType, on_delete=models.PROTECT, related_name="assets")
    manufacturer = models.ForeignKey(Manufacturer, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="assets")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.PROTECT, related_name="assets")
    rack_position = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Lowest U occupied.")
    management_ip = models.GenericIPAddressField(null=True, blank=True, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    owner_group = models.ForeignKey("auth.Group", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="inventory_assets")
    tags = models.ManyToManyField(Tag, blank=True, related_name="assets")
    notes = models.TextField(blank=True)
    custom_fields = models.JSONField(default=dict, blank=True)
    purchase_date = models.DateField(null=True, blank=True)
    purchase_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    warranty_until = models.DateField(null=True, blank=True)
    # Copied from the newest maintenance record so "overdue maintenance" is a plain indexed filter.
    next_maintenance_due = models.DateField(null=True, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["inventory_id"]
        constraints = [
            models.UniqueConstraint(fields=["location", "rack_position"],
                                    condition=models.Q(rack_position__isnull=False),
                                    name="inventory_asset_one_per_rack_unit"),
        ]

    def __str__(self):
        return f"{self.inventory_id} {self.name}"


def attachment_path(instance, filename):
    """Storage name from a UUID: an upload's own name never chooses where it lands."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"inventory/attachments/{uuid.uuid4().hex}{suffix}"


class AssetAttachment(TimeStampedModel):
    """A file kept with an asset (manual, invoice, photo)."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name


class MaintenanceRecord(TimeStampedModel):
    """Work done on an asset, what it cost and when it is next due."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="maintenance_records")
    performed_on = models.DateField()
    summary = models.CharField(max_length=200, help_text="What was done.")
    details = models.TextField(blank=True)
    cost = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    parts = models.TextField(blank=True)
    done_by = models.CharField(max_length=150, blank=True, help_text="Person or company that did the work.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    next_due = models.DateField(null=True, blank=True, db_index=True)
    # When a reminder for ``next_due`` went out, so each kind of reminder is sent once.
    reminded_upcoming_at = models.DateTimeField(null=True, blank=True)
    reminded_overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-performed_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(cost__gte=0), name="inventory_maintenance_cost_gte_0")]

    def __str__(self):
        return f"{self.asset.inventory_id}: {self.summary} ({self.performed_on})"


class Checkout(TimeStampedModel):
    """An asset lent to a user or a project until it is checked in.

    The project (or any other holder) is a generic reference (``reference_type`` such as
    ``projects.project`` and its id) so later apps can hold assets without a migration here.
    """

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="checkouts")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="inventory_checkouts")
    reference_type = models.CharField(max_length=100, blank=True)
    reference_id = models.CharField(max_length=64, blank=True)
    checked_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                       related_name="+")
    checked_out_at = models.DateTimeField()
    expected_return = models.DateField(null=True, blank=True, db_index=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_out_at", "-id"]
        constraints = [
            # The database itself refuses a second open check-out of one asset.
            models.UniqueConstraint(fields=["asset"], condition=models.Q(checked_in_at__isnull=True),
                                    name="inventory_checkout_one_open_per_asset"),
            models.CheckConstraint(condition=models.Q(to_user__isnull=False) | ~models.Q(reference_type=""),
                                   name="inventory_checkout_has_holder"),
        ]

    def __str__(self):
        return f"{self.asset.inventory_id} → {self.holder_label}"

    @property
    def is_open(self) -> bool:
        return self.checked_in_at is None

    @property
    def holder_label(self) -> str:
        if self.to_user_id:
            return str(self.to_user)
        return f"{self.reference_type} #{self.reference_id}"
