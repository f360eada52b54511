"""The GRBL driver against a simulated controller on a pseudo-terminal."""
import time

import pytest

from equipment.drivers.base import DeviceError
from equipment.drivers.grbl import GrblDriver
from equipment.simulators.grbl import RX_BUFFER, GrblSimulator


@pytest.fixture
def cnc():
    started = []

    def make(**options):
        sim = GrblSimulator(**options).start()
        driver = GrblDriver({"port": sim.port})
        started.append((sim, driver))
        driver.connect()
        return sim, driver

    yield make
    for sim, driver in started:
        driver.disconnect()
        sim.stop()


def test_connect_reads_the_banner(cnc):
    sim, driver = cnc()
    assert driver.info["firmware"] == "Grbl 1.1h"


def test_status_reports_are_parsed(cnc):
    sim, driver = cnc()
    driver.send("G1 X12.5 Y3 F800")
    reading = driver.status()
    assert reading["state"] == "Idle" and reading["position"] == {"x": 12.5, "y": 3.0, "z": 0.0}
    assert reading["feed"] == 800


def test_errors_come_back_as_device_errors(cnc):
    sim, driver = cnc()
    with pytest.raises(DeviceError, match="error:1"):
        driver.send("hello")


def test_an_alarm_locks_gcode_until_unlocked(cnc):
    sim, driver = cnc(start_in_alarm=True)
    assert driver.status()["state"] == "Alarm"
    with pytest.raises(DeviceError, match=r"error:9.*unlock"):
        driver.send("G1 X1")
    assert "ok" in driver.unlock()
    driver.send("G1 X1")
    assert sim.position[0] == 1.0


def test_soft_reset_during_a_move_raises_alarm_3(cnc):
    sim, driver = cnc(move_seconds=0.05)
    for n in range(10):
        driver.send_job_line(f"G1 X{n}")
    driver.soft_reset()
    time.sleep(0.2)
    assert driver.alarm == "ALARM:3"
    assert driver.status()["state"] == "Alarm"


def test_character_counting_fills_the_buffer_but_never_overflows_it(cnc):
    sim, driver = cnc(move_seconds=0.003)
    lines = [f"G1 X{n % 50}.125 Y{n % 30}.5 F1200" for n in range(300)]
    for line in lines:
        driver.send_job_line(line)
    driver.drain()
    assert sim.overflowed == 0
    assert sim.executed == lines
    assert sim.max_buffered > 60  # more than one line was in flight at a time
    assert sim.max_buffered <= RX_BUFFER


def test_feed_hold_and_resume(cnc):
    sim, driver = cnc(move_seconds=0.05)
    for n in range(5):
        driver.send_job_line(f"G1 X{n}")
    driver.pause_job()
    time.sleep(0.1)
    assert driver.status()["state"].startswith("Hold")
    driver.resume_job()
    driver.drain()
    assert sim.executed[-1] == "G1 X4"


def test_no_temperatures_on_a_cnc(cnc):
    sim, driver = cnc()
    with pytest.raises(DeviceError, match="no set temperature"):
        driver.execute("set_temperature", {"heater": "hotend", "target": 100})
