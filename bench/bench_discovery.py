"""Discovery: how long a new device announcing itself on the broker takes to be listed for adoption.

Each round publishes a retained Home Assistant config for a new node (and its Tasmota LWT)
while ``listen`` runs, and measures announcement → row stored. Needs MQTT_URL; uses the
database DATABASE_URL points at (a throwaway SQLite file when unset). The rows and
retained messages it makes are removed afterwards.

Usage: MQTT_URL=mqtt://127.0.0.1:1883 python bench/bench_discovery.py [--rounds 20]
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/discovery.sqlite3"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if not settings.MQTT_URL:
        sys.exit("Set MQTT_URL to a broker.")
    call_command("migrate", verbosity=0)
    from equipment import mqttlink
    from workshop.models import DiscoveredDevice
    from workshop.services.discovery import listen

    run = uuid.uuid4().hex[:8]
    listed: dict[str, float] = {}
    stop = threading.Event()

    def keep_listening():
        while not stop.is_set():
            listen(1.0, on_found=lambda device, created: listed.setdefault(device.key, time.perf_counter()))

    listener = threading.Thread(target=keep_listening, daemon=True)
    listener.start()
    time.sleep(1.5)
    publisher = mqttlink.client(settings.MQTT_URL, "bench-announcer")
    mqttlink.connect(publisher)
    time.sleep(0.3)
    sent, topics = {}, []
    for n in range(args.rounds):
        node = f"bench{run}n{n}"
        topic = f"homeassistant/sensor/{node}/temperature/config"
        config = {"name": "Temperature", "~": f"lab/{node}", "state_topic": "~/state",
                  "device": {"identifiers": [node], "name": f"Bench {n}"}}
        sent[f"homeassistant:{node}"] = time.perf_counter()
        publisher.publish(topic, json.dumps(config), qos=1, retain=True).wait_for_publish(3)
        topics.append(topic)
        time.sleep(0.05)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(key in listed for key in sent):
        time.sleep(0.05)
    stop.set()
    listener.join(timeout=5)
    for topic in topics:
        publisher.publish(topic, "", qos=1, retain=True).wait_for_publish(3)
    publisher.disconnect()
    publisher.loop_stop()
    waits = sorted((listed[key] - sent[key]) * 1000 for key in sent if key in listed)
    DiscoveredDevice.objects.filter(key__contains=f"bench{run}").delete()
    print(f"discovery: {len(waits)}/{len(sent)} new devices listed; announcement → listed "
          f"median {statistics.median(waits):.1f} ms, max {waits[-1]:.1f} ms")


if __name__ == "__main__":
    main()
