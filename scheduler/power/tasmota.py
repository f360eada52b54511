"""Tasmota smart plugs and power strips over MQTT.

Commands go to ``cmnd/<topic>/POWER<n>`` (ON, OFF or empty to ask); the plug answers on
``stat/<topic>/POWER<n>`` (``POWER`` for a single relay) and reports every relay in the JSON
of ``tele/<topic>/STATE`` or, when asked with ``cmnd/<topic>/STATE``, ``stat/<topic>/RESULT``.
The state we answer is the one the plug sends back, never the one we asked for.
"""
import json
import queue
import re
import uuid

import paho.mqtt.client as mqtt
from django.conf import settings

from . import Driver, PowerError, mqtt_address

POWER_KEY = re.compile(r"^POWER(\d*)$")


def parse_state(payload: dict) -> dict[int, str]:
    """Relay states in a Tasmota STATE/RESULT JSON (``{"POWER1": "ON", ...}``)."""
    states = {}
    for key, value in payload.items():
        match = POWER_KEY.match(key)
        if match and isinstance(value, str) and value.upper() in ("ON", "OFF"):
            states[int(match.group(1) or 1)] = value.lower()
    return states


class TasmotaDriver(Driver):
    """One Tasmota device; ``address`` is its MQTT topic, the broker is ``MQTT_URL``."""

    def _exchange(self, command: str, payload: str, wanted) -> object:
        """Publish one command and wait for the first reply ``wanted(topic, text)`` accepts (not None)."""
        url = self.options.get("broker") or settings.MQTT_URL
        if not url:
            raise PowerError("No MQTT broker configured (MQTT_URL) for the smart plug.")
        host, port = mqtt_address(url)
        replies: queue.Queue = queue.Queue()
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"benchtop-pdu-{uuid.uuid4().hex[:10]}")
        if self.username:
            client.username_pw_set(self.username, self.password)
        subscribed = queue.Queue()
        client.on_message = lambda c, u, msg: replies.put((msg.topic, msg.payload.decode(errors="replace")))
        client.on_subscribe = lambda *args: subscribed.put(True)
        try:
            client.connect(host, port, keepalive=30)
        except OSError as exc:
            raise PowerError(f"Cannot reach the MQTT broker at {host}:{port}: {exc}.")
        client.loop_start()
        try:
            client.subscribe([(f"stat/{self.address}/#", 1), (f"tele/{self.address}/STATE", 1)])
            try:
                subscribed.get(timeout=self.timeout)
            except queue.Empty:
                raise PowerError("The MQTT broker did not confirm the subscription in time.")
            client.publish(f"cmnd/{self.address}/{command}", payload, qos=1)
            while True:
                try:
                    topic, text = replies.get(timeout=self.timeout)
                except queue.Empty:
                    raise PowerError(f"The plug {self.address} did not answer within {self.timeout:g} s.")
                answer = wanted(topic, text)
                if answer is not None:
                    return answer
        finally:
            client.loop_stop()
            client.disconnect()

    def status(self) -> dict[int, str]:
        """Ask for STATE and read every relay from the reply."""
        def wanted(topic, text):
            if topic.endswith("/RESULT") or topic.endswith("/STATE"):
                try:
                    states = parse_state(json.loads(text))
                except ValueError:
                    return None
                return states or None
            return None
        return self._exchange("STATE", "", wanted)

    def switch(self, number: int, on: bool) -> str:
        """Send POWER<n> ON/OFF and answer the state the plug reports for that relay."""
        def wanted(topic, text):
            key = topic.rsplit("/", 1)[-1]
            match = POWER_KEY.match(key)
            if match and int(match.group(1) or 1) == number and text.upper() in ("ON", "OFF"):
                return text.lower()
            if key == "RESULT":
                try:
                    return parse_state(json.loads(text)).get(number)
                except ValueError:
                    return None
            return None
        return self._exchange(f"POWER{number}", "ON" if on else "OFF", wanted)
