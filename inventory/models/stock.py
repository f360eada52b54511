"""Materials and the stock ledger.

Every change of quantity is a ``StockMovement`` row; ``StockItem.quantity`` and
``StockItem.allocated`` are running balances that the services update in the same
transaction as the ledger row, under a row lock, so they always equal the ledger sums.
The database refuses a negative balance (check constraints) whatever code path tries.
"""
from django.conf import settings
from django.db import models

from core.models import PublicIdModel

from .locations import Location

QTY = {"max_digits": 14, "decimal_places": 3}


class Material(PublicIdModel):
    """A consumable counted in a unit (grams of filament, metres of cable)."""

    class Category(models.TextChoices):
        FILAMENT = "filament", "Filament"
        RESIN = "resin", "Resin"
        WOOD = "wood", "Wood"
        METAL = "metal", "Metal"
        ELECTRONIC = "electronic", "Electronic"
        OTHER = "other", "Other"

    sku = models.CharField(max_length=40, unique=True, help_text="Short code printed on the label.")
    name = models.CharField(max_length=150)
    category = models.CharField(max_length=12, choices=Category.choices, default=Category.OTHER, db_index=True)
    unit = models.CharField(max_length=20, help_text="g, m, pcs, ml ...")
    cost_per_unit = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    supplier = models.CharField(max_length=150, blank=True)
    reorder_level = models.DecimalField(**QTY, default=0)
    notes = models.TextField(blank=True)
    # Set when available stock fell below the reorder level and operators were told; cleared when
    # stock is back above it, so a long run of movements below the level notifies only once.
    low_stock_since = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(cost_per_unit__gte=0), name="inventory_material_cost_gte_0"),
            models.CheckConstraint(condition=models.Q(reorder_level__gte=0), name="inventory_material_reorder_gte_0"),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"


class StockItem(models.Model):
    """How much of a material sits at one location (and lot)."""

    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="stock_items")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="stock_items")
    lot = models.CharField(max_length=50, blank=True, default="")
    expires_on = models.DateField(null=True, blank=True)
    quantity = models.DecimalField(**QTY, default=0, help_text="On hand: the sum of the ledger.")
    allocated = models.DecimalField(**QTY, default=0, help_text="Reserved for a purpose, not yet consumed.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["material_id", "location_id", "lot"]
        constraints = [
            models.UniqueConstraint(fields=["material", "location", "lot"], name="inventory_stock_unique_lot"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="inventory_stock_quantity_gte_0"),
            models.CheckConstraint(condition=models.Q(allocated__gte=0), name="inventory_stock_allocated_gte_0"),
            models.CheckConstraint(condition=models.Q(allocated__lte=models.F("quantity")),
                                   name="inventory_stock_allocated_lte_quantity"),
        ]

    def __str__(self):
        lot = f" lot {self.lot}" if self.lot else ""
        return f"{self.material.name} @ {self.location}{lot}"

    @property
    def available(self):
        return self.quantity - self.allocated


class StockMovement(models.Model):
    """One ledger row: a change of on-hand and/or allocated quantity, with who, why and what caused it."""

    class Kind(models.TextChoices):
        RECEIVE = "receive", "Receive"
        CONSUME = "consume", "Consume"
        ALLOCATE = "allocate", "Allocate"
        RELEASE = "release", "Release"
        ADJUST = "adjust", "Adjust"
        STOCKTAKE = "stocktake", "Stocktake"
        TRANSFER_OUT = "transfer_out", "Transfer out"
        TRANSFER_IN = "transfer_in", "Transfer in"

    stock_item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="movements")
    # Denormalised from the stock item so the ledger filters by material without a join.
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=12, choices=Kind.choices, db_index=True)
    quantity = models.DecimalField(**QTY, help_text="Amount moved, as entered (always positive).")
    on_hand_change = models.DecimalField(**QTY, default=0)
    allocated_change = models.DecimalField(**QTY, default=0)
    on_hand_after = models.DecimalField(**QTY)
    counted = models.DecimalField(**QTY, null=True, blank=True, help_text="Stocktake: the quantity counted.")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    # Whose reservation an allocate, release or consume-from-allocation row changes (the user who
    # allocated it, whoever later releases or consumes it), so each user's share of ``allocated``
    # is a ledger sum.
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    reason = models.CharField(max_length=255, blank=True)
    # What caused the movement: a project, a machine job, a BOM line ("projects.project", "42").
    reference_type = models.CharField(max_length=100, blank=True, db_index=True)
    reference_id = models.CharField(max_length=64, blank=True)
    # Both rows of a transfer share this id.
    transfer_id = models.UUIDField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["reference_type", "reference_id"])]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=0),
                                              name="inventory_movement_quantity_gte_0")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.quantity} {self.material.unit} of {self.material.name}"
