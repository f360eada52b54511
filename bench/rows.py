"""Rows the read benchmarks list: assets, bookings and stock movements, written in bulk.

The benchmarks measure reads, so the rows are written with bulk inserts rather than one service
call each; the few rows a rule depends on (locations, a material's stock item) go through the
services. Each function tops its table up to ``total`` and can run again.
"""
from datetime import date, timedelta
from decimal import Decimal


def assets(operator, total: int) -> None:
    """``total`` assets over ten rooms and five types, with tags, costs, custom fields and some checked out."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from inventory import services
    from inventory.models import Asset, Checkout, DeviceType, Location, Manufacturer, Tag

    have = Asset.objects.count()
    if have >= total:
        return
    site = Location.objects.filter(name="Bench site", parent=None).first() or services.create_location(
        operator, name="Bench site", kind="site")
    rooms = [Location.objects.filter(name=f"Bench room {i}", parent=site).first()
             or services.create_location(operator, name=f"Bench room {i}", kind="room", parent=site) for i in range(10)]
    kinds = [DeviceType.objects.get_or_create(name=f"Bench type {i}", defaults={"category": "compute"})[0]
             for i in range(5)]
    maker = Manufacturer.objects.get_or_create(name="Bench maker")[0]
    group = Group.objects.get_or_create(name="Bench lab")[0]
    tags = [Tag.objects.get_or_create(name=f"bench-{i}")[0] for i in range(3)]
    rows = [Asset(inventory_id=f"BB-{n:06d}", name=f"Bench asset {n}", device_type=kinds[n % 5],
                  location=rooms[n % 10] if n % 7 else None, manufacturer=maker if n % 2 else None,
                  owner_group=group if n % 3 == 0 else None, serial_number=f"SN{n}",
                  purchase_cost=Decimal(n % 1000) / 4 if n % 4 else None,
                  purchase_date=date(2024, 1, 1) + timedelta(days=n % 700) if n % 5 else None,
                  custom_fields={"rack": f"R{n % 40}", "ports": n % 48} if n % 2 else {})
            for n in range(have, total)]
    created = Asset.objects.bulk_create(rows, batch_size=2000)
    through = Asset.tags.through
    through.objects.bulk_create([through(asset_id=a.pk, tag_id=tags[i % 3].pk) for a in created
                                 for i in range(a.pk % 3)], batch_size=5000)
    now = timezone.now()
    Checkout.objects.bulk_create([
        Checkout(asset=a, to_user=operator if a.pk % 20 else None,
                 reference_type="" if a.pk % 20 else "projects.project",
                 reference_id="" if a.pk % 20 else str(a.pk), checked_out_by=operator, checked_out_at=now,
                 expected_return=date(2027, 1, 1) if a.pk % 3 else None)
        for a in created if a.pk % 10 == 0], batch_size=2000)


def bookings(owner, collaborator, total: int, devices: int = 100) -> None:
    """``total`` confirmed bookings on ``devices`` devices (INSERT ... SELECT); a quarter with a colleague."""
    from django.db import connection

    from scheduler.models import Booking, Device

    if Booking.objects.count() >= total:
        return
    ids = [Device.objects.get_or_create(name=f"bench-device-{n:03d}", defaults={"max_holders": 100})[0].pk
           for n in range(devices)]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO scheduler_booking (device_id, user_id, start, "end", status, comment, reason,
                                           created_at, updated_at)
            SELECT (%(ids)s::bigint[])[1 + (i %% %(n)s)], %(user)s,
                   now() - interval '1 year' + (i / %(n)s) * interval '2 hours',
                   now() - interval '1 year' + (i / %(n)s) * interval '2 hours' + interval '1 hour',
                   'confirmed', 'bench', '', now(), now()
            FROM generate_series(0, %(total)s - 1) AS i
            """,
            {"ids": ids, "n": len(ids), "user": owner.pk, "total": total},
        )
        cursor.execute(
            "INSERT INTO scheduler_booking_collaborators (booking_id, user_id) "
            "SELECT id, %s FROM scheduler_booking WHERE id %% 4 = 0", [collaborator.pk])
        cursor.execute("ANALYZE scheduler_booking")


def movements(operator, total: int) -> None:
    """``total`` stock movements of one material on one shelf: one receipt through the service, the rest in bulk."""
    from django.db import connection

    from inventory import services
    from inventory.models import Location, Material, StockItem, StockMovement

    if StockMovement.objects.count() >= total:
        return
    shelf = Location.objects.filter(name="Bench shelf", parent=None).first() or services.create_location(
        operator, name="Bench shelf", kind="shelf")
    material = Material.objects.filter(sku="BENCH-PLA").first() or services.create_material(
        operator, sku="BENCH-PLA", name="Bench PLA", unit="g")
    services.receive_stock(operator, material, "10000000", location=shelf, reason="bench")
    item = StockItem.objects.get(material=material, location=shelf)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO inventory_stockmovement (stock_item_id, material_id, kind, quantity, on_hand_change,
                   allocated_change, on_hand_after, actor_id, reason, reference_type, reference_id, at)
            SELECT %(item)s, %(material)s, 'consume', 1.5, -1.5, 0, 10000000 - i * 1.5,
                   CASE WHEN i %% 5 = 0 THEN NULL ELSE %(actor)s END, 'bench', '', '',
                   now() - (i * interval '1 minute')
            FROM generate_series(1, %(total)s - 1) AS i
            """,
            {"item": item.pk, "material": material.pk, "actor": operator.pk, "total": total},
        )
        cursor.execute("ANALYZE inventory_stockmovement")
