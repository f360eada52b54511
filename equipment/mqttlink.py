"""One place that turns ``MQTT_URL`` into a connected paho client."""
import uuid
from urllib.parse import urlparse

import paho.mqtt.client as mqtt


def client(url: str, name: str = "benchtop") -> mqtt.Client:
    """A paho client (callback API 2) for ``mqtt://[user:password@]host:port``, not yet connected."""
    parts = urlparse(url)
    made = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2,
                       client_id=f"{name}-{uuid.uuid4().hex[:10]}")
    if parts.username:
        made.username_pw_set(parts.username, parts.password)
    made._benchtop_address = (parts.hostname or "127.0.0.1", parts.port or 1883)
    return made


def connect(made: mqtt.Client, keepalive: int = 10) -> None:
    """Connect and start the network thread."""
    host, port = made._benchtop_address
    made.connect(host, port, keepalive=keepalive)
    made.loop_start()
