"""The driver interface: abstract where every driver must answer, refusals where a kind of machine runs no jobs."""
import pytest

from equipment.drivers import DeviceError, Driver, HostDriver, StreamingDriver, driver_class


def test_a_driver_that_leaves_out_part_of_the_interface_cannot_be_made():
    class Half(StreamingDriver):
        def connect(self):
            return {}

    with pytest.raises(TypeError, match="abstract"):
        Half({})
    with pytest.raises(TypeError):
        Driver({})


def test_every_driver_implements_its_kind_of_job():
    assert issubclass(driver_class("marlin"), StreamingDriver) and issubclass(driver_class("grbl"), StreamingDriver)
    assert issubclass(driver_class("octoprint"), HostDriver) and issubclass(driver_class("prusalink"), HostDriver)
    for name in ("marlin", "grbl", "octoprint", "prusalink", "mqtt"):
        assert not driver_class(name).__abstractmethods__


def test_a_json_device_refuses_jobs_with_a_device_error():
    sensor = driver_class("mqtt")({"topic_prefix": "x/y", "url": "mqtt://127.0.0.1:1"})
    for call in (lambda: sensor.start_job("a.gcode", b"G28"), sensor.pause_job, sensor.resume_job, sensor.cancel_job,
                 lambda: sensor.send_job_line("G28")):
        with pytest.raises(DeviceError, match="no job"):
            call()
