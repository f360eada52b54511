"""Factories for inventory rows; state changes in tests go through the services."""
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from inventory.models import (
    Asset,
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


class ManufacturerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Manufacturer

    name = factory.Sequence(lambda n: f"Maker {n}")


class DeviceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeviceType

    name = factory.Sequence(lambda n: f"Device type {n}")
    category = DeviceType.Category.COMPUTE
    rack_units = 1


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag{n}")


class LocationFactory(factory.django.DjangoModelFactory):
    """A location with its tree path filled the way the service fills it."""

    class Meta:
        model = Location
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Place {n}")
    kind = Location.Kind.ROOM
    parent = None

    @factory.post_generation
    def paths(self, create, extracted, **kwargs):
        from inventory.services.locations import _set_path

        _set_path(self)
        if create:
            self.save(update_fields=["tree_path", "full_name", "depth"])


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    inventory_id = factory.Sequence(lambda n: f"T-{n:06d}")
    name = factory.Sequence(lambda n: f"Asset {n}")
    device_type = factory.SubFactory(DeviceTypeFactory)
    status = Asset.Status.ACTIVE


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    sku = factory.Sequence(lambda n: f"MAT-{n}")
    name = factory.Sequence(lambda n: f"Material {n}")
    category = Material.Category.FILAMENT
    unit = "g"
    cost_per_unit = Decimal("0.02")
    reorder_level = Decimal("0")


class StockItemFactory(factory.django.DjangoModelFactory):
    """An empty stock row; fill it with ``services.receive_stock``."""

    class Meta:
        model = StockItem

    material = factory.SubFactory(MaterialFactory)
    location = factory.SubFactory(LocationFactory)


class MaintenanceRecordFactory(factory.django.DjangoModelFactory):
    """A record as a scene; one that should move the asset's due date goes through the service."""

    class Meta:
        model = MaintenanceRecord

    asset = factory.SubFactory(AssetFactory)
    performed_on = factory.LazyFunction(timezone.localdate)
    summary = "Cleaned and checked"


class CheckoutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checkout

    asset = factory.SubFactory(AssetFactory)
    to_user = factory.SubFactory(UserFactory)
    checked_out_by = factory.SelfAttribute("to_user")
    checked_out_at = factory.LazyFunction(timezone.now)


class StockMovementFactory(factory.django.DjangoModelFactory):
    """A ledger row as a scene (the quantities are not summed into the item: use the stock services for that)."""

    class Meta:
        model = StockMovement

    stock_item = factory.SubFactory(StockItemFactory)
    material = factory.SelfAttribute("stock_item.material")
    kind = StockMovement.Kind.RECEIVE
    quantity = Decimal("1")
    on_hand_change = Decimal("1")
    on_hand_after = Decimal("1")
    actor = factory.SubFactory(UserFactory)
