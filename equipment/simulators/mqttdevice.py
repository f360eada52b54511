"""A JSON device on the MQTT broker: a sensor or microcontroller as firmware on an ESP32 would behave.

Under ``<prefix>/`` it publishes ``status`` (retained, QoS 1; ``offline`` as its last will),
``telemetry`` (QoS 0, JSON values) every ``interval`` seconds, answers each JSON command on
``command`` with a ``response`` carrying the same ``id``, and reports ``events``.
"""
import json
import math
import threading
import time

from .. import mqttlink


class MqttDevice:
    def __init__(self, url: str, prefix: str, *, interval: float = 0.5, kind: str = "sensor"):
        self.url, self.prefix, self.interval, self.kind = url, prefix.rstrip("/"), interval, kind
        self.values = {"temperature": 22.5, "humidity": 41.0}
        self.relay = False
        self.commands: list[dict] = []
        self._stop = threading.Event()
        self.client = mqttlink.client(url, "sim-device")
        self.client.will_set(f"{self.prefix}/status", json.dumps({"state": "offline"}), qos=1, retain=True)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        mqttlink.connect(self.client)
        self.thread.start()
        return self

    def stop(self, *, gracefully=True):
        """Stop publishing; ``gracefully`` says goodbye with a retained offline status, else it just goes silent."""
        self._stop.set()
        self.thread.join(timeout=2)
        if gracefully:
            self.client.publish(f"{self.prefix}/status", json.dumps({"state": "offline"}), qos=1, retain=True)
            time.sleep(0.1)
            self.client.publish(f"{self.prefix}/status", b"", qos=1, retain=True)  # leave no retained message behind
        self.client.loop_stop()
        self.client.disconnect()

    def forget(self):
        """Remove the retained status this device left on the broker (tests share one broker)."""
        client = mqttlink.client(self.url, "sim-cleanup")
        mqttlink.connect(client)
        client.publish(f"{self.prefix}/status", b"", qos=1, retain=True).wait_for_publish(timeout=5)
        client.loop_stop()
        client.disconnect()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _on_connect(self, client, userdata, flags, reason, properties):
        client.subscribe(f"{self.prefix}/command", qos=1)
        client.publish(f"{self.prefix}/status", json.dumps({"state": "online", "kind": self.kind,
                                                            "firmware": "benchtop-sensor 1.0"}), qos=1, retain=True)

    def _on_message(self, client, userdata, message):
        try:
            command = json.loads(message.payload)
        except ValueError:
            return
        self.commands.append(command)
        name = command.get("command")
        answer = {"id": command.get("id"), "ok": True}
        if name == "relay":
            self.relay = bool(command.get("on"))
            answer["relay"] = self.relay
        elif name == "emergency_stop":
            self.relay = False
            client.publish(f"{self.prefix}/events", json.dumps({"event": "stopped"}), qos=1)
        elif name == "read":
            answer["values"] = dict(self.values)
        else:
            answer = {"id": command.get("id"), "ok": False, "error": f"unknown command {name}"}
        client.publish(f"{self.prefix}/response", json.dumps(answer), qos=1)

    def _run(self):
        start = time.monotonic()
        while not self._stop.is_set():
            elapsed = time.monotonic() - start
            self.values = {"temperature": round(22.5 + math.sin(elapsed / 10), 2),
                           "humidity": round(41 + math.cos(elapsed / 15) * 3, 2), "relay": self.relay}
            self.client.publish(f"{self.prefix}/telemetry", json.dumps(self.values), qos=0)
            self._stop.wait(self.interval)
