"""Inventory figures under uvicorn (2 workers) on PostgreSQL.

1. Consumption under contention: 16 clients POST /api/inventory/materials/<id>/consume/ against one stock row.
2. GET /api/inventory/assets/?page_size=50 with 10 000 assets: rps, p99 and queries per request.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    access_token,
    bench_user,
    database_url,
    load,
    queries_per_request,
    report,
    served,
    setup_django,
)

ASSETS = 10_000


def main():
    env = setup_django(DATABASE_URL=database_url("inventory"))
    from bench import rows
    from inventory import services
    from inventory.models import Location, Material, StockItem

    operator, member = bench_user("bench-inv-operator", "operator"), bench_user("bench-inv-member", "member")
    shelf = Location.objects.filter(name="Bench shelf", parent=None).first() or services.create_location(
        operator, name="Bench shelf", kind="shelf")
    material = Material.objects.filter(sku="BENCH-PLA").first() or services.create_material(
        operator, sku="BENCH-PLA", name="Bench PLA", unit="g")
    services.receive_stock(operator, material, "10000000", location=shelf, reason="bench")
    rows.assets(operator, ASSETS)

    before = StockItem.objects.get(material=material).quantity
    queries_per_request("/api/inventory/assets/", member, page_size=1)  # warm the user's cached role
    q_50 = queries_per_request("/api/inventory/assets/", member, page_size=50)
    q_5 = queries_per_request("/api/inventory/assets/", member, page_size=5)
    headers = {"Authorization": f"Bearer {access_token(member)}"}
    with served(env, workers=2) as base:
        consume = load(f"{base}/api/inventory/materials/{material.pk}/consume/", method="POST", headers=headers,
                       body={"quantity": "1", "location": shelf.pk, "reason": "bench"}, concurrency=16, duration=10)
        listing = load(f"{base}/api/inventory/assets/?page_size=50", headers=headers, concurrency=16, duration=10)
    after = StockItem.objects.get(material=material).quantity
    consumed = before - after

    report("POST /api/inventory/materials/<id>/consume/ on one stock row (uvicorn 2 workers, PostgreSQL, 16 clients,"
           " 10 s)", [
        ("requests per second", consume["rps"]), ("p50 ms", consume["p50_ms"]), ("p99 ms", consume["p99_ms"]),
        ("statuses", consume["statuses"]),
        ("units consumed = successful requests (incl. warm-up)", f"{consumed} (ledger consistent: "
                                                                  f"{_ledger_ok(material)})"),
    ])
    report(f"GET /api/inventory/assets/?page_size=50 with {ASSETS} assets (same setup)", [
        ("requests per second", listing["rps"]), ("p50 ms", listing["p50_ms"]), ("p99 ms", listing["p99_ms"]),
        ("statuses", listing["statuses"]), ("queries per request (5 rows / 50 rows)", f"{q_5} / {q_50}"),
    ])


def _ledger_ok(material) -> bool:
    from django.db.models import Sum

    from inventory.models import StockItem, StockMovement

    ledger = StockMovement.objects.filter(material=material).aggregate(s=Sum("on_hand_change"))["s"]
    return ledger == StockItem.objects.get(material=material).quantity


if __name__ == "__main__":
    main()
