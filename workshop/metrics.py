"""Prometheus gauges of the system status, served with the rest of ``/metrics``.

They are set each time the status is read (the page, the API, the periodic check), so a
scrape shows the latest check.
"""
from prometheus_client import Gauge

HOST = Gauge("benchtop_host_usage_percent", "CPU, memory and disk use of the host", ["resource"])
TEMPERATURE = Gauge("benchtop_host_temperature_celsius", "Host temperature sensors", ["sensor"])
SERVICE_UP = Gauge("benchtop_service_up", "1 when a service answers, 0 when it fails", ["service"])
QUEUE_DEPTH = Gauge("benchtop_celery_queue_depth", "Tasks waiting in a Celery queue", ["queue"])
MACHINE_UP = Gauge("benchtop_machine_connected", "1 when the machine's connection is healthy", ["machine"])
QUEUE_OLDEST = Gauge("benchtop_celery_queue_oldest_seconds", "Age of the oldest task waiting in a Celery queue",
                     ["queue"])
OUTBOX_OLDEST = Gauge("benchtop_outbox_oldest_seconds", "Age of the oldest job waiting in the database outbox")
OUTBOX_WAITING = Gauge("benchtop_outbox_waiting", "Jobs waiting in the database outbox for the broker")
GATEWAY_WAIT = Gauge("benchtop_gateway_oldest_command_seconds", "Age of the oldest command the gateway has not taken")


def update(status: dict) -> None:
    """Copy one status reading into the gauges."""
    host = status["host"]
    for resource in ("cpu", "memory", "disk"):
        HOST.labels(resource).set(host[f"{resource}_percent"])
    for reading in host["temperatures"]:
        TEMPERATURE.labels(reading["sensor"]).set(reading["celsius"])
    for name, check in status["services"].items():
        if check["status"] != "not configured":
            SERVICE_UP.labels(name).set(1 if check["status"] == "ok" else 0)
    SERVICE_UP.labels("celery_workers").set(1 if status["workers"]["status"] == "ok" else 0)
    SERVICE_UP.labels("gateway").set(1 if status["gateway"]["status"] == "ok" else 0)
    for queue in status["queues"]:
        if queue["depth"] is not None:
            QUEUE_DEPTH.labels(queue["name"]).set(queue["depth"])
        if queue.get("oldest_seconds") is not None:
            QUEUE_OLDEST.labels(queue["name"]).set(queue["oldest_seconds"])
    for machine in status["machines"]:
        MACHINE_UP.labels(machine["name"]).set(1 if machine["status"] == "ok" else 0)
    GATEWAY_WAIT.set(status["gateway"]["oldest_command_seconds"])
    if "outbox" in status:
        OUTBOX_OLDEST.set(status["outbox"]["oldest_seconds"])
        OUTBOX_WAITING.set(status["outbox"]["waiting"])
