"""Equipment figures: MQTT telemetry ingest, serial command round trips, a 10 000-line job, websocket fan-out.

1. MQTT ingest: several ``mosquitto_pub -l`` processes (Debian's mosquitto-clients) send telemetry at QoS 1
   to a Mosquitto broker the bench starts with raised queue limits; the gateway's MQTT link (the same code
   ``run_gateway`` runs) batches it into PostgreSQL. Messages per second stored, lost and duplicated.
2. Command round trip to the Marlin simulator on a pseudo-terminal: driver level (M105 → ok) and through
   the whole path (service queues a command row → gateway → board → row marked done), p50/p99.
3. A 10 000-line job streamed to the Marlin simulator: lines per second at the driver, and end to end
   through the gateway (start → completed).
4. Websocket fan-out: 100 clients on ``/ws/`` follow one machine; telemetry events published at the
   gateway's limit reach every client; deliveries per second and latency p50/p99.

Needs PostgreSQL, Redis and Mosquitto on loopback (``BENCH_DATABASE_URL``, ``BENCH_REDIS_URL``,
``BENCH_MQTT_URL``), and the ``mosquitto`` and ``mosquitto_pub`` programs. Each part runs a few seconds;
``BENCH_PARTS=ingest`` runs one of them.
"""
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from socket import create_connection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bt_equip_bench")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
MQTT = os.environ.get("BENCH_MQTT_URL", "mqtt://127.0.0.1:1883")
INGEST_MESSAGES = int(os.environ.get("BENCH_INGEST_MESSAGES", "200000"))
MOSQUITTO = shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin:/usr/local/sbin")
MOSQUITTO_PUB = shutil.which("mosquitto_pub")
PARTS = set(os.environ.get("BENCH_PARTS", "ingest,serial,gateway,fanout").split(","))


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def ms(value):
    return f"{value * 1000:.2f} ms"


# --- 1. MQTT ingest -------------------------------------------------------------------------------
# The load comes from Debian's mosquitto_pub (mosquitto-clients): ``-l`` publishes each line of its
# standard input as one message, in C, so the publishers cost the shared cores little and the
# gateway gets them. Several run side by side.
PUBLISHERS = int(os.environ.get("BENCH_INGEST_PUBLISHERS", "4"))
BROKER_CONFIG = """
listener {port} 127.0.0.1
allow_anonymous true
persistence false
# Mosquitto's defaults (max_queued_messages 1000, max_inflight_messages 20) drop QoS 1 messages
# for a subscriber that falls behind by more than 1,000: raised here so nothing is dropped while
# the gateway catches up; the queue is bounded by memory (max_queued_bytes) instead.
max_queued_messages 1000000
max_queued_bytes 1000000000
max_inflight_messages 1000
set_tcp_nodelay true
"""


@contextmanager
def own_broker():
    """A Mosquitto broker of the bench's own on a free loopback port, with the queue limits above; its URL."""
    from bench.common import free_port

    port = free_port()
    folder = tempfile.mkdtemp(prefix="bench-mosquitto-")
    config = Path(folder, "mosquitto.conf")
    config.write_text(BROKER_CONFIG.format(port=port))
    broker = subprocess.Popen([MOSQUITTO, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield f"mqtt://127.0.0.1:{port}", port
    finally:
        broker.terminate()
        broker.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def start_publishers(port: int, topic: str, count: int, folder: str) -> list:
    """``PUBLISHERS`` mosquitto_pub processes at QoS 1, each with its share of ``count`` lines on its stdin."""
    publishers = []
    per = count // PUBLISHERS
    for index in range(PUBLISHERS):
        first = index * per
        last = count if index == PUBLISHERS - 1 else first + per
        lines = Path(folder, f"publisher-{index}.jsonl")
        with lines.open("w") as handle:
            handle.writelines(f'{{"seq": {n}, "temperature": 21.5, "humidity": 40.1}}\n' for n in range(first, last))
        publishers.append(subprocess.Popen(
            [MOSQUITTO_PUB, "-h", "127.0.0.1", "-p", str(port), "-q", "1", "-M", "1000", "-t", topic, "-l"],
            stdin=lines.open("rb"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    return publishers


def bench_ingest(operator):
    from django.db import connection
    from django.db.models import Count, Max

    from equipment import services
    from equipment.gateway.link import MachineLink
    from equipment.models import TelemetrySample

    if not (MOSQUITTO and MOSQUITTO_PUB):
        return [("skipped", "needs mosquitto and mosquitto_pub (apt-get install mosquitto mosquitto-clients)")]
    prefix = f"bench-{uuid.uuid4().hex[:8]}/equipment/1"
    machine = services.create_machine(operator, name=f"Ingest {uuid.uuid4().hex[:6]}", kind="sensor", driver="mqtt",
                                      connection={"topic_prefix": prefix})
    folder = tempfile.mkdtemp(prefix="bench-ingest-")
    with own_broker() as (url, port):
        subprocess.run([MOSQUITTO_PUB, "-h", "127.0.0.1", "-p", str(port), "-q", "1", "-r", "-t", f"{prefix}/status",
                        "-m", json.dumps({"state": "online"})], check=True)
        link = MachineLink(machine.pk, "mqtt", {"topic_prefix": prefix, "url": url}, poll=0.5, offline=30,
                           flush_every=0.5)
        link.start()
        while link.driver is None:  # subscribed and the device seen online
            time.sleep(0.05)
        started = time.monotonic()
        publishers = start_publishers(port, f"{prefix}/telemetry", INGEST_MESSAGES, folder)
        published_in = None
        # Rows are counted as they land, cheaply (only rows past the last one seen, on the primary key).
        stored, seen_id, first_row, first_count, last_change = 0, 0, None, 0, time.monotonic()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and stored < INGEST_MESSAGES:
            if published_in is None and all(p.poll() is not None for p in publishers):
                published_in = time.monotonic() - started
            new = (TelemetrySample.objects.filter(machine=machine, id__gt=seen_id)
                   .aggregate(n=Count("id"), top=Max("id")))
            if new["n"]:
                stored, seen_id, last_change = stored + new["n"], new["top"], time.monotonic()
                if first_row is None:
                    first_row, first_count = last_change, stored
            elif published_in is not None and time.monotonic() - last_change > 20:
                break  # nothing more is coming (a batch of 100,000 rows can take seconds to COPY)
            time.sleep(0.05)
        failed = [p.stderr.read().decode() for p in publishers if p.wait(timeout=60) != 0]
        published_in = published_in or time.monotonic() - started
        link.stop()
        link.join(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT data->'values'->>'seq'), min(at), max(at) "
                       "FROM equipment_telemetrysample WHERE machine_id = %s", [machine.pk])
        stored, distinct, first_at, last_at = cursor.fetchone()
    # Rows carry the time the gateway received each message: first to last is how long ingest took.
    span = (last_at - first_at).total_seconds() if stored > 1 else 0
    return [("messages published (QoS 1)", f"{INGEST_MESSAGES} by {PUBLISHERS} mosquitto_pub -l"
             + (f", {len(failed)} failed: {failed[0][:200]}" if failed else "")),
            ("publishers done in", f"{published_in:.2f} s = {INGEST_MESSAGES / published_in:.0f} msg/s"),
            ("stored in PostgreSQL", f"{stored} rows, {distinct} distinct sequence numbers"),
            ("sustained ingest into PostgreSQL (first to last row stored)",
             f"{(stored - first_count) / (last_change - first_row):.0f} msg/s"
             if first_row and last_change > first_row else "n/a"),
            ("received by the gateway (first to last message)", f"{distinct / span:.0f} msg/s" if span else "n/a"),
            ("end to end (publishing starts → last row stored)", f"{distinct / (last_change - started):.0f} msg/s"),
            ("lost", INGEST_MESSAGES - distinct),
            ("duplicates (QoS 1 redelivery)", stored - distinct)]


# --- 2 and 3. Serial ------------------------------------------------------------------------------
def bench_serial_driver():
    from equipment.drivers.marlin import MarlinDriver
    from equipment.simulators.marlin import MarlinSimulator

    with MarlinSimulator() as sim:
        driver = MarlinDriver({"port": sim.port})
        driver.connect()
        times = []
        for _ in range(1000):
            started = time.perf_counter()
            driver.send("M105")
            times.append(time.perf_counter() - started)
        lines = [f"G1 X{n % 200}.{n % 10} Y{(n * 7) % 200}.5 E{n * 0.01:.3f} F1800" for n in range(10_000)]
        started = time.perf_counter()
        for line in lines:
            driver.send_job_line(line)
        job_seconds = time.perf_counter() - started
        driver.disconnect()
    return times, job_seconds


def bench_serial_gateway(operator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from equipment import services, states
    from equipment.gateway.runner import Gateway
    from equipment.models import Command, Job, Machine
    from equipment.simulators.marlin import MarlinSimulator

    with MarlinSimulator() as sim:
        machine = services.create_machine(operator, name=f"Bench printer {uuid.uuid4().hex[:6]}", kind="fdm_printer",
                                          driver="marlin", connection={"port": sim.port})
        gateway = Gateway(poll=1.0, machine_ids=[machine.pk])
        thread = threading.Thread(target=gateway.run, kwargs={"sync_every": 0.5, "dispatch_every": 0.01},
                                  daemon=True)
        thread.start()
        while Machine.objects.get(pk=machine.pk).state != states.IDLE:
            time.sleep(0.05)
        trips = []
        for _ in range(100):
            started = time.perf_counter()
            command = services.send_command(operator, machine, "gcode", gcode="M105")
            while Command.objects.filter(pk=command.pk, status="done").count() == 0:
                time.sleep(0.002)
            trips.append(time.perf_counter() - started)
        body = "".join(f"G1 X{n % 200} Y{(n * 7) % 200} E{n * 0.01:.3f}\n" for n in range(10_000))
        job = services.upload_job(operator, machine, SimpleUploadedFile("bench.gcode", body.encode()))
        started = time.perf_counter()
        services.start_job(operator, job)
        while Job.objects.get(pk=job.pk).status != "completed":
            time.sleep(0.05)
        job_seconds = time.perf_counter() - started
        gateway.stop()
        thread.join(timeout=10)
    return trips, job_seconds


# --- 4. Websocket fan-out --------------------------------------------------------------------------
async def fan_out(base: str, token: str, machine_id: int, clients: int, events: int, publish_event):
    import websockets

    url = base.replace("http", "ws") + f"/ws/?token={token}"
    sockets = [await websockets.connect(url, max_size=None, origin=base) for _ in range(clients)]
    for socket in sockets:
        await socket.send(json.dumps({"action": "subscribe", "topic": f"machine:{machine_id}"}))
    for socket in sockets:
        while json.loads(await socket.recv()).get("type") != "subscribed":
            pass
    latencies = []

    async def listen(socket):
        got = 0
        while got < events:
            frame = json.loads(await socket.recv())
            if frame.get("type") == "machine.telemetry":
                latencies.append(time.time() - frame["data"]["sent"])
                got += 1

    listeners = [asyncio.create_task(listen(socket)) for socket in sockets]
    started = time.monotonic()
    for n in range(events):
        await asyncio.to_thread(publish_event, n)
        await asyncio.sleep(0.5)  # the gateway's limit: 2 updates a second per machine
    await asyncio.wait_for(asyncio.gather(*listeners), timeout=30)
    wall = time.monotonic() - started
    for socket in sockets:
        await socket.close()
    return latencies, wall


def bench_fan_out(env, operator, member):
    from bench.common import access_token, served
    from core import events
    from equipment import services
    from equipment.events import TELEMETRY

    machine = services.create_machine(operator, name=f"Fan-out {uuid.uuid4().hex[:6]}", kind="fdm_printer",
                                      driver="marlin", connection={"port": "/dev/null"})

    def publish_event(n):
        events.publish(f"machine:{machine.pk}", TELEMETRY, {"machine": machine.pk, "sent": time.time(), "n": n,
                                                            "hotend": {"actual": 200.0, "target": 210.0}})

    with served(env, workers=1) as base:
        latencies, wall = asyncio.run(fan_out(base, access_token(member), machine.pk, 100, 20, publish_event))
    return latencies, wall


def main():
    from bench.common import report, setup_django

    env = setup_django(REDIS_URL=REDIS, MQTT_URL=MQTT)
    os.environ["MQTT_URL"] = MQTT
    from django.contrib.auth.models import Group

    from accounts.models import User

    def user(name, role):
        found, _ = User.objects.get_or_create(username=name, defaults={"email": f"{name}@example.org"})
        found.groups.add(Group.objects.get_or_create(name=role)[0])
        return found

    operator, member = user("bench-operator", "operator"), user("bench-member", "member")

    if "ingest" in PARTS:
        report("MQTT telemetry ingest into PostgreSQL (gateway MQTT link, the bench's own broker)",
               bench_ingest(operator))
    if "serial" in PARTS:
        round_trips, job_seconds = bench_serial_driver()
        report("Serial: Marlin simulator on a pty, driver level", [
            ("M105 round trip p50", ms(statistics.median(round_trips))),
            ("M105 round trip p99", ms(percentile(round_trips, 0.99))),
            ("10 000-line job", f"{job_seconds:.2f} s = {10_000 / job_seconds:.0f} lines/s"),
        ])
    if "gateway" in PARTS:
        trips, gateway_job = bench_serial_gateway(operator)
        report("Serial: through the gateway (command row → board → row done)", [
            ("command round trip p50", ms(statistics.median(trips))),
            ("command round trip p99", ms(percentile(trips, 0.99))),
            ("10 000-line job, start to completed", f"{gateway_job:.2f} s = {10_000 / gateway_job:.0f} lines/s"),
        ])
    if "fanout" not in PARTS:
        return
    latencies, wall = bench_fan_out(env, operator, member)
    report("Websocket fan-out: 100 clients follow one machine, 20 telemetry events at 2/s (Redis layer)", [
        ("deliveries", f"{len(latencies)} of {100 * 20}"),
        ("latency p50", ms(statistics.median(latencies))),
        ("latency p99", ms(percentile(latencies, 0.99))),
        ("deliveries per second", f"{len(latencies) / wall:.0f}"),
    ])


if __name__ == "__main__":
    main()
