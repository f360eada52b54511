"""The MQTT layout of the machines and their Home Assistant discovery messages.

``<EQUIPMENT_MQTT_BASE>/<id>/status`` (QoS 1, retained), ``telemetry`` (QoS 0),
``command`` (QoS 1), ``response`` and ``events``; Home Assistant finds each machine's
sensors under ``homeassistant/sensor/benchtop_<id>_<key>/config`` (retained).
"""
import json

from django.conf import settings

from . import states

QOS = {"status": 1, "telemetry": 0, "command": 1, "response": 1, "events": 1}


def topic(machine_id: int, channel: str) -> str:
    """``benchtop/equipment/<id>/<channel>``."""
    if channel not in QOS:
        raise ValueError(f"no MQTT channel {channel!r}")
    return f"{settings.EQUIPMENT_MQTT_BASE}/{machine_id}/{channel}"


def status_payload(machine) -> str:
    return json.dumps({"state": machine.state, "online": machine.state in states.ONLINE, "name": machine.name,
                       "kind": machine.kind})


def discovery_messages(machine) -> list[tuple[str, str]]:
    """Retained config messages that make Home Assistant show the machine's state and readings."""
    device = {"identifiers": [f"benchtop_{machine.pk}"], "name": machine.name, "manufacturer": "Benchtop",
              "model": machine.get_kind_display()}
    availability = {"availability_topic": topic(machine.pk, "status"),
                    "availability_template": "{{ 'online' if value_json.online else 'offline' }}"}
    sensors = [("state", {"name": "State", "state_topic": topic(machine.pk, "status"),
                          "value_template": "{{ value_json.state }}", "icon": "mdi:printer-3d"})]
    if machine.kind in ("fdm_printer", "laser", "cnc"):
        for key in ("hotend", "bed") if machine.kind == "fdm_printer" else ():
            sensors.append((key, {"name": f"{key.capitalize()} temperature",
                                  "state_topic": topic(machine.pk, "telemetry"),
                                  "value_template": f"{{{{ value_json.{key}.actual }}}}", "device_class": "temperature",
                                  "unit_of_measurement": "°C", **availability}))
        sensors.append(("progress", {"name": "Job progress", "state_topic": topic(machine.pk, "telemetry"),
                                     "value_template": "{{ value_json.progress | default(0) }}",
                                     "unit_of_measurement": "%", **availability}))
    else:
        for key in sorted((machine.telemetry or {}).get("values", {})):
            sensors.append((key, {"name": key.replace("_", " ").capitalize(),
                                  "state_topic": topic(machine.pk, "telemetry"),
                                  "value_template": f"{{{{ value_json.values.{key} }}}}", **availability}))
    messages = []
    for key, config in sensors:
        config = {**config, "unique_id": f"benchtop_{machine.pk}_{key}", "device": device}
        messages.append((f"homeassistant/sensor/benchtop_{machine.pk}_{key}/config", json.dumps(config)))
    return messages
