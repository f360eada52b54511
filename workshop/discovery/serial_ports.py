"""Serial ports with their USB ids, and a probe that asks a port what firmware answers (Marlin or GRBL).

The probe never touches a port a machine holds: a port configured on an enabled machine the
gateway has connected (or is connecting) is refused before it is opened, and the port is
opened exclusively so a second prober cannot share it either.
"""
import re
import time

import serial
from serial.tools import list_ports

from core.errors import Conflict, RuleViolation
from equipment import states
from equipment.models import Machine

BAUDS = (9600, 19200, 38400, 57600, 115200, 250000, 500000)
GRBL_BANNER = re.compile(r"Grbl\s+(?P<version>\S+)")
GRBL_VERSION = re.compile(r"\[VER:(?P<version>[^:\]]+)")
MARLIN = re.compile(r"FIRMWARE_NAME:(?P<name>.+?)(?:\s+SOURCE_CODE_URL:|\s+PROTOCOL_VERSION:|$)")


def machines_on(port: str) -> list[Machine]:
    """Enabled serial machines configured on ``port``."""
    return [machine for machine in Machine.objects.filter(enabled=True, driver__in=["marlin", "grbl"])
            if (machine.connection or {}).get("port") == port]


def held_by(port: str) -> Machine | None:
    """The machine whose gateway link holds ``port`` now (connected or connecting), if any."""
    for machine in machines_on(port):
        if machine.state in states.ONLINE or machine.state == states.CONNECTING:
            return machine
    return None


def serial_ports() -> list[dict]:
    """Every serial port the system lists, with USB vendor/product ids and the machine configured on it."""
    rows = []
    for info in sorted(list_ports.comports(), key=lambda port: port.device):
        configured = machines_on(info.device)
        rows.append({
            "device": info.device, "description": info.description, "hwid": info.hwid,
            "vid": f"{info.vid:04x}" if info.vid is not None else None,
            "pid": f"{info.pid:04x}" if info.pid is not None else None,
            "serial_number": info.serial_number, "manufacturer": info.manufacturer, "product": info.product,
            "machines": [machine.name for machine in configured],
        })
    return rows


def _read_lines(port, seconds: float) -> list[str]:
    lines, buffer, deadline = [], b"", time.monotonic() + seconds
    while time.monotonic() < deadline:
        chunk = port.read(256)
        if not chunk:
            continue
        buffer += chunk
        *complete, buffer = re.split(rb"\r?\n", buffer)
        lines += [line.decode("ascii", "replace").strip() for line in complete if line.strip()]
        if any(line == "ok" or line.startswith("ok ") for line in lines[-2:]):
            break
    return lines


def _identify(lines: list[str]) -> dict | None:
    text = "\n".join(lines)
    grbl = GRBL_VERSION.search(text) or GRBL_BANNER.search(text)
    if grbl:
        return {"firmware": "grbl", "version": grbl.group("version"), "driver": "grbl", "kind": "cnc"}
    marlin = MARLIN.search(text)
    if marlin:
        caps = sorted(line[4:] for line in lines if line.startswith("Cap:"))
        return {"firmware": "marlin", "version": marlin.group("name").strip(), "driver": "marlin",
                "kind": "fdm_printer", "capabilities": caps}
    return None


def probe_port(port_name: str, baud: int = 115200, *, listen: float = 1.5, answer: float = 2.0) -> dict:
    """Open ``port_name`` and ask: listen for a banner, send M115 (Marlin), then ``$I`` (GRBL).

    Conflict when a machine's gateway link holds the port, or the port is busy; RuleViolation
    for a baud rate no firmware uses.
    """
    if baud not in BAUDS:
        raise RuleViolation(f"baud must be one of {', '.join(map(str, BAUDS))}.", fields={"baud": ["bad baud"]})
    holder = held_by(port_name)
    if holder is not None:
        raise Conflict(f"{port_name} is in use by {holder.name} ({holder.state}); disconnect it before probing.",
                       code="port_in_use")
    started = time.monotonic()
    try:
        port = serial.Serial(port_name, baud, timeout=0.1, write_timeout=1, exclusive=True)
    except (serial.SerialException, OSError) as exc:
        raise Conflict(f"{port_name} cannot be opened: {exc}", code="port_unavailable") from exc
    try:
        lines = _read_lines(port, listen)  # a board that resets on open greets us (GRBL always does)
        found = _identify(lines)
        for question in (b"M115\n", b"$I\n"):
            if found:
                break
            port.reset_input_buffer()
            port.write(question)
            lines += _read_lines(port, answer)
            found = _identify(lines)
    finally:
        port.close()
    return {"port": port_name, "baud": baud, "seconds": round(time.monotonic() - started, 2),
            "found": found is not None, **(found or {"firmware": None}), "heard": lines[-12:]}
