"""The gateway's side of the MQTT layout: machine status (retained), telemetry, safety events and discovery."""
import json
import logging

from .. import mqtt_layout, mqttlink
from ..models import Machine, SafetyEvent

log = logging.getLogger(__name__)


class Mirror:
    def __init__(self, client):
        self.client = client
        self.states: dict[int, str] = {}
        self.announced: set[int] = set()
        self.last_event = SafetyEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    @classmethod
    def start(cls, url: str):
        client = mqttlink.client(url, "gateway-mirror")
        try:
            mqttlink.connect(client)
        except OSError:
            log.warning("MQTT broker at %s does not answer; machines are not mirrored", url)
            return None
        return cls(client)

    def telemetry(self, machine_id: int, reading: dict) -> None:
        """One reading on ``<id>/telemetry`` (QoS 0: a lost reading is replaced by the next)."""
        self.client.publish(mqtt_layout.topic(machine_id, "telemetry"), json.dumps(reading, default=str), qos=0)

    def sync(self) -> None:
        """Status of machines whose state changed (QoS 1, retained), discovery once, new safety events."""
        for machine in Machine.objects.all():
            if machine.pk not in self.announced:
                for topic, payload in mqtt_layout.discovery_messages(machine):
                    self.client.publish(topic, payload, qos=1, retain=True)
                self.announced.add(machine.pk)
            if self.states.get(machine.pk) != machine.state:
                self.states[machine.pk] = machine.state
                self.client.publish(mqtt_layout.topic(machine.pk, "status"), mqtt_layout.status_payload(machine),
                                    qos=1, retain=True)
        for event in SafetyEvent.objects.filter(id__gt=self.last_event).order_by("id"):
            self.last_event = event.pk
            self.client.publish(mqtt_layout.topic(event.machine_id, "events"), json.dumps(
                {"event": event.pk, "level": event.level, "kind": event.kind, "message": event.message}), qos=1)

    def stop(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()
