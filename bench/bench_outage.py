"""Redis outage under load: requests, 5xx (goal 0), outbox and time to recover.

Serves the site (uvicorn, 1 worker, PostgreSQL) with cache, channel layer and broker on a
private redis-server, runs a bounded request loop (reads and booking writes from a few
clients), kills that Redis for ``BENCH_OUTAGE_SECONDS`` (8) in the middle, restarts it, and
prints what the clients saw. The shared Redis is never touched.

Usage: ``.venv/bin/python bench/bench_outage.py`` (``BENCH_DATABASE_URL`` as for every bench).
"""
import asyncio
import atexit
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import access_token, report, served, setup_django  # noqa: E402
from core.tests.private_redis import PrivateRedis  # noqa: E402

OUTAGE_SECONDS = float(os.environ.get("BENCH_OUTAGE_SECONDS", "8"))
BEFORE_SECONDS, AFTER_SECONDS, CLIENTS = 3.0, 6.0, 4


async def request_loop(base, headers, device_ids, stop_at, phase_of, seen):
    """Each client alternates a list read and a booking request until ``stop_at``."""
    import httpx

    async def client(index):
        slot = 0
        async with httpx.AsyncClient(headers=headers, timeout=10) as http:
            while time.monotonic() < stop_at:
                slot += 1
                if slot % 2:
                    request = http.get(f"{base}/api/scheduler/devices/")
                else:
                    from django.utils import timezone

                    start = timezone.now().replace(microsecond=0) + timedelta(days=2, hours=slot)
                    request = http.post(f"{base}/api/scheduler/bookings/", json={
                        "device": device_ids[index], "start": start.isoformat(),
                        "end": (start + timedelta(minutes=30)).isoformat()})
                started = time.monotonic()
                try:
                    status = (await request).status_code
                except httpx.HTTPError as error:
                    status = type(error).__name__
                seen.append((phase_of(started), status, time.monotonic() - started))

    await asyncio.gather(*(client(i) for i in range(CLIENTS)))


def main():
    redis = PrivateRedis()
    redis.start()
    atexit.register(redis.stop)  # also when the run fails half-way
    env = setup_django(REDIS_URL=redis.url, CELERY_TASK_ALWAYS_EAGER="false")
    from accounts.models import User
    from accounts.roles import MEMBER
    from accounts.services.users import _apply_role
    from core.models import OutboxJob
    from scheduler.models import Booking, Device

    user, _ = User.objects.get_or_create(username="bench-outage", defaults={"email": "outage@example.org"})
    _apply_role(user, MEMBER)
    devices = [Device.objects.get_or_create(name=f"Outage bench device {i}")[0] for i in range(CLIENTS)]
    Booking.objects.filter(device__in=devices).delete()
    OutboxJob.objects.all().delete()
    headers = {"Authorization": f"Bearer {access_token(user)}"}

    import httpx

    seen: list = []
    with served(env, workers=1) as base:
        t0 = time.monotonic()
        kill_at, back_at = t0 + BEFORE_SECONDS, t0 + BEFORE_SECONDS + OUTAGE_SECONDS
        stop_at = back_at + AFTER_SECONDS

        def phase_of(moment):
            return "before" if moment < kill_at else "during" if moment < back_at else "after"

        async def outage_and_load():
            health = {}

            async def chaos():
                await asyncio.sleep(kill_at - time.monotonic())
                redis.stop()
                async with httpx.AsyncClient(timeout=5) as http:
                    started = time.monotonic()
                    answer = await http.get(f"{base}/health")
                    health["during"] = (answer.status_code, answer.json().get("broken"),
                                        round(time.monotonic() - started, 3))
                await asyncio.sleep(back_at - time.monotonic())
                redis.start()
                async with httpx.AsyncClient(timeout=5) as http:
                    while time.monotonic() < stop_at:
                        if (await http.get(f"{base}/health")).status_code == 200:
                            health["recovered_after_s"] = round(time.monotonic() - back_at, 2)
                            break
                        await asyncio.sleep(0.1)

            await asyncio.gather(chaos(), request_loop(base, headers, [d.pk for d in devices], stop_at,
                                                       phase_of, seen))
            return health

        health = asyncio.run(outage_and_load())
    kept = OutboxJob.objects.count()
    from core import outbox

    sent = outbox.sweep(limit=10_000)
    redis.stop()

    def line(phase):
        rows = [s for p, s, _ in seen if p == phase]
        errors = sum(1 for s in rows if not isinstance(s, int) or s >= 500)
        slowest = max((d for p, _, d in seen if p == phase), default=0)
        codes = {}
        for s in rows:
            codes[s] = codes.get(s, 0) + 1
        return f"{len(rows)} requests, {errors} 5xx or failed, slowest {slowest * 1000:.0f} ms, {codes}"

    report(f"Redis killed for {OUTAGE_SECONDS:.0f} s under {CLIENTS} clients (uvicorn 1 worker, PostgreSQL)", [
        ("before", line("before")),
        ("during the outage", line("during")),
        ("after Redis returned", line("after")),
        ("total 5xx", sum(1 for _, s, _ in seen if not isinstance(s, int) or s >= 500)),
        ("/health during (status, broken, seconds)", health.get("during")),
        ("/health 200 again after (s)", health.get("recovered_after_s")),
        ("jobs kept in the outbox / sent after", f"{kept} / {sent}"),
    ])


if __name__ == "__main__":
    main()
