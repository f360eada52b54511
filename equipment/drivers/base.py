"""The one interface every machine driver has.

The gateway holds one driver per machine and calls it from that machine's own thread:
``connect`` (returns what the machine says of itself), ``status`` (one reading),
``send`` (raw G-code or the device's own command), ``execute`` (the commands services
queue: home, jog, set_temperature, fan), the job calls, ``emergency_stop`` and
``disconnect``. A driver raises ``DeviceGone`` when the machine stopped answering or its
port closed, and ``DeviceError`` when the machine answered with an error.
"""
import re
from abc import ABC, abstractmethod


class DeviceError(Exception):
    """The machine answered with an error (bad command, alarm, halted)."""


class DeviceGone(Exception):
    """The machine stopped answering, or its connection closed."""


TEMPERATURE = re.compile(r"\b(T\d?|B|C)\s*:\s*(-?\d+(?:\.\d+)?)\s*/\s*(-?\d+(?:\.\d+)?)")
POSITION = re.compile(r"\b([XYZE]):\s*(-?\d+(?:\.\d+)?)")
HEATER_NAMES = {"T": "hotend", "T0": "hotend", "B": "bed", "C": "chamber"}


def parse_temperatures(line: str) -> dict:
    """Temperatures in any form Marlin prints them: ``ok T:21.3 /0.0 B:...``, ``T:21.30/ 0.00 B:21.30/ 0.00 @:64``."""
    found = {}
    for name, actual, target in TEMPERATURE.findall(line):
        heater = HEATER_NAMES.get(name)
        if heater and heater not in found:
            found[heater] = {"actual": float(actual), "target": float(target)}
    return found


def parse_position(line: str) -> dict:
    """``X:0.00 Y:0.00 Z:0.00 E:0.00 Count ...`` → {"x": .., "y": .., "z": .., "e": ..} (the part before Count)."""
    head = line.split("Count")[0]
    return {axis.lower(): float(value) for axis, value in POSITION.findall(head)}


class Driver(ABC):
    """Base of every driver; ``settings`` are the machine's connection settings, secrets included.

    The abstract methods are what the gateway calls on every machine. Jobs come in two kinds:
    ``StreamingDriver`` (the gateway feeds the file line by line) and ``HostDriver`` (a host
    that prints from its own storage takes the whole file); a driver of neither kind (a JSON
    sensor) refuses jobs with a DeviceError.
    """

    streams_gcode = False  # True when the gateway sends a job line by line (serial firmware)

    def __init__(self, settings: dict):
        self.settings = settings
        self.info: dict = {}

    @abstractmethod
    def connect(self) -> dict:
        """Open the connection and say hello; what the machine says of itself (firmware, capabilities)."""

    @abstractmethod
    def disconnect(self) -> None:
        """Close the connection (also when it is already dead)."""

    @abstractmethod
    def status(self) -> dict:
        """One reading: ``hotend``/``bed`` ({actual, target}), ``position``, ``values``, ``state``."""

    @abstractmethod
    def send(self, gcode: str) -> str:
        """Send raw G-code (or the device's own command); what the machine answered."""

    @abstractmethod
    def emergency_stop(self) -> None:
        """Stop the machine at once, without waiting behind anything in flight."""

    def execute(self, name: str, arguments: dict) -> str:
        """Carry out a queued command by name; G-code firmware turns each into lines."""
        return self.send("\n".join(self.gcode_for(name, arguments)))

    @staticmethod
    def gcode_for(name: str, arguments: dict) -> list[str]:
        """The G-code of a command for firmware that speaks G-code."""
        if name == "home":
            return ["G28"]
        if name == "jog":
            moves = " ".join(f"{axis.upper()}{arguments[axis]:g}" for axis in ("x", "y", "z") if axis in arguments)
            return ["G91", f"G0 {moves} F{arguments.get('feed', 3000):g}", "G90"]
        if name == "set_temperature":
            code = "M104" if arguments["heater"] == "hotend" else "M140"
            return [f"{code} S{arguments['target']:g}"]
        if name == "fan":
            speed = round(255 * arguments["speed"] / 100)
            return [f"M106 S{speed}"] if speed else ["M107"]
        if name == "gcode":
            return [line for line in arguments["gcode"].splitlines() if line.strip()]
        raise DeviceError(f"unknown command {name}")

    # Jobs: a driver that runs none (a sensor) refuses them; the two kinds below say how they run.
    def send_job_line(self, line: str) -> None:
        raise DeviceError("this machine takes no job lines")

    def start_job(self, name: str, content: bytes) -> None:
        raise DeviceError("this machine runs no jobs")

    def pause_job(self, park: dict | None = None) -> None:
        raise DeviceError("this machine runs no jobs")

    def resume_job(self) -> None:
        raise DeviceError("this machine runs no jobs")

    def cancel_job(self) -> None:
        raise DeviceError("this machine runs no jobs")

    def job_progress(self) -> dict:
        """For hosts that print on their own: {"state": printing|paused|complete|..., "progress": 0-100}."""
        return {}


class StreamingDriver(Driver):
    """Firmware the gateway feeds a job line by line (Marlin, GRBL)."""

    streams_gcode = True

    @abstractmethod
    def send_job_line(self, line: str) -> None:
        """Send one line of the running job (returns when the firmware may take the next)."""

    @abstractmethod
    def pause_job(self, park: dict | None = None) -> None:
        """Hold the job after the lines already sent; ``park`` says where a print head waits (lift, x, y)."""

    @abstractmethod
    def resume_job(self) -> None:
        """Go on from where the job was held (the head back where it was)."""

    @abstractmethod
    def cancel_job(self) -> None:
        """Stop the job and leave the machine safe (heaters, spindle, motors off)."""


class HostDriver(Driver):
    """A host that prints from its own storage (OctoPrint, PrusaLink): it takes the whole file."""

    @abstractmethod
    def start_job(self, name: str, content: bytes) -> None:
        """Upload the file and start printing it."""

    @abstractmethod
    def pause_job(self, park: dict | None = None) -> None:
        """Ask the host to pause (it parks the head the way it is configured to)."""

    @abstractmethod
    def resume_job(self) -> None:
        """Ask the host to resume."""

    @abstractmethod
    def cancel_job(self) -> None:
        """Ask the host to cancel."""

    @abstractmethod
    def job_progress(self) -> dict:
        """{"state": printing|paused|complete|..., "progress": 0-100} as the host reports it."""
