"""JSON devices on the MQTT broker (sensors, microcontrollers).

The device owns ``<topic_prefix>/status`` (retained; ``offline`` as its last will),
``telemetry`` and ``response``; the driver publishes commands on ``command`` (QoS 1)
with an ``id`` and waits for the ``response`` with that id.
"""
import json
import threading
import time
import uuid
from collections import deque
from datetime import datetime

from django.conf import settings as django_settings

from .. import mqttlink
from ..mqttstream import StreamError, TelemetryStream
from .base import DeviceError, DeviceGone, Driver


class MqttDriver(Driver):
    keep_samples = 500_000  # readings held for the database at most (about 25 s at 20,000 a second)
    answer_timeout = 3.0
    stale_after = 3.0  # no telemetry for this long: the device is gone

    def __init__(self, settings: dict):
        super().__init__(settings)
        self.prefix = settings["topic_prefix"].rstrip("/")
        self.telemetry_topic = f"{self.prefix}/telemetry"
        self.url = settings.get("url") or django_settings.MQTT_URL
        self.client = None
        self.stream: TelemetryStream | None = None
        self.state: str | None = None
        self.values: dict = {}
        self.last_seen = 0.0
        self.responses: dict[str, dict] = {}
        self.answered = threading.Condition()
        self.events: list[dict] = []
        # Every reading as it arrived, for the gateway's next batch (bounded: a stuck database drops the oldest).
        self.samples: deque = deque(maxlen=self.keep_samples)
        self.samples_lock = threading.Lock()  # the stream's thread adds, the gateway's thread takes

    def connect(self) -> dict:
        if not self.url:
            raise DeviceGone("MQTT_URL is not set: there is no broker to reach the device")
        self.client = mqttlink.client(self.url, "gateway")
        self.client.on_connect = lambda c, u, f, r, p: c.subscribe(
            [(f"{self.prefix}/{name}", 1) for name in ("status", "response", "events")])
        self.client.on_message = self._message
        host, port = self.client._benchtop_address
        try:
            # Telemetry has a connection of its own that cuts messages out in bulk (see mqttstream).
            self.stream = TelemetryStream(host, port, self.telemetry_topic, self._telemetry,
                                          username=self.client.username, password=self.client.password).open()
            mqttlink.connect(self.client)
        except (OSError, StreamError) as exc:
            self.disconnect()
            raise DeviceGone(f"the broker does not answer: {exc}") from exc
        deadline = time.monotonic() + self.stale_after
        while time.monotonic() < deadline and self.state != "online":
            time.sleep(0.02)
        if self.state != "online":
            self.disconnect()
            raise DeviceGone(f"no device online under {self.prefix}")
        return self.info

    def _telemetry(self, at: datetime, payloads: list[bytes]) -> None:
        """Telemetry can arrive thousands of times a second: it is kept as the raw JSON text the device sent,
        and only the newest reading is parsed, when someone asks for it."""
        self.last_seen = time.monotonic()
        with self.samples_lock:
            self.samples.extend((at, payload) for payload in payloads)

    def _message(self, client, userdata, message):
        name = message.topic.rsplit("/", 1)[1]
        try:
            data = json.loads(message.payload) if message.payload else {}
        except ValueError:
            return
        if name == "status":
            self.state = data.get("state")
            self.info = {k: v for k, v in data.items() if k != "state"}
            self.last_seen = time.monotonic()
        elif name == "response":
            with self.answered:
                self.responses[str(data.get("id"))] = data
                self.answered.notify_all()
        elif name == "events":
            self.events.append(data)

    def disconnect(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        if self.client is not None:
            self.client.loop_stop()
            self.client.disconnect()
            self.client = None

    def drain_samples(self) -> list:
        """Every reading since the last call, oldest first, each as ``{"values": ...}`` in raw JSON text."""
        with self.samples_lock:  # take the whole deque at once; the stream goes on filling a fresh one
            taken, self.samples = self.samples, deque(maxlen=self.keep_samples)
        return [(at, b'{"values": ' + payload + b"}") for at, payload in taken]

    def status(self) -> dict:
        if self.state == "offline":
            raise DeviceGone("the device said it is offline")
        if self.stream is not None and self.stream.closed.is_set():
            raise DeviceGone(f"the telemetry subscription ended: {self.stream.reason}")
        if time.monotonic() - self.last_seen > self.stale_after:
            raise DeviceGone(f"nothing from the device for {self.stale_after:g} s")
        with self.samples_lock:
            newest = self.samples[-1][1] if self.samples else None
        if newest is not None:
            try:
                self.values = json.loads(newest)
            except ValueError:
                pass
        return {"values": dict(self.values)}

    def call(self, command: str, **arguments) -> dict:
        """Publish a command and wait for the device's response with the same id."""
        request_id = uuid.uuid4().hex
        self.client.publish(f"{self.prefix}/command", json.dumps({"id": request_id, "command": command, **arguments}),
                            qos=1)
        deadline = time.monotonic() + self.answer_timeout
        with self.answered:
            while request_id not in self.responses:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise DeviceGone(f"the device did not answer {command}")
                self.answered.wait(left)
            answer = self.responses.pop(request_id)
        if not answer.get("ok"):
            raise DeviceError(answer.get("error") or f"the device refused {command}")
        return answer

    def send(self, gcode: str) -> str:
        """A raw command for a JSON device is a JSON object: ``{"command": ..., ...}``."""
        try:
            data = json.loads(gcode)
        except ValueError as exc:
            raise DeviceError("an MQTT device takes a JSON command such as {\"command\": \"read\"}") from exc
        return json.dumps(self.call(data.pop("command", ""), **data))

    def execute(self, name: str, arguments: dict) -> str:
        if name == "gcode":
            return self.send(arguments["gcode"])
        return json.dumps(self.call(name, **arguments))

    def emergency_stop(self) -> None:
        self.call("emergency_stop")
