"""Reading what Tasmota devices publish: ``tele/<t>/SENSOR``, ``tele/<t>/STATE``, ``stat/<t>/RESULT``,
``stat/<t>/POWER`` and ``tele/<t>/LWT``, into one plain dict of what changed."""
import json
import re

TOPIC = re.compile(r"^(?P<prefix>tele|stat)/(?P<topic>.+)/(?P<kind>SENSOR|STATE|RESULT|POWER|LWT)$")
SUBSCRIPTIONS = ["tele/+/SENSOR", "tele/+/STATE", "tele/+/LWT", "stat/+/RESULT", "stat/+/POWER"]
# Tasmota sensor fields (by driver) to our reading names.
FIELDS = {"temperature": "temperature", "humidity": "humidity", "tvoc": "voc", "voc": "voc", "eco2": "eco2",
          "co2": "co2", "pm2.5": "pm25", "noise": "noise", "sound": "noise", "pressure": "pressure"}


def _numbers(data: dict) -> dict:
    values = {}
    for key, value in data.items():
        if isinstance(value, dict):
            values.update(_numbers(value))
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and key.lower() in FIELDS:
            values[FIELDS[key.lower()]] = value
    return values


def read(topic: str, payload: bytes) -> tuple[str, dict] | None:
    """(device topic, {"values": {...}, "power": bool, "level": int, "online": bool}) or None."""
    match = TOPIC.match(topic)
    if not match:
        return None
    text = payload.decode("utf-8", "replace").strip()
    kind, found = match.group("kind"), {}
    if kind == "LWT":
        found["online"] = text.lower() == "online"
    elif kind == "POWER":
        if text.upper() in ("ON", "OFF"):
            found["power"] = text.upper() == "ON"
    else:
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        power = data.get("POWER") or data.get("POWER1")
        if isinstance(power, str) and power.upper() in ("ON", "OFF"):
            found["power"] = power.upper() == "ON"
        if isinstance(data.get("Dimmer"), int):
            found["level"] = max(0, min(100, data["Dimmer"]))
        if kind == "SENSOR":
            values = _numbers(data)
            if values:
                found["values"] = values
    return (match.group("topic"), found) if found else None
