"""GRBL over a serial port: status reports, ok/error/ALARM, character-counting streaming.

GRBL answers every line with ``ok`` or ``error:N`` and has a 128-byte receive buffer.
Instead of one line per ``ok``, the driver keeps as many lines in flight as fit in
that buffer, counting their characters, and frees them as answers come (GRBL's
"character counting" streaming). ``?`` asks for a status report at any time,
Ctrl-X is a soft reset, ``$X`` unlocks after an alarm and ``$H`` homes.
"""
import queue
import re
import threading
import time
from collections import deque

import serial

from .base import DeviceError, DeviceGone, StreamingDriver

STATUS = re.compile(r"<([A-Za-z]+)(?::\d)?\|(?:MPos|WPos):(-?[\d.]+),(-?[\d.]+),(-?[\d.]+)(?:.*?FS:(\d+),(\d+))?")
RX_BUFFER = 127  # one byte less than GRBL's buffer, so a full buffer never blocks its parser


class GrblDriver(StreamingDriver):
    answer_timeout = 5.0

    def __init__(self, settings: dict):
        super().__init__(settings)
        self.port = None
        self.lines: queue.Queue[str] = queue.Queue()
        self.in_flight: deque[int] = deque()
        self.answers: deque[str] = deque()
        self.closed = threading.Event()
        self.reader = None
        self.last_status: dict = {}
        self.alarm: str | None = None
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.status_seen = threading.Event()

    def connect(self) -> dict:
        try:
            self.port = serial.Serial(self.settings["port"], self.settings.get("baud", 115200), timeout=0.1)
        except (serial.SerialException, OSError) as exc:
            raise DeviceGone(f"cannot open {self.settings['port']}: {exc}") from exc
        self.closed.clear()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        banner = self._wait_banner()
        if banner is None:
            self.soft_reset()
            banner = self._wait_banner()
        if banner is None:
            raise DeviceGone("no GRBL banner after a soft reset")
        self.info = {"firmware": banner}
        return self.info

    def _wait_banner(self, limit=2.0):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.info.get("_banner"):
                return self.info.pop("_banner")
            time.sleep(0.02)
        return None

    def _read(self):
        buffer = b""
        while not self.closed.is_set():
            try:
                chunk = self.port.read(self.port.in_waiting or 1)
            except (serial.SerialException, OSError, TypeError, AttributeError):
                self.closed.set()
                break
            buffer += chunk
            while b"\n" in buffer:
                raw, buffer = buffer.split(b"\n", 1)
                self._line(raw.decode("ascii", "replace").strip())

    def _line(self, line: str):
        if not line:
            return
        if line.startswith("Grbl "):
            self.info["_banner"] = line.split("[")[0].strip()
            with self.lock:
                self.in_flight.clear()  # a reset empties GRBL's buffer: nothing is in flight any more
            return
        if line.startswith("<"):
            match = STATUS.match(line)
            if match:
                state, x, y, z, feed, spindle = match.groups()
                self.last_status = {"state": state, "position": {"x": float(x), "y": float(y), "z": float(z)},
                                    "feed": int(feed or 0), "spindle": int(spindle or 0)}
                self.status_seen.set()
            return
        if line.startswith("ALARM:"):
            self.alarm = line
            return
        if line == "ok" or line.startswith("error:"):
            with self.lock:
                if self.in_flight:
                    self.in_flight.popleft()
            if line.startswith("error:"):
                self.errors.append(line)
            self.answers.append(line)
            return
        self.lines.put(line)  # [MSG:...], [GC:...] and settings

    def _write(self, data: bytes):
        if self.closed.is_set():
            raise DeviceGone("the port is closed")
        try:
            self.port.write(data)
        except (serial.SerialException, OSError) as exc:
            self.closed.set()
            raise DeviceGone(str(exc)) from exc

    def disconnect(self) -> None:
        self.closed.set()
        if self.port is not None:
            try:
                self.port.close()
            except (serial.SerialException, OSError):
                pass

    # --- streaming ---
    def queue_line(self, line: str) -> None:
        """Send a line as soon as it fits into GRBL's receive buffer (character counting)."""
        size = len(line) + 1
        deadline = time.monotonic() + self.answer_timeout
        while True:
            with self.lock:
                if sum(self.in_flight) + size <= RX_BUFFER:
                    self.in_flight.append(size)
                    break
            if self.closed.is_set():
                raise DeviceGone("the port closed")
            if time.monotonic() > deadline:
                raise DeviceGone("GRBL stopped answering")
            time.sleep(0.001)
        self._write((line + "\n").encode("ascii", "replace"))

    def drain(self) -> list[str]:
        """Wait until every line in flight is answered; the answers."""
        deadline = time.monotonic() + self.answer_timeout
        while self.in_flight:
            if self.closed.is_set():
                raise DeviceGone("the port closed")
            if time.monotonic() > deadline:
                raise DeviceGone("GRBL stopped answering")
            time.sleep(0.002)
        answers = list(self.answers)
        self.answers.clear()
        return answers

    def send(self, gcode: str) -> str:
        self.answers.clear()
        for line in gcode.splitlines():
            line = line.split(";", 1)[0].strip()
            if line:
                self.queue_line(line)
        answers = self.drain()
        failed = [a for a in answers if a.startswith("error:")]
        if failed:
            raise DeviceError(", ".join(failed) + (" (alarm: unlock with $X or home with $H)"
                                                   if "error:9" in failed else ""))
        return "\n".join(answers)

    def send_job_line(self, line: str) -> None:
        self.queue_line(line)

    def status(self) -> dict:
        self.status_seen.clear()
        self._write(b"?")
        if not self.status_seen.wait(self.answer_timeout / 2):
            raise DeviceGone("no status report")
        reading = dict(self.last_status)
        if self.alarm:
            reading["alarm"] = self.alarm
        return reading

    def execute(self, name: str, arguments: dict) -> str:
        if name == "home":
            return self.send("$H")
        if name == "jog":
            moves = " ".join(f"{axis.upper()}{arguments[axis]:g}" for axis in ("x", "y", "z") if axis in arguments)
            return self.send(f"$J=G91 {moves} F{arguments.get('feed', 1000):g}")
        if name in ("set_temperature", "fan"):
            raise DeviceError(f"a GRBL machine has no {name.replace('_', ' ')}")
        return super().execute(name, arguments)

    def soft_reset(self) -> None:
        self._write(b"\x18")
        with self.lock:
            self.in_flight.clear()

    def unlock(self) -> str:
        self.alarm = None
        return self.send("$X")

    def pause_job(self, park: dict | None = None) -> None:
        """Feed hold: GRBL decelerates and holds where it is (a spindle or laser needs no park move)."""
        self._write(b"!")

    def resume_job(self) -> None:
        self._write(b"~")

    def cancel_job(self) -> None:
        """Feed hold, then soft reset: the only way to drop what GRBL has buffered; unlock the alarm it causes."""
        self._write(b"!")
        time.sleep(0.05)
        self.soft_reset()
        self._wait_banner()
        self.unlock()

    def emergency_stop(self) -> None:
        self._write(b"!")
        self.soft_reset()
