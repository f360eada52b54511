"""Drivers by name: what a machine's ``driver`` field selects."""
from .base import DeviceError, DeviceGone, Driver, HostDriver, StreamingDriver


def driver_class(name: str) -> type[Driver]:
    """The driver class for a machine's ``driver`` value."""
    from .grbl import GrblDriver
    from .http import OctoPrintDriver, PrusaLinkDriver
    from .marlin import MarlinDriver
    from .mqtt import MqttDriver

    return {"marlin": MarlinDriver, "grbl": GrblDriver, "octoprint": OctoPrintDriver,
            "prusalink": PrusaLinkDriver, "mqtt": MqttDriver}[name]


__all__ = ["DeviceError", "DeviceGone", "Driver", "HostDriver", "StreamingDriver", "driver_class"]
