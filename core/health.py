"""Health checks for ``GET /health``.

Each check returns ``{"status": "ok"|"error"|"not configured", "latency_ms", "detail"}``.
The database, cache and channel layer are always checked; the broker and
MQTT only when their URLs are configured. Any configured check in error
makes the whole answer 503.
"""
import time
import uuid
from urllib.parse import urlparse

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection

TIMEOUT_SECONDS = 2.0


def _timed(check):
    started = time.perf_counter()
    try:
        detail = check()
        status = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure of a dependency is reported, not raised
        detail, status = f"{type(exc).__name__}: {exc}", "error"
    return {"status": status, "latency_ms": round((time.perf_counter() - started) * 1000, 2), "detail": detail or ""}


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache():
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", 5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was written")
    cache.delete(key)


def check_channel_layer():
    layer = get_channel_layer()

    async def roundtrip():
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "health.ping"})
        return await layer.receive(channel)

    message = async_to_sync(roundtrip)()
    if message.get("type") != "health.ping":
        raise RuntimeError("channel layer returned another message")
    return type(layer).__name__


def check_broker():
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)
    return urlparse(settings.CELERY_BROKER_URL).scheme


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
    """Run every check; returns (healthy, results by name)."""
    results = {
        "database": _timed(check_database),
        "cache": _timed(check_cache),
        "channel_layer": _timed(check_channel_layer),
        "broker": _timed(check_broker) if settings.REDIS_URL else _not_configured(),
        "mqtt": _timed(check_mqtt) if settings.MQTT_URL else _not_configured(),
    }
    healthy = all(result["status"] != "error" for result in results.values())
    return healthy, results


def _not_configured():
    return {"status": "not configured", "latency_ms": 0, "detail": ""}
