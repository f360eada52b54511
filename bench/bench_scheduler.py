"""Scheduler figures, printed (never run as tests), against PostgreSQL.

1. Booking create with its conflict check: median and p99 latency of the create service with
   1k and with 1M existing bookings. The ratio should stay near 1 because the overlap check is
   an index range scan (the plan is printed too).
2. ``GET /api/scheduler/bookings/?page_size=50`` under uvicorn with 2 workers: requests per
   second and p99, and the SQL queries one request runs for 1 and for 50 rows.

Run: ``.venv/bin/python bench/bench_scheduler.py`` (its own fresh database, see ``bench.common``;
``BENCH_SCHEDULER_SIZES=1000,1000000`` are the booking counts timed).
"""
import os
import random
import statistics
import sys
import time
from datetime import timedelta
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

DATABASE_URL = os.environ.get("BENCH_SCHEDULER_DATABASE_URL") or database_url("scheduler")
SIZES = [int(size) for size in os.environ.get("BENCH_SCHEDULER_SIZES", "1000,1000000").split(",")]
DEVICES = 100
CREATES = 300


def fill(total: int) -> None:
    """Replace all bookings with ``total`` confirmed one-hour bookings over four years, in one INSERT ... SELECT.

    Booking i goes to device i mod 100, one after another on that device, so confirmed rows never
    overlap (the exclusion constraint stays satisfied) and half of them lie in the past.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE scheduler_booking_collaborators, scheduler_booking RESTART IDENTITY CASCADE")
        cursor.execute("SELECT id FROM scheduler_device WHERE name LIKE 'bench-device-%%' ORDER BY id")
        device_ids = [row[0] for row in cursor.fetchall()]
        # Owned by someone else than the member who books during the timing, like a shared lab.
        cursor.execute("SELECT id FROM accounts_user WHERE username = 'bench-operator'")
        user_id = cursor.fetchone()[0]
        per_device = max(1, total // len(device_ids))
        step_hours = max(2.0, 4 * 365 * 24 / per_device)
        cursor.execute(
            """
            INSERT INTO scheduler_booking (device_id, user_id, start, "end", status, comment, reason,
                                           created_at, updated_at)
            SELECT (%(ids)s::bigint[])[1 + (i %% %(n)s)], %(user)s,
                   now() - interval '2 years' + ((i / %(n)s) * %(step)s) * interval '1 hour',
                   now() - interval '2 years' + ((i / %(n)s) * %(step)s + 1) * interval '1 hour',
                   'confirmed', '', '', now(), now()
            FROM generate_series(0, %(total)s - 1) AS i
            """,
            {"ids": device_ids, "n": len(device_ids), "user": user_id, "step": step_hours, "total": total},
        )
        cursor.execute("ANALYZE scheduler_booking")


def time_creates(member, devices) -> dict:
    """Latency of ``create_booking`` (policy, maintenance, overlap and holder checks, insert, audit, event)."""
    from django.utils import timezone

    from core.errors import Conflict
    from scheduler import services

    rng = random.Random(7)
    latencies, refused = [], 0
    now = timezone.now()
    for _ in range(CREATES):
        device = rng.choice(devices)
        start = now + timedelta(days=rng.randint(1, 300), minutes=rng.randint(0, 23 * 60))
        started = time.perf_counter()
        try:
            services.create_booking(member, device.pk, start, start + timedelta(minutes=45))
        except Conflict:  # the member's own earlier random booking: still a full conflict check
            refused += 1
        latencies.append(time.perf_counter() - started)
    ordered = sorted(latencies)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 2), "refused": refused}


def overlap_plan(device) -> str:
    """The PostgreSQL plan of the overlap query the create service runs."""
    from django.db import connection
    from django.utils import timezone

    from scheduler import queries

    start = timezone.now() + timedelta(days=10)
    sql, params = queries.overlapping(device.pk, start, start + timedelta(hours=1)).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return " | ".join(row[0].strip() for row in cursor.fetchall()[:3])


def main():
    env = setup_django(DATABASE_URL=DATABASE_URL)
    from accounts.roles import MEMBER, OPERATOR
    from scheduler.models import Device

    users = {role: bench_user(name, role, notification_preferences={"email": False, "discord": False})
             for name, role in (("bench-member", MEMBER), ("bench-operator", OPERATOR))}
    for n in range(DEVICES):
        Device.objects.get_or_create(name=f"bench-device-{n:03d}", defaults={"max_holders": 100})
    devices = list(Device.objects.filter(name__startswith="bench-device-"))
    member = users[MEMBER]

    operator = users[OPERATOR]
    headers = {"Authorization": f"Bearer {access_token(operator)}"}
    figures, lists = {}, {}
    for total in SIZES:
        started = time.monotonic()
        fill(total)
        filled = time.monotonic() - started
        figures[total] = time_creates(member, devices) | {"fill_s": round(filled, 1), "plan": overlap_plan(devices[0])}
        queries = (queries_per_request("/api/scheduler/bookings/", operator, page_size=1),
                   queries_per_request("/api/scheduler/bookings/", operator, page_size=50))
        with served(env, workers=2) as base:
            lists[total] = load(f"{base}/api/scheduler/bookings/?page_size=50", headers=headers,
                                concurrency=16, duration=10) | {"queries": queries}

    for total, fig in figures.items():
        report(f"booking create with conflict check, {total:,} existing bookings ({CREATES} creates)", [
            ("p50 ms", fig["p50_ms"]), ("p99 ms", fig["p99_ms"]), ("refused (own overlap)", fig["refused"]),
            ("INSERT ... SELECT took s", fig["fill_s"]), ("overlap query plan", fig["plan"]),
        ])
    small, big = figures[SIZES[0]], figures[SIZES[-1]]
    report(f"ratio {SIZES[-1]:,} / {SIZES[0]:,}", [("p50", round(big["p50_ms"] / small["p50_ms"], 2)),
                             ("p99", round(big["p99_ms"] / small["p99_ms"], 2))])
    for total, result in lists.items():
        report(f"GET /api/scheduler/bookings/?page_size=50, {total:,} bookings (uvicorn, 2 workers, 16 clients, "
               "10 s)", [
            ("requests per second", result["rps"]), ("p50 ms", result["p50_ms"]), ("p99 ms", result["p99_ms"]),
            ("statuses", result["statuses"]),
            ("queries per request (1 row / 50 rows)", " / ".join(map(str, result["queries"]))),
        ])


if __name__ == "__main__":
    main()
