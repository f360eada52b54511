"""What the system status page shows: the host, the services Benchtop needs, the gateway and each machine.

Every reading is taken when asked (nothing here is cached) and each service check is
bounded by a short timeout, so a dead service shows as an error in about a second
instead of hanging the page.
"""
import json
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

import psutil
from django.conf import settings
from django.db.models import Count, Max, Min
from django.utils import timezone

from core import health
from core.models import OutboxJob
from equipment import states
from equipment.models import Command, Machine

QUEUES = ("default", "hardware")
SENT_AT = "benchtop_sent_at"  # a header every task carries from its publisher (see stamp_sent_at)


def stamp_sent_at(sender=None, headers=None, **kwargs):
    """Celery's ``before_task_publish``: note when a task was queued, so the oldest waiting one has an age."""
    if headers is not None:
        headers.setdefault(SENT_AT, time.time())


def host() -> dict:
    """CPU, memory, disk and temperatures of the machine the web runs on."""
    memory = psutil.virtual_memory()
    media = Path(settings.MEDIA_ROOT)
    disk = psutil.disk_usage(str(media if media.exists() else media.anchor or "/"))
    temperatures = []
    read = getattr(psutil, "sensors_temperatures", None)
    for chip, sensors in (read() if read else {}).items():
        for sensor in sensors:
            if sensor.current is not None:
                temperatures.append({"sensor": f"{chip} {sensor.label}".strip(), "celsius": round(sensor.current, 1),
                                     "high": sensor.high})
    load = psutil.getloadavg()
    return {
        "cpu_percent": psutil.cpu_percent(interval=0.1),
        "cpu_count": psutil.cpu_count(),
        "load": [round(value, 2) for value in load],
        "memory_percent": memory.percent,
        "memory_used_mb": round((memory.total - memory.available) / 2**20),
        "memory_total_mb": round(memory.total / 2**20),
        "disk_percent": disk.percent,
        "disk_free_gb": round(disk.free / 2**30, 2),
        "temperatures": temperatures,
        "uptime_seconds": round(time.time() - psutil.boot_time()),
    }


def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=health.TIMEOUT_SECONDS,
                                socket_connect_timeout=health.TIMEOUT_SECONDS)


def check_redis():
    """PING the Redis server; its version."""
    client = _redis()
    client.ping()
    return f"redis {client.info('server').get('redis_version', '?')}"


def message_age(raw: bytes | None, now: float | None = None) -> float | None:
    """Seconds a Celery message (as kombu stores it in Redis) has waited: since it was queued (its
    ``benchtop_sent_at`` header), else since its ETA; None when it says neither, 0 for no message."""
    if raw is None:
        return 0.0
    now = now if now is not None else time.time()
    try:
        headers = json.loads(raw).get("headers") or {}
    except (ValueError, AttributeError):
        return None
    sent = headers.get(SENT_AT)
    if isinstance(sent, (int, float)):
        return round(max(0.0, now - sent), 1)
    eta = headers.get("eta")
    if isinstance(eta, str):
        try:
            return round(max(0.0, now - datetime.fromisoformat(eta).timestamp()), 1)
        except ValueError:
            return None
    return None


def queues(names=QUEUES) -> list[dict]:
    """Celery's queues when Redis is the broker: waiting tasks (the length of the queue's list) and the
    oldest one's age. Kombu pushes on the left and workers pop on the right, so the oldest is at index -1."""
    if not settings.REDIS_URL:
        return []
    try:
        client = _redis()
        now = time.time()
        rows = []
        for name in names:
            with client.pipeline() as pipe:
                depth, oldest = pipe.llen(name).lindex(name, -1).execute()
            rows.append({"name": name, "depth": depth, "oldest_seconds": message_age(oldest, now)})
        return rows
    except Exception as exc:  # noqa: BLE001 - Redis down shows on the queues, it does not break the page
        return [{"name": name, "depth": None, "oldest_seconds": None, "error": f"{type(exc).__name__}: {exc}"}
                for name in names]


def outbox(now=None) -> dict:
    """Jobs waiting in the PostgreSQL outbox because the broker was down: how many, and the oldest one's age."""
    now = now or timezone.now()
    found = OutboxJob.objects.aggregate(waiting=Count("id"), oldest=Min("created_at"))
    age = (now - found["oldest"]).total_seconds() if found["oldest"] else 0.0
    return {"waiting": found["waiting"], "oldest_seconds": round(max(0.0, age), 1)}


def workers() -> dict:
    """Celery workers answering a ping within a second (none is an error while tasks go to a broker)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "ok", "detail": "tasks run inline (CELERY_TASK_ALWAYS_EAGER)", "names": []}
    from config.celery import app

    try:
        answers = app.control.inspect(timeout=1.0).ping() or {}
    except Exception as exc:  # noqa: BLE001 - an unreachable broker is reported, not raised
        return {"status": "error", "detail": f"{type(exc).__name__}: {exc}", "names": []}
    names = sorted(answers)
    return {"status": "ok" if names else "error", "detail": f"{len(names)} answering" if names else
            "no worker answered", "names": names}


def services() -> dict:
    """PostgreSQL (or SQLite), Redis and the MQTT broker, each ok / error / not configured, with latency."""
    return {
        "database": health._timed(health.check_database),
        "redis": health._timed(check_redis) if settings.REDIS_URL else health._not_configured(),
        "mqtt": health._timed(health.check_mqtt) if settings.MQTT_URL else health._not_configured(),
    }


def gateway(now=None) -> dict:
    """The gateway as its stored work shows it: commands waiting unclaimed, and its last sign of life."""
    now = now or timezone.now()
    waiting = Command.objects.filter(status=Command.Status.QUEUED).aggregate(oldest=Min("created_at"))["oldest"]
    last_done = Command.objects.aggregate(last=Max("done_at"))["last"]
    last_seen = Machine.objects.aggregate(last=Max("last_seen_at"))["last"]
    signs = [moment for moment in (last_done, last_seen) if moment]
    wait = (now - waiting).total_seconds() if waiting else 0.0
    limit = settings.WORKSHOP_COMMAND_WAIT_WARN_SECONDS
    return {
        "status": "error" if wait > limit else "ok",
        "oldest_command_seconds": round(wait, 1),
        "queued_commands": Command.objects.filter(status=Command.Status.QUEUED).count(),
        "last_activity": max(signs) if signs else None,
        "detail": f"a command has waited {wait:.0f} s for the gateway" if wait > limit else "",
    }


def machines(now=None) -> list[dict]:
    """Each enabled machine's connection: its state and how long since the gateway last heard from it."""
    now = now or timezone.now()
    silent_after = timedelta(seconds=settings.EQUIPMENT_WATCHDOG_SECONDS)
    rows = []
    for machine in Machine.objects.filter(enabled=True).only("pk", "name", "state", "state_reason", "last_seen_at"):
        online = machine.state in states.ONLINE
        quiet = online and (machine.last_seen_at is None or now - machine.last_seen_at > silent_after)
        status = "error" if machine.state == states.ERROR or quiet else "ok" if online else "offline"
        rows.append({"id": machine.pk, "name": machine.name, "state": machine.state, "status": status,
                     "reason": machine.state_reason, "last_seen_at": machine.last_seen_at})
    return rows


def broker_address() -> str:
    return urlparse(settings.MQTT_URL).netloc if settings.MQTT_URL else ""


def status() -> dict:
    """The whole system status as the API and the page show it."""
    now = timezone.now()
    return {"at": now, "host": host(), "services": services(), "queues": queues(), "workers": workers(),
            "gateway": gateway(now), "machines": machines(now), "outbox": outbox(now)}
