"""Cables between device ports: a link has two ends, and a port takes at most one link.

"One link per port" is a unique constraint on the link ends (device, port), so the
database refuses a second cable into a port whichever side of the link it was named on.
"""
from django.db import models

from core.models import TimeStampedModel


class DeviceLink(TimeStampedModel):
    """A cable or patch between two ports of two devices."""

    class LinkType(models.TextChoices):
        FIBRE = "fibre", "Fibre"
        COPPER = "copper", "Copper"
        PATCH_PANEL = "patch_panel", "Through a patch panel"
        COAX = "coax", "Coaxial"

    link_type = models.CharField(max_length=20, choices=LinkType.choices, db_index=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        ends = " – ".join(f"{e.device_id}:{e.port}" for e in self.ends.all())
        return f"{self.get_link_type_display()} link {ends}"


class LinkEnd(models.Model):
    """One end of a link: a device and one of its type's port names."""

    link = models.ForeignKey(DeviceLink, on_delete=models.CASCADE, related_name="ends")
    device = models.ForeignKey("scheduler.Device", on_delete=models.CASCADE, related_name="link_ends")
    port = models.CharField(max_length=60)

    class Meta:
        ordering = ["link", "id"]
        constraints = [models.UniqueConstraint(fields=["device", "port"], name="one_link_per_port")]

    def __str__(self):
        return f"{self.device_id}:{self.port}"
