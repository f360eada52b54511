"""Testbed figures, printed (never run as tests), against PostgreSQL.

1. Topology resolver: a 6-node topology (a chain of six device types, fibre or patch-panel
   edges) over 500 devices and 2,000 links with 5,000 bookings around the window; median
   time per strategy.
2. Recommendations: ``recommend`` for one device type with 100k bookings in the table;
   median and p99 latency.
3. Switching round trip per driver against its simulator: Raritan JSON-RPC (local HTTP
   server), SNMP v2c and v3 authPriv SHA/AES (a pysnmp agent on loopback) and a Tasmota plug on the
   MQTT broker (``MQTT_URL``, skipped when unset).

Run: ``.venv/bin/python bench/bench_testbed.py`` (database ``bt_tb_bench`` on the local server
unless ``BENCH_TESTBED_DATABASE_URL`` says otherwise; it is emptied and refilled).
``bench/bench_testbed.py switching`` prints only the switching round trips (no database fill).
"""
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_TESTBED_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bt_tb_bench")
DEVICES, LINKS, TYPES, PORTS = 500, 2000, 6, 24
ROUNDS = 7


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def fill_lab():
    """500 devices of six types, 2,000 links between free ports, 5,000 bookings around next week."""
    from django.db import connection
    from django.utils import timezone

    from accounts.tests.factories import UserFactory
    from inventory.models import DeviceType
    from scheduler.models import Booking, Device, DeviceLink, LinkEnd

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE scheduler_linkend, scheduler_devicelink, scheduler_booking_collaborators, "
                       "scheduler_booking, scheduler_outlet_devices, scheduler_outlet, scheduler_pdu, "
                       "scheduler_maintenancewindow, scheduler_device RESTART IDENTITY CASCADE")
    DeviceType.objects.filter(name__startswith="bench-type-").delete()
    ports = [{"name": f"p{n}"} for n in range(PORTS)]
    kinds = [DeviceType.objects.create(name=f"bench-type-{n}", category="compute", ports=ports) for n in range(TYPES)]
    devices = Device.objects.bulk_create(
        Device(name=f"bench-dev-{n}", device_type=kinds[n % TYPES]) for n in range(DEVICES))
    rng = random.Random(16)
    free = {d.pk: [p["name"] for p in ports] for d in devices}
    links = DeviceLink.objects.bulk_create(DeviceLink(link_type=rng.choice(["fibre", "patch_panel"]))
                                           for _ in range(LINKS))
    ends = []
    for link in links:
        a, b = rng.sample([d for d in devices if free[d.pk]], 2)
        ends += [LinkEnd(link=link, device=a, port=free[a.pk].pop()),
                 LinkEnd(link=link, device=b, port=free[b.pk].pop())]
    LinkEnd.objects.bulk_create(ends)
    user = UserFactory(username=f"bench-{uuid.uuid4().hex[:6]}", role="member")
    base = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
    Booking.objects.bulk_create(
        Booking(device=rng.choice(devices), user=user, status=rng.choice(["pending", "rejected", "cancelled"]),
                start=base + timedelta(hours=h), end=base + timedelta(hours=h + 2))
        for h in (rng.randrange(-24 * 14, 24 * 14) for _ in range(5000)))
    return kinds, base, user


def bench_resolver(kinds, base):
    from scheduler.topology import STRATEGIES, resolve

    spec = {"nodes": [{"id": f"n{i}", "type": k.name} for i, k in enumerate(kinds)],
            "edges": [{"from": f"n{i}", "to": f"n{i + 1}", "link_types": ["fibre", "patch_panel"]}
                      for i in range(len(kinds) - 1)]}
    print(f"Topology resolver, {len(kinds)} nodes over {DEVICES} devices and {LINKS} links (median of {ROUNDS}):")
    for strategy in STRATEGIES:
        times, best = [], None
        for _ in range(ROUNDS):
            began = time.perf_counter()
            answer = resolve(spec, base, base + timedelta(hours=4), strategy=strategy, limit=5)
            times.append(time.perf_counter() - began)
            best = answer["candidates"][0] if answer["candidates"] else None
        score = f"best score {best['score']}, {best['hops']} hops" if best else "no candidate"
        print(f"  {strategy:<12} {ms(statistics.median(times))}  ({score}, {len(answer['clashes'])} clashes)")


def bench_recommendations(kinds, base, user):
    from django.db import connection

    from scheduler.queries_recommend import recommend

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO scheduler_booking (device_id, user_id, start, "end", status, comment, reason,
                                           created_at, updated_at)
            SELECT 1 + (i %% %(devices)s), %(user)s,
                   now() - interval '300 days' + (i / %(devices)s) * interval '3 hours',
                   now() - interval '300 days' + (i / %(devices)s) * interval '3 hours' + interval '1 hour',
                   (ARRAY['confirmed','rejected','cancelled','expired'])[1 + i %% 4], '', '', now(), now()
            FROM generate_series(0, 94999) AS i
            """, {"devices": DEVICES, "user": user.pk})
        cursor.execute("SELECT count(*) FROM scheduler_booking")
        total = cursor.fetchone()[0]
        cursor.execute("ANALYZE scheduler_booking")
    times = []
    for _ in range(20):
        began = time.perf_counter()
        answer = recommend(kinds[0], base, base + timedelta(hours=2), user=user)
        times.append(time.perf_counter() - began)
    times.sort()
    print(f"Recommendations for one type ({len(answer['devices'])} devices) with {total} bookings: "
          f"median {ms(statistics.median(times))}, p99 {ms(times[-1])} (20 runs)")


def bench_switching():
    from django.conf import settings

    from scheduler.power.raritan import RaritanDriver
    from scheduler.power.simulators import RaritanServer, TasmotaPlug
    from scheduler.power.tasmota import TasmotaDriver

    sim = RaritanServer(outlets=8, password="bench")
    try:
        driver = RaritanDriver(sim.url, "admin", "bench", {}, 5)
        print(f"Raritan JSON-RPC switch with read-back: {switch_times(driver, 8)}")
    finally:
        sim.close()
    from scheduler.power.snmp import SnmpDriver
    from scheduler.power.snmp_agent import SnmpPduAgent

    agent = SnmpPduAgent(outlets=8, community="bench")
    try:
        driver = SnmpDriver(f"127.0.0.1:{agent.port}", "", "bench", {"outlets": 8}, 5)
        print(f"SNMP v2c SET with GET read-back (pysnmp agent): {switch_times(driver, 8)}")
    finally:
        agent.close()
    agent = SnmpPduAgent(outlets=8, v3_user="bench", auth_key="bench-auth-key", priv_key="bench-priv-key")
    try:
        driver = SnmpDriver(f"127.0.0.1:{agent.port}", "bench", "bench-auth-key", {"outlets": 8, "version": "3"}, 5,
                            "bench-priv-key")
        print("SNMP v3 authPriv (SHA, AES-128) SET with GET read-back (pysnmp agent, engine discovery included): "
              f"{switch_times(driver, 8)}")
    finally:
        agent.close()
    if not settings.MQTT_URL:
        print("Tasmota over MQTT: skipped (MQTT_URL is not set)")
        return
    plug = TasmotaPlug(settings.MQTT_URL, f"bench-{uuid.uuid4().hex[:8]}", relays=2)
    try:
        driver = TasmotaDriver(plug.topic, options={}, timeout=5)
        print(f"Tasmota plug over MQTT, switch with read-back (connect included): {switch_times(driver, 2)}")
    finally:
        plug.close()


def switch_times(driver, outlets: int, rounds: int = 20) -> str:
    """Switch outlets on and off in turn; the median and worst round trip."""
    times = []
    for n in range(rounds):
        began = time.perf_counter()
        driver.switch(1 + n % outlets, n % 2 == 0)
        times.append(time.perf_counter() - began)
    return f"median {ms(statistics.median(times))}, max {ms(max(times))} ({rounds} switches)"


def main():
    setup_django(DATABASE_URL=DATABASE_URL)
    if sys.argv[1:] == ["switching"]:
        bench_switching()
        return
    kinds, base, user = fill_lab()
    bench_resolver(kinds, base)
    bench_recommendations(kinds, base, user)
    bench_switching()


if __name__ == "__main__":
    main()
