"""Websocket soak: how long idle sockets stay open on the Redis channel layer, and a Redis restart.

Serves the site (uvicorn, 1 worker, PostgreSQL) with the channel layer on a private
redis-server, opens ``BENCH_SOCKETS`` (20) sockets that follow ``system``, leaves them idle
for ``BENCH_SOAK_SECONDS`` (60), publishes an event, then restarts Redis (losing every group)
and publishes another. Prints how long the sockets stayed open, how fast each event
reached all of them, and whether the server then stopped on SIGTERM or had to be killed.

Usage: ``.venv/bin/python bench/bench_websocket_soak.py``.
"""
import asyncio
import atexit
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import access_token, report, served, setup_django  # noqa: E402
from core.tests.private_redis import PrivateRedis  # noqa: E402

SOCKETS = int(os.environ.get("BENCH_SOCKETS", "20"))
SOAK_SECONDS = float(os.environ.get("BENCH_SOAK_SECONDS", "60"))


def publish(kind: str) -> None:
    """Publish one event from this process; it reaches the server through Redis."""
    from django.db import transaction

    from core import events

    with transaction.atomic():
        events.publish("system", kind, {"summary": kind})


async def soak(base: str, token: str, redis: PrivateRedis) -> dict:
    import websockets
    from asgiref.sync import sync_to_async

    url = base.replace("http://", "ws://") + "/ws/"
    opened_at, closed_at, arrivals, sockets = {}, {}, {}, {}

    async def follow(index: int, subscribed: asyncio.Event):
        async with websockets.connect(url, subprotocols=["benchtop", f"bearer.{token}"],
                                      origin="http://127.0.0.1", ping_interval=None) as socket:
            opened_at[index] = time.monotonic()
            sockets[index] = socket
            await socket.recv()  # authenticated
            await socket.send(json.dumps({"action": "subscribe", "topic": "system"}))
            await socket.recv()  # subscribed
            subscribed.set()
            try:
                async for raw in socket:
                    frame = json.loads(raw)
                    if "id" in frame:
                        arrivals.setdefault(frame["type"], {})[index] = time.monotonic()
            except websockets.ConnectionClosed:
                pass
            closed_at[index] = time.monotonic()

    ready = [asyncio.Event() for _ in range(SOCKETS)]
    tasks = [asyncio.ensure_future(follow(i, ready[i])) for i in range(SOCKETS)]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), 30)
    await asyncio.sleep(SOAK_SECONDS)
    idle_open = sum(1 for i in range(SOCKETS) if i not in closed_at)
    sent = {"after idle": time.monotonic()}
    await sync_to_async(publish)("after idle")
    await asyncio.sleep(3)
    redis.stop()
    redis.start()
    sent["after Redis restart"] = time.monotonic()
    await sync_to_async(publish)("after Redis restart")
    await asyncio.sleep(20)  # sockets notice lost groups within 15 s and backfill
    end = time.monotonic()
    # Close from this side, so the server is not left waiting on open sockets when it stops.
    await asyncio.gather(*(socket.close() for socket in sockets.values()), return_exceptions=True)
    await asyncio.wait(tasks, timeout=10)
    lifetimes = [closed_at.get(i, end) - opened_at[i] for i in opened_at]
    delivery = {}
    for kind, at in sent.items():
        got = arrivals.get(kind, {})
        delivery[kind] = (len(got), round(max(got.values()) - at, 2) if got else None)
    return {"idle_open": idle_open, "lifetimes": lifetimes, "delivery": delivery,
            "closed_early": len([i for i in closed_at if closed_at[i] < end])}


def main():
    redis = PrivateRedis()
    redis.start()
    atexit.register(redis.stop)  # also when the run fails half-way
    env = setup_django(REDIS_URL=redis.url, CELERY_TASK_ALWAYS_EAGER="true")
    from accounts.models import User

    user, _ = User.objects.get_or_create(username="bench-soak", defaults={"email": "soak@example.org"})
    with served(env, workers=1) as base:
        result = asyncio.run(soak(base, access_token(user), redis))
    redis.stop()
    how, seconds = base.stopped
    lifetimes = result["lifetimes"]
    report(f"{SOCKETS} idle websockets on the Redis channel layer (uvicorn 1 worker)", [
        (f"open after {SOAK_SECONDS:.0f} s idle", f"{result['idle_open']} of {SOCKETS}"),
        ("time open (min / median, s)", f"{min(lifetimes):.1f} / {statistics.median(lifetimes):.1f}"),
        ("closed before the end", result["closed_early"]),
        *[(f"event {kind}: sockets reached, seconds to the last", value)
          for kind, value in result["delivery"].items()],
        ("server stop (SIGTERM, then SIGKILL to its group)", f"{how} in {seconds} s"),
    ])


if __name__ == "__main__":
    main()
