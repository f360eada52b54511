"""What devices say when they announce themselves, read into one shape.

Home Assistant discovery: a retained JSON config on ``homeassistant/<component>/[<node>/]<object>/config``
(an empty payload withdraws it). Tasmota: ``tele/<topic>/LWT`` carrying ``Online`` or ``Offline``.
Benchtop's own machines announce themselves too (``benchtop_`` ids): those are skipped.
"""
import json
import re
from dataclasses import dataclass

HA_CONFIG = re.compile(r"^homeassistant/(?P<component>[^/]+)/(?:(?P<node>[^/]+)/)?(?P<object>[^/]+)/config$")
TASMOTA_LWT = re.compile(r"^tele/(?P<topic>[^/]+)/LWT$")
SUBSCRIPTIONS = ["homeassistant/+/+/config", "homeassistant/+/+/+/config", "tele/+/LWT"]


@dataclass
class Announcement:
    """One device's announcement: its stable key, a name, where it publishes, and whether it is online."""

    key: str
    source: str
    name: str
    topic_prefix: str
    online: bool
    topic: str
    config: dict


def _prefix(config: dict) -> str:
    base = config.get("~")
    if base:
        return base.rstrip("/")
    for field in ("state_topic", "availability_topic", "command_topic", "json_attributes_topic"):
        topic = config.get(field)
        if isinstance(topic, str) and "/" in topic:
            return topic.rsplit("/", 1)[0]
    return ""


def read(topic: str, payload: bytes) -> Announcement | None:
    """The announcement in one MQTT message, or None when it is none (or one of ours, or withdrawn)."""
    match = HA_CONFIG.match(topic)
    if match:
        if not payload:
            return None
        try:
            config = json.loads(payload)
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(config, dict):
            return None
        device = config.get("device") or config.get("dev") or {}
        identifiers = device.get("identifiers") or device.get("ids") or []
        identifier = (identifiers[0] if isinstance(identifiers, list) and identifiers else identifiers) or \
            match.group("node") or config.get("unique_id") or match.group("object")
        identifier = str(identifier)
        if identifier.startswith("benchtop_") or str(config.get("unique_id", "")).startswith("benchtop_"):
            return None
        name = str(device.get("name") or config.get("name") or identifier)[:120]
        return Announcement(key=f"homeassistant:{identifier}"[:200], source="homeassistant", name=name,
                            topic_prefix=_prefix(config)[:200], online=True, topic=topic, config=config)
    match = TASMOTA_LWT.match(topic)
    if match:
        state = payload.decode("utf-8", "replace").strip().lower()
        if state not in ("online", "offline"):
            return None
        device_topic = match.group("topic")
        return Announcement(key=f"tasmota:{device_topic}"[:200], source="tasmota", name=device_topic[:120],
                            topic_prefix=f"tele/{device_topic}", online=state == "online", topic=topic,
                            config={"lwt": state})
    return None
