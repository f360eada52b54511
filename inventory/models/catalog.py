"""What kinds of things the lab owns and who makes them."""
from django.db import models

from core.models import TimeStampedModel


class Manufacturer(TimeStampedModel):
    """A maker of devices and machines."""

    name = models.CharField(max_length=100, unique=True)
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class DeviceType(TimeStampedModel):
    """A kind of device (a model of switch, a printer model); assets are instances of it."""

    class Category(models.TextChoices):
        OPTICAL = "optical", "Optical"
        COMPUTE = "compute", "Compute"
        STORAGE = "storage", "Storage"
        INFRA = "infra", "Infrastructure"
        MACHINE = "machine", "Machine"

    name = models.CharField(max_length=100, unique=True)
    category = models.CharField(max_length=20, choices=Category.choices, db_index=True)
    manufacturer = models.ForeignKey(Manufacturer, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="device_types")
    model_number = models.CharField(max_length=100, blank=True)
    schedulable = models.BooleanField(default=False, help_text="Assets of this type can be booked.")
    # [{"name": "eth0", "kind": "rj45"}, ...]: the ports a topology can link.
    ports = models.JSONField(default=list, blank=True)
    rack_units = models.PositiveSmallIntegerField(default=1, help_text="Height in rack units (U).")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def port_count(self) -> int:
        return len(self.ports or [])


class Tag(TimeStampedModel):
    """A free label that groups assets across types and locations."""

    name = models.CharField(max_length=50, unique=True)
    color = models.CharField(max_length=7, default="#6c757d", help_text="#rrggbb")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
