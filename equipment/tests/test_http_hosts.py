"""OctoPrint and PrusaLink drivers against local HTTP hosts that check the credentials for real."""
import time

import pytest

from equipment.drivers.base import DeviceError, DeviceGone
from equipment.drivers.http import OctoPrintDriver, PrusaLinkDriver
from equipment.simulators.httphost import OctoPrintHost, PrusaLinkHost

GCODE = ("G28\n" + "".join(f"G1 X{n}\n" for n in range(400))).encode()


@pytest.fixture
def octoprint():
    with OctoPrintHost(api_key="right-key") as host:
        yield host


@pytest.fixture
def prusalink():
    with PrusaLinkHost(username="maker", password="s3cret") as host:
        yield host


def test_octoprint_refuses_a_wrong_api_key(octoprint):
    with pytest.raises(DeviceError, match="403"):
        OctoPrintDriver({"url": octoprint.url, "api_key": "wrong"}).connect()


def test_octoprint_connects_its_printer_and_reads_temperatures(octoprint):
    driver = OctoPrintDriver({"url": octoprint.url, "api_key": "right-key"})
    assert driver.connect()["firmware"] == "OctoPrint 1.10.2"
    assert octoprint.connected
    driver.execute("set_temperature", {"heater": "bed", "target": 60})
    time.sleep(0.3)
    reading = driver.status()
    assert reading["bed"]["target"] == 60.0 and reading["bed"]["actual"] > 21


def test_octoprint_upload_select_print_pause_resume_cancel(octoprint):
    driver = OctoPrintDriver({"url": octoprint.url, "api_key": "right-key"})
    driver.connect()
    driver.start_job("part.gcode", GCODE)
    assert octoprint.printer.files["part.gcode"] == GCODE
    assert driver.job_progress()["state"] == "printing"
    driver.pause_job()
    assert driver.job_progress()["state"] == "paused"
    driver.resume_job()
    assert driver.job_progress()["state"] == "printing"
    driver.cancel_job()
    assert driver.job_progress()["state"] == "idle"


def test_octoprint_commands_go_to_the_printer(octoprint):
    driver = OctoPrintDriver({"url": octoprint.url, "api_key": "right-key"})
    driver.connect()
    driver.send("M105\nG28 X")
    driver.execute("home", {})
    assert octoprint.printer.commands == ["M105", "G28 X", "printhead home"]


def test_prusalink_needs_digest_credentials(prusalink):
    with pytest.raises(DeviceError, match="401"):
        PrusaLinkDriver({"url": prusalink.url, "username": "maker", "password": "nope"}).connect()


def test_prusalink_status_and_a_job(prusalink):
    driver = PrusaLinkDriver({"url": prusalink.url, "username": "maker", "password": "s3cret"})
    assert driver.connect()["firmware"] == "PrusaLink"
    assert driver.status()["host_state"] == "IDLE"
    driver.start_job("part.gcode", GCODE)
    assert driver.job_progress()["state"] == "printing"
    driver.pause_job()
    assert driver.status()["host_state"] == "PAUSED"
    driver.resume_job()
    time.sleep(2.2)
    assert driver.job_progress()["state"] in ("idle", "printing")
    assert any(method == "PUT" and "files/usb/part.gcode" in path for method, path in prusalink.requests)


def test_prusalink_refuses_raw_gcode(prusalink):
    driver = PrusaLinkDriver({"url": prusalink.url, "username": "maker", "password": "s3cret"})
    driver.connect()
    with pytest.raises(DeviceError, match="no raw G-code"):
        driver.send("M105")


def test_a_host_that_is_gone_is_reported_gone():
    with pytest.raises(DeviceGone):
        OctoPrintDriver({"url": "http://127.0.0.1:9", "api_key": "k"}).connect()
