"""Health checks for ``GET /health``.

Each check returns ``{"status": "ok"|"error"|"not configured", "latency_ms", "detail"}``.
The database, cache and channel layer are always checked; the broker and
MQTT only when their URLs are configured. Any configured check in error
makes the whole answer 503, and ``broken`` names the failing parts.

The answer comes within ``BUDGET_SECONDS`` whatever hangs: the checks run side by side,
and one that has not answered in time is reported as an error. The cache is checked against
Redis itself, not the per-process fallback requests use while Redis is down.
"""
import asyncio
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from urllib.parse import urlparse

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections

BUDGET_SECONDS = 0.9
TIMEOUT_SECONDS = 0.8  # each dependency's own connect/answer timeout, inside the budget

# Checks that may hang on the network run here; a check that outlives the budget finishes
# (its own timeouts end it) in the background without holding the request.
_pool = ThreadPoolExecutor(max_workers=6, thread_name_prefix="health")


def _timed(check):
    started = time.perf_counter()
    try:
        detail = check()
        status = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure of a dependency is reported, not raised
        detail, status = f"{type(exc).__name__}: {exc}", "error"
    return {"status": status, "latency_ms": round((time.perf_counter() - started) * 1000, 2), "detail": detail or ""}


def _in_thread(check):
    """Run a check in a pool thread, closing any database connection that thread opened."""
    try:
        return _timed(check)
    finally:
        connections.close_all()


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache():
    key = f"health:{uuid.uuid4().hex}"
    store = getattr(cache, "unbuffered", cache)  # Redis itself, not the outage fallback
    store.set(key, "1", 5)
    if store.get(key) != "1":
        raise RuntimeError("cache did not return what was written")
    store.delete(key)


def check_channel_layer():
    layer = get_channel_layer()

    async def roundtrip():
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "health.ping"})
        return await layer.receive(channel)

    async def within_timeout():
        return await asyncio.wait_for(roundtrip(), TIMEOUT_SECONDS)

    message = async_to_sync(within_timeout)()
    if message.get("type") != "health.ping":
        raise RuntimeError("channel layer returned another message")
    return type(layer).__name__


def check_broker():
    from config.celery import app

    from .outbox import waiting

    with app.connection_for_write(connect_timeout=TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=0, timeout=TIMEOUT_SECONDS)
    return f"{urlparse(settings.CELERY_BROKER_URL).scheme}; {waiting()} job(s) waiting in the outbox"


def check_mqtt():
    """Open a real MQTT session (CONNECT, wait for CONNACK) and close it."""
    import paho.mqtt.client as mqtt

    url = urlparse(settings.MQTT_URL)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"benchtop-health-{uuid.uuid4().hex[:8]}")
    if url.username:
        client.username_pw_set(url.username, url.password)
    client.connect_timeout = TIMEOUT_SECONDS
    client.connect(url.hostname or "127.0.0.1", url.port or 1883, keepalive=10)
    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        while not client.is_connected():
            if time.monotonic() > deadline:
                raise TimeoutError("no CONNACK from the broker")
            client.loop(timeout=0.1)
    finally:
        client.disconnect()
    return f"{url.hostname}:{url.port or 1883}"


def run_checks() -> tuple[bool, dict]:
    """Run every check within the budget; returns (healthy, results by name)."""
    started = time.monotonic()
    threaded = {"cache": check_cache}
    if settings.REDIS_URL:
        threaded["broker"] = check_broker
    if settings.MQTT_URL:
        threaded["mqtt"] = check_mqtt
    futures = {name: _pool.submit(_in_thread, check) for name, check in threaded.items()}
    # The database and the channel layer run here: the test database and the ASGI server's
    # event loop belong to this thread.
    results = {"database": _timed(check_database), "channel_layer": _timed(check_channel_layer)}
    for name, future in futures.items():
        try:
            results[name] = future.result(timeout=max(0.0, BUDGET_SECONDS - (time.monotonic() - started)))
        except FutureTimeout:
            results[name] = {"status": "error", "latency_ms": round((time.monotonic() - started) * 1000, 2),
                             "detail": f"no answer within {BUDGET_SECONDS} s"}
    for name in ("broker", "mqtt"):
        results.setdefault(name, _not_configured())
    results = {name: results[name] for name in ("database", "cache", "channel_layer", "broker", "mqtt")}
    healthy = all(result["status"] != "error" for result in results.values())
    return healthy, results


def _not_configured():
    return {"status": "not configured", "latency_ms": 0, "detail": ""}
