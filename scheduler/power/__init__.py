"""PDU drivers: one interface (status of all outlets, on, off, cycle) over each vendor's protocol.

``driver_for(pdu, password)`` answers the driver for a PDU row. Drivers speak to the device
and read its state back; they never touch the database (the power service records what
they report). Every failure to reach or understand the device is a ``PowerError``.
"""
import time
from urllib.parse import urlparse


class PowerError(Exception):
    """The PDU could not be reached, timed out, or answered something we cannot read."""


class Driver:
    """Interface every PDU driver implements; states are ``"on"`` or ``"off"``."""

    def __init__(self, address: str, username: str = "", password: str = "", options: dict | None = None,
                 timeout: float = 5.0, privacy: str = ""):
        self.address = address
        self.username = username
        self.password = password
        self.privacy = privacy  # a second secret (the SNMP v3 privacy passphrase); empty elsewhere
        self.options = options or {}
        self.timeout = timeout

    def status(self) -> dict[int, str]:
        """The state of every outlet the PDU reports, keyed by outlet number (1-based)."""
        raise NotImplementedError

    def switch(self, number: int, on: bool) -> str:
        """Switch one outlet and answer the state the PDU reports afterwards."""
        raise NotImplementedError

    def cycle(self, number: int, delay: float) -> str:
        """Off, wait ``delay`` seconds, on; answers the state reported at the end."""
        self.switch(number, False)
        time.sleep(delay)
        return self.switch(number, True)


def mqtt_address(url: str) -> tuple[str, int]:
    """Host and port of an ``mqtt://host:port`` URL."""
    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or 1883


def driver_for(pdu, password: str, timeout: float, privacy: str = "") -> Driver:
    """The driver object for ``pdu`` (a PDU row) with its unsealed password (and SNMP v3 privacy passphrase)."""
    # Imported here: each driver pulls its own client library, needed only when that driver is used.
    if pdu.driver == "tasmota":
        from .tasmota import TasmotaDriver
        return TasmotaDriver(pdu.address, pdu.username, password, pdu.options, timeout)
    if pdu.driver == "raritan":
        from .raritan import RaritanDriver
        return RaritanDriver(pdu.address, pdu.username, password, pdu.options, timeout)
    if pdu.driver == "snmp":
        from .snmp import SnmpDriver
        return SnmpDriver(pdu.address, pdu.username, password, pdu.options, timeout, privacy)
    raise PowerError(f"No driver called {pdu.driver!r}.")
