"""Demo machines on simulated hardware: a Marlin printer, a GRBL CNC and an MQTT sensor.

Their connections say ``"simulator": true``; the gateway (``manage.py run_gateway``) starts
a simulator for each and drives it with the real driver. Made through the services.
"""
from accounts.demo import get_demo_user
from accounts.roles import OPERATOR

from . import services
from .models import Machine

MACHINES = [
    {"name": "Prusa (Marlin)", "kind": "fdm_printer", "driver": "marlin", "device": "3D printer farm",
     "connection": {"port": "/dev/ttyACM0", "baud": 115200, "simulator": True},
     "travel": {"x": 250, "y": 210, "z": 220}, "material": "PLA-BLK", "asset": "Printer 1"},
    {"name": "Shapeoko (GRBL)", "kind": "cnc", "driver": "grbl", "device": "Laser cutter",
     "connection": {"port": "/dev/ttyUSB0", "baud": 115200, "simulator": True},
     "travel": {"x": 400, "y": 400, "z": 75}},
    {"name": "Room sensor (MQTT)", "kind": "sensor", "driver": "mqtt",
     "connection": {"topic_prefix": "benchtop/devices/room-sensor", "simulator": True}},
]


def seed(stdout):
    """Add the demo machines (once), linked to the demo devices, asset and filament when they exist."""
    from inventory.models import Asset, Material
    from scheduler.models import Device

    operator = get_demo_user(OPERATOR)
    for spec in MACHINES:
        if Machine.objects.filter(name=spec["name"]).exists():
            continue
        spec = dict(spec)
        device = Device.objects.filter(name=spec.pop("device", "")).first()
        material = Material.objects.filter(sku=spec.pop("material", "")).first()
        asset = Asset.objects.filter(name=spec.pop("asset", "")).first()
        if asset is not None and hasattr(asset, "machine"):
            asset = None
        if material is not None:
            spec["material_location"] = material.stock_items.order_by("id").first().location \
                if material.stock_items.exists() else None
        services.create_machine(operator, device=device, material=material, asset=asset, **spec)
    stdout.write(f"  equipment: {Machine.objects.count()} machines (simulated; `manage.py run_gateway` drives them)")
