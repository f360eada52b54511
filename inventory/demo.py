"""Demo inventory: a site with a room, a rack and shelves, a few assets and materials with stock."""
from datetime import timedelta

from django.utils import timezone

from accounts import roles
from accounts.demo import get_demo_user

from . import services
from .models import Asset, DeviceType, Location, Manufacturer, Material, Tag


def _location(operator, name, kind, parent=None, **extra):
    found = Location.objects.filter(name=name, parent=parent).first()
    return found or services.create_location(operator, name=name, kind=kind, parent=parent, **extra)


def _catalog(operator, model, name, **fields):
    """The catalogue row named ``name``, created through the catalogue service when missing."""
    found = model.objects.filter(name=name).first()
    return found or services.create_catalog_item(operator, model, name=name, **fields)


def seed(stdout):
    """Create the demo inventory once; a second run finds it and changes nothing."""
    operator = get_demo_user(roles.OPERATOR)
    site = _location(operator, "Main lab", "site")
    room = _location(operator, "Room 101", "room", site)
    rack = _location(operator, "Rack A", "rack", room, rack_units=42)
    shelf = _location(operator, "Shelf 1", "shelf", room)
    bin_ = _location(operator, "Bin 3", "bin", shelf)

    maker = _catalog(operator, Manufacturer, "Prusa Research")
    netgear = _catalog(operator, Manufacturer, "Netgear")
    kinds = {
        "printer": _catalog(operator, DeviceType, "Prusa MK4", category="machine", manufacturer=maker,
                            schedulable=True, rack_units=1),
        "switch": _catalog(operator, DeviceType, "GS108 switch", category="infra", manufacturer=netgear, rack_units=1,
                           ports=[{"name": f"port{i}", "kind": "rj45"} for i in range(1, 9)]),
        "server": _catalog(operator, DeviceType, "2U compute node", category="compute", schedulable=True,
                           rack_units=2),
    }
    tag = _catalog(operator, Tag, "shared")
    for name, color in [("calibrated", "#2e7d32"), ("needs-repair", "#c62828")]:
        _catalog(operator, Tag, name, color=color)
    if not Asset.objects.exists():
        today = timezone.localdate()
        printer = services.create_asset(operator, name="Printer 1", device_type=kinds["printer"], location=room,
                                        serial_number="MK4-0001", tags=[tag])
        services.create_asset(operator, name="Top-of-rack switch", device_type=kinds["switch"], location=rack,
                              rack_position=42, management_ip="10.0.0.2")
        services.create_asset(operator, name="Node 1", device_type=kinds["server"], location=rack, rack_position=1,
                              management_ip="10.0.0.11", tags=[tag])
        services.create_asset(operator, name="Spare printer", device_type=kinds["printer"], location=shelf,
                              status="spare")
        services.add_maintenance_record(operator, printer, summary="Nozzle replaced", cost="12.00",
                                        parts="0.4 mm nozzle", performed_on=today - timedelta(days=80),
                                        next_due=today + timedelta(days=10))
        services.add_maintenance_record(operator, printer, summary="Bed levelled", performed_on=today - timedelta(
            days=20), next_due=today + timedelta(days=40))
        spare = Asset.objects.get(name="Spare printer")
        services.check_out_asset(get_demo_user(roles.MEMBER), spare, expected_return=today + timedelta(days=7))
    for sku, name, category, unit, cost, level, qty, where in [
        ("PLA-BLK", "PLA black", "filament", "g", "0.025", "500", "2000", shelf),
        ("PETG-CLR", "PETG clear", "filament", "g", "0.030", "500", "300", shelf),
        ("RES-GRY", "Grey resin", "resin", "ml", "0.060", "250", "1000", bin_),
        ("M3-12", "M3x12 screws", "metal", "pcs", "0.04", "100", "400", bin_),
    ]:
        if not Material.objects.filter(sku=sku).exists():
            material = services.create_material(operator, sku=sku, name=name, category=category, unit=unit,
                                                cost_per_unit=cost, reorder_level=level)
            services.receive_stock(operator, material, qty, location=where, reason="demo stock")
    stdout.write(f"  inventory: {Location.objects.count()} locations, {Asset.objects.count()} assets, "
                 f"{Material.objects.count()} materials")
