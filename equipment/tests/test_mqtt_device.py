"""The MQTT driver against a simulated JSON device on the real broker."""
import json
import time
import uuid

import pytest

from equipment.drivers.base import DeviceError, DeviceGone
from equipment.drivers.mqtt import MqttDriver
from equipment.simulators.mqttdevice import MqttDevice


@pytest.fixture
def prefix():
    return f"test-{uuid.uuid4().hex}/equipment/1"


def test_without_a_broker_the_device_is_gone(settings, prefix):
    settings.MQTT_URL = ""
    with pytest.raises(DeviceGone, match="MQTT_URL"):
        MqttDriver({"topic_prefix": prefix}).connect()


@pytest.mark.full("mqtt")
def test_the_device_comes_online_and_streams_values(settings, prefix):
    with MqttDevice(settings.MQTT_URL, prefix, interval=0.1):
        driver = MqttDriver({"topic_prefix": prefix})
        assert driver.connect()["firmware"] == "benchtop-sensor 1.0"
        time.sleep(0.3)
        values = driver.status()["values"]
        assert 20 < values["temperature"] < 25 and "humidity" in values
        driver.disconnect()


@pytest.mark.full("mqtt")
def test_commands_are_answered_by_id(settings, prefix):
    with MqttDevice(settings.MQTT_URL, prefix, interval=0.1) as device:
        driver = MqttDriver({"topic_prefix": prefix})
        driver.connect()
        assert json.loads(driver.execute("relay", {"on": True}))["relay"] is True
        assert device.relay is True
        with pytest.raises(DeviceError, match="unknown command"):
            driver.execute("launch", {})
        driver.emergency_stop()
        assert device.relay is False
        driver.disconnect()


@pytest.mark.full("mqtt")
def test_a_silent_device_is_gone_within_the_stale_time(settings, prefix):
    device = MqttDevice(settings.MQTT_URL, prefix, interval=0.1).start()
    driver = MqttDriver({"topic_prefix": prefix})
    driver.stale_after = 1.0
    driver.connect()
    device.stop(gracefully=False)
    time.sleep(1.2)
    with pytest.raises(DeviceGone):
        driver.status()
    driver.disconnect()
    device.forget()


@pytest.mark.full("mqtt")
def test_no_device_under_the_prefix_is_reported(settings, prefix):
    driver = MqttDriver({"topic_prefix": prefix})
    driver.stale_after = 0.5
    with pytest.raises(DeviceGone, match="no device online"):
        driver.connect()


@pytest.mark.full("mqtt")
def test_the_telemetry_stream_takes_every_qos1_message_in_order_and_notices_the_end(settings, prefix):
    from equipment import mqttlink
    from equipment.mqttstream import TelemetryStream

    received = []
    publisher = mqttlink.client(settings.MQTT_URL, "test-publisher")
    host, port = publisher._benchtop_address
    stream = TelemetryStream(host, port, f"{prefix}/telemetry", lambda at, payloads: received.extend(payloads),
                             keepalive=2).open()
    mqttlink.connect(publisher)
    try:
        for n in range(2000):
            publisher.publish(f"{prefix}/telemetry", json.dumps({"n": n, "s": "a\tb"}), qos=1)
        deadline = time.monotonic() + 20
        while len(received) < 2000 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [json.loads(payload)["n"] for payload in received] == list(range(2000))
        time.sleep(1.5)  # idle past half the keepalive: the stream pings and the broker keeps it
        assert not stream.closed.is_set()
    finally:
        publisher.loop_stop()
        publisher.disconnect()
        stream.close()
    assert stream.closed.is_set()
