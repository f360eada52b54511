"""Where things are: a tree of sites, rooms, racks, shelves and bins."""
from django.db import models

from core.models import PublicIdModel


class Location(PublicIdModel):
    """One node of the location tree.

    ``tree_path`` is the chain of ids from the root (``/1/4/9/``) so a subtree is one
    indexed prefix query; ``full_name`` is the chain of names for display. Both are
    kept by ``services.move_location`` / ``update_location``, never written directly.
    """

    class Kind(models.TextChoices):
        SITE = "site", "Site"
        ROOM = "room", "Room"
        RACK = "rack", "Rack"
        SHELF = "shelf", "Shelf"
        BIN = "bin", "Bin"

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    rack_units = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Height of a rack in U.")
    description = models.TextField(blank=True)
    tree_path = models.CharField(max_length=500, blank=True, db_index=True, editable=False)
    full_name = models.CharField(max_length=1000, blank=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="inventory_location_unique_name_in_parent"),
            models.CheckConstraint(condition=models.Q(rack_units__isnull=True) | models.Q(kind="rack"),
                                   name="inventory_location_units_only_on_racks"),
        ]

    def __str__(self):
        return self.full_name or self.name
