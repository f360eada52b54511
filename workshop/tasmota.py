"""The Tasmota MQTT layout of room devices, and sending one command to the broker."""
import time

from django.conf import settings

from core.errors import Conflict
from equipment import mqttlink


def command_topic(device_topic: str, command: str) -> str:
    """``cmnd/<topic>/<Command>``: where a Tasmota device takes a command."""
    return f"cmnd/{device_topic}/{command}"


def send(device_topic: str, command: str, payload: str, timeout: float = 3.0) -> None:
    """Publish one command (QoS 1) and wait until the broker has it; Conflict when it cannot be reached."""
    if not settings.MQTT_URL:
        raise Conflict("No MQTT broker is configured (MQTT_URL), so room devices cannot be switched.",
                       code="no_broker")
    client = mqttlink.client(settings.MQTT_URL, "benchtop-rooms")
    try:
        mqttlink.connect(client)
        deadline = time.monotonic() + timeout
        while not client.is_connected():
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from the broker")
            time.sleep(0.01)
        info = client.publish(command_topic(device_topic, command), payload, qos=1)
        info.wait_for_publish(timeout)
        if not info.is_published():
            raise TimeoutError("the broker did not acknowledge the command")
    except (OSError, TimeoutError) as exc:
        raise Conflict(f"The MQTT broker did not take the command: {exc}.", code="broker_down") from exc
    finally:
        client.disconnect()
        client.loop_stop()
