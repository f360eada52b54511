"""The one interface every machine driver has.

The gateway holds one driver per machine and calls it from that machine's own thread:
``connect`` (returns what the machine says of itself), ``status`` (one reading),
``send`` (raw G-code or the device's own command), ``execute`` (the commands services
queue: home, jog, set_temperature, fan), the job calls, ``emergency_stop`` and
``disconnect``. A driver raises ``DeviceGone`` when the machine stopped answering or its
port closed, and ``DeviceError`` when the machine answered with an error.
"""
import re


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


class Driver:
    """Base of every driver; ``settings`` are the machine's connection settings, secrets included."""

    streams_gcode = False  # True when the gateway sends a job line by line (serial firmware)

    def __init__(self, settings: dict):
        self.settings = settings
        self.info: dict = {}

    def connect(self) -> dict:
        raise NotImplementedError

    def disconnect(self) -> None:
        raise NotImplementedError

    def status(self) -> dict:
        """One reading: ``hotend``/``bed`` ({actual, target}), ``position``, ``values``, ``state``."""
        raise NotImplementedError

    def send(self, gcode: str) -> str:
        raise NotImplementedError

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

    # Jobs. Streaming drivers get lines from the gateway; hosts that print from their own storage
    # (OctoPrint, PrusaLink) take the whole file.
    def send_job_line(self, line: str) -> None:
        raise NotImplementedError

    def start_job(self, name: str, content: bytes) -> None:
        raise NotImplementedError

    def pause_job(self) -> None:
        raise NotImplementedError

    def resume_job(self) -> None:
        raise NotImplementedError

    def cancel_job(self) -> None:
        raise NotImplementedError

    def job_progress(self) -> dict:
        """For hosts that print on their own: {"state": printing|paused|complete|..., "progress": 0-100}."""
        return {}

    def emergency_stop(self) -> None:
        raise NotImplementedError
