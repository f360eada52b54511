"""Reading the system status and raising its warnings as events on the ``workshop`` topic."""
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from accounts.roles import OPERATOR, require_role
from core import events

from .. import metrics, system
from ..events import SYSTEM_RECOVERED, SYSTEM_WARNING

TOPIC = "workshop"
WARNED_KEY = "workshop:system:warned"


def warnings(status: dict) -> dict[str, dict]:
    """The checks over their limits in one status reading, by check name."""
    found = {}
    host = status["host"]
    limits = {"cpu": settings.WORKSHOP_CPU_WARN_PERCENT, "memory": settings.WORKSHOP_MEMORY_WARN_PERCENT,
              "disk": settings.WORKSHOP_DISK_WARN_PERCENT}
    for resource, limit in limits.items():
        value = host[f"{resource}_percent"]
        if value >= limit:
            found[f"host.{resource}"] = {"value": value, "summary": f"{resource} at {value:.0f}% (limit {limit}%)"}
    for reading in host["temperatures"]:
        if reading["celsius"] >= settings.WORKSHOP_TEMPERATURE_WARN_C:
            found[f"host.temperature.{reading['sensor']}"] = {
                "value": reading["celsius"], "summary": f"{reading['sensor']} at {reading['celsius']} °C"}
    for name, check in status["services"].items():
        if check["status"] == "error":
            found[f"service.{name}"] = {"value": None, "summary": f"{name} is failing: {check['detail']}"}
    if status["workers"]["status"] == "error":
        found["service.celery_workers"] = {"value": None, "summary": f"Celery: {status['workers']['detail']}"}
    for queue in status["queues"]:
        depth = queue["depth"]
        if depth is not None and depth >= settings.WORKSHOP_QUEUE_WARN_DEPTH:
            found[f"queue.{queue['name']}"] = {"value": depth, "summary": f"{depth} tasks wait in {queue['name']}"}
        age = queue.get("oldest_seconds")
        if age is not None and age >= settings.WORKSHOP_QUEUE_WARN_SECONDS:
            found[f"queue.{queue['name']}.age"] = {
                "value": age, "summary": f"the oldest task in {queue['name']} has waited {age:.0f} s"}
    box = status.get("outbox") or {}
    if box.get("waiting") and box["oldest_seconds"] >= settings.WORKSHOP_QUEUE_WARN_SECONDS:
        found["outbox"] = {"value": box["oldest_seconds"],
                           "summary": f"{box['waiting']} jobs wait in the outbox, the oldest "
                                      f"{box['oldest_seconds']:.0f} s (the broker is unreachable)"}
    if status["gateway"]["status"] == "error":
        found["gateway"] = {"value": status["gateway"]["oldest_command_seconds"],
                            "summary": f"Gateway: {status['gateway']['detail']}"}
    for machine in status["machines"]:
        if machine["status"] == "error":
            found[f"machine.{machine['id']}"] = {
                "value": None, "summary": f"{machine['name']} connection: {machine['reason'] or machine['state']}"}
    return found


@transaction.atomic
def publish_warnings(status: dict) -> dict:
    """Announce checks that newly went over their limits and those back within them; one event per change."""
    current = warnings(status)
    before = cache.get(WARNED_KEY) or {}
    for check in sorted(set(current) - set(before)):
        events.publish(TOPIC, SYSTEM_WARNING, {"check": check, **current[check]})
    for check in sorted(set(before) - set(current)):
        summary = f"{before[check]['summary']}: back to normal"
        events.publish(TOPIC, SYSTEM_RECOVERED, {"check": check, "summary": summary})
    cache.set(WARNED_KEY, current, None)
    return current


def check_system() -> dict:
    """Read the status, update the Prometheus gauges and raise warnings (the periodic task and the page)."""
    status = system.status()
    metrics.update(status)
    status["warnings"] = publish_warnings(status)
    return status


def system_status(actor) -> dict:
    """The system status for an operator."""
    require_role(actor, OPERATOR, "see the system status")
    return check_system()
