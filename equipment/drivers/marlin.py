"""Marlin over a serial port: numbered lines with checksums, one in flight per ``ok``.

What real firmware does and this driver copes with:
- the board resets when its port opens: wait for ``start`` (or a quiet spell), then
  ``M110 N0`` and the ``M115`` handshake (firmware name, ``Cap:`` lines);
- start-up banners may hold bytes that are not UTF-8: lines are decoded leniently;
- ``Resend: N`` / ``Resend:N`` replays line N from the buffer of sent lines;
- ``echo:busy: processing`` and ``wait`` lines keep a command alive, they are not answers;
- temperatures come in ``ok T:21.3 /0.0 B:...`` and ``T:21.30/ 0.00 B:21.30/ 0.00 @:64``
  (autoreport after M155); either updates the latest reading;
- ``Error:`` lines may be followed by ``ok`` or not; a command without an answer within
  the timeout is asked again with ``M105`` instead of waiting for ever;
- after ``M112`` the firmware goes silent: the driver stops expecting answers.
"""
import queue
import re
import threading
import time

import serial

from .base import DeviceError, DeviceGone, StreamingDriver, parse_position, parse_temperatures


def checksum(text: str) -> int:
    value = 0
    for byte in text.encode("ascii", "replace"):
        value ^= byte
    return value


FEED = re.compile(r"\bF(\d+(?:\.\d+)?)", re.IGNORECASE)


class MarlinDriver(StreamingDriver):
    ok_timeout = 2.0  # seconds without any answer before M105 asks again
    busy_grace = 3.0  # a busy line extends the wait by this much
    max_reasks = 3
    history = 500  # sent lines kept for resends
    park_feed_xy = 6000  # mm/min for the moves to the park position and back
    park_feed_z = 600
    retract_feed = 2100  # mm/min of filament for the pull-back before parking and the prime after

    def __init__(self, settings: dict):
        super().__init__(settings)
        self.port: serial.Serial | None = None
        self.lines: queue.Queue[str] = queue.Queue()
        self.reader: threading.Thread | None = None
        self.line_number = 0
        self.sent: dict[int, str] = {}
        self.reading: dict = {}
        self.errors: list[str] = []
        self.halted = False
        self.closed = threading.Event()
        self.lock = threading.Lock()  # one command exchange at a time
        # What the job's own lines set, so a park move can put it back: G90/G91, M82/M83 and the last feed rate.
        self.relative = False
        self.relative_e = False  # M83, or G91 (which sets the extruder's mode too, as G90 clears it)
        self.feedrate: float | None = None
        self.parked_at: dict | None = None  # where the head was when the job paused (x, y, z)
        self.retracted = 0.0  # filament pulled back at the pause, primed again before the resume

    # --- the port ---
    def connect(self) -> dict:
        try:
            self.port = serial.Serial(self.settings["port"], self.settings.get("baud", 115200), timeout=0.1,
                                      write_timeout=2)
        except (serial.SerialException, OSError) as exc:
            raise DeviceGone(f"cannot open {self.settings['port']}: {exc}") from exc
        self.closed.clear()
        self.halted = False
        self.reader = threading.Thread(target=self._read, daemon=True, name=f"marlin {self.settings['port']}")
        self.reader.start()
        reset = self._wait_for_boot()
        self.line_number = 0
        self.sent.clear()
        self._exchange("M110 N0", number=0)
        self.info = self._handshake()
        self.info["_reset"] = reset  # a board that reset has forgotten its position (the gateway records it)
        return self.info

    def _wait_for_boot(self, limit: float = 3.0) -> bool:
        """A board that resets on open prints ``start`` and a banner; anything sent before is lost.

        True when it did reset (it printed ``start``)."""
        deadline = time.monotonic() + limit
        quiet_since = time.monotonic()
        started = False
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.05)
            except queue.Empty:
                # A board that does not reset says nothing: after a quiet spell it is ready.
                if time.monotonic() - quiet_since > (0.3 if started else 0.6):
                    return started
                continue
            quiet_since = time.monotonic()
            if line.endswith("start"):
                started = True
        return started

    def _handshake(self) -> dict:
        answer = self._exchange("M115")
        info = {"capabilities": {}}
        for line in answer:
            if "FIRMWARE_NAME:" in line:
                head = line.split("FIRMWARE_NAME:", 1)[1]
                info["firmware"] = head.split(" SOURCE_CODE_URL:")[0].split(" PROTOCOL_VERSION:")[0].strip()
                for part in ("PROTOCOL_VERSION", "MACHINE_TYPE", "EXTRUDER_COUNT"):
                    if f"{part}:" in line:
                        value = line.split(f"{part}:", 1)[1].split(" ")[0]
                        info[part.lower()] = value
            elif line.startswith("Cap:") and ":" in line[4:]:
                name, value = line[4:].rsplit(":", 1)
                info["capabilities"][name] = value.strip() == "1"
        if "firmware" not in info:
            raise DeviceError("the board did not answer M115 with a firmware name")
        return info

    def _read(self) -> None:
        buffer = b""
        while not self.closed.is_set():
            try:
                chunk = self.port.read(self.port.in_waiting or 1)
            except (serial.SerialException, OSError, TypeError, AttributeError):
                self.closed.set()
                break
            if not chunk:
                continue
            buffer += chunk
            while b"\n" in buffer:
                raw, buffer = buffer.split(b"\n", 1)
                # Boards print stray bytes while they boot; decode leniently, never fail on them.
                line = raw.decode("utf-8", "replace").replace("\ufffd", "").replace("\x00", "").strip()
                if not line:
                    continue
                temps = parse_temperatures(line)
                if temps:
                    self.reading.update(temps)
                    self.reading["at"] = time.time()
                self.lines.put(line)

    def disconnect(self) -> None:
        self.closed.set()
        if self.port is not None:
            try:
                self.port.close()
            except (serial.SerialException, OSError):
                pass
        if self.reader is not None:
            self.reader.join(timeout=1)

    # --- lines ---
    def _write(self, text: str) -> None:
        if self.closed.is_set():
            raise DeviceGone("the port is closed")
        try:
            self.port.write((text + "\n").encode("ascii", "replace"))
        except (serial.SerialException, OSError) as exc:
            self.closed.set()
            raise DeviceGone(f"writing failed: {exc}") from exc

    def _drain(self) -> None:
        """Drop what arrived between exchanges (autoreports, ``wait``): with one line in flight none of it answers."""
        while True:
            try:
                self.lines.get_nowait()
            except queue.Empty:
                return

    def _numbered(self, number: int, command: str) -> str:
        body = f"N{number} {command}"
        return f"{body}*{checksum(body)}"

    def _exchange(self, command: str, number: int | None = None) -> list[str]:
        """Send one numbered line and wait for its ``ok``; the lines that came with it."""
        if self.halted:
            raise DeviceError("the firmware is halted (M112); reset the board by reconnecting")
        with self.lock:
            if number is None:
                self.line_number += 1
                number = self.line_number
            else:
                self.line_number = number
            self.sent[number] = command
            self.sent.pop(number - self.history, None)
            self._drain()
            self._write(self._numbered(number, command))
            return self._await_ok(command)

    def _await_ok(self, command: str) -> list[str]:
        answer: list[str] = []
        deadline = time.monotonic() + self.ok_timeout
        reasks = 0
        while True:
            if self.closed.is_set():
                raise DeviceGone("the port closed")
            try:
                line = self.lines.get(timeout=0.05)
            except queue.Empty:
                if time.monotonic() < deadline:
                    continue
                # No answer: maybe an Error line without ok, maybe a lost ok. Ask again with M105,
                # whose ok stands for the one that went missing.
                if reasks >= self.max_reasks:
                    raise DeviceGone(f"no answer to {command} after {reasks} re-asks") from None
                reasks += 1
                self._write("M105")
                deadline = time.monotonic() + self.ok_timeout
                continue
            lowered = line.lower()
            # Any line shows the board is alive (M109 prints temperatures for minutes before its ok).
            deadline = max(deadline, time.monotonic() + self.ok_timeout)
            if line.startswith("ok"):
                return answer
            if lowered.startswith("resend"):
                number = int(line.split(":", 1)[1].strip())
                self._resend_from(number)
                deadline = time.monotonic() + self.ok_timeout
                continue
            if lowered.startswith("echo:busy") or lowered.startswith("busy:") or lowered == "wait":
                deadline = max(deadline, time.monotonic() + self.busy_grace)
                continue
            if lowered.startswith("error:"):
                if "halted" in lowered or "kill()" in lowered:
                    self.halted = True
                    raise DeviceError(line)
                if "checksum" not in lowered and "line number" not in lowered:
                    self.errors.append(line)  # a transmission error is repaired by the Resend that follows
                answer.append(line)
                continue
            if parse_temperatures(line) and not lowered.startswith("ok"):
                continue  # an autoreport or M109 progress line, already taken into the reading
            answer.append(line)

    def _resend_from(self, number: int) -> None:
        """Replay the lines from ``number`` on; the ok that follows the Resend belongs to the garbled line."""
        if number not in self.sent:
            raise DeviceError(f"the firmware asked for line {number}, which is no longer kept")
        # The firmware sends "ok" right after "Resend:"; it acknowledges nothing, so drop it.
        try:
            following = self.lines.get(timeout=self.ok_timeout)
        except queue.Empty:
            following = ""
        if following and not following.startswith("ok"):
            self.lines.put(following)
        for n in range(number, self.line_number + 1):
            self._write(self._numbered(n, self.sent[n]))

    # --- the interface ---
    def send(self, gcode: str) -> str:
        """Send G-code lines one by one; what the firmware printed besides ``ok``."""
        out = []
        for line in gcode.splitlines():
            line = line.split(";", 1)[0].strip()
            if line.upper() == "M112":
                self.emergency_stop()
                return "halted"
            if line:
                out.extend(self._exchange(line))
        return "\n".join(out)

    def status(self) -> dict:
        self._exchange("M105")
        position = {}
        for line in self._exchange("M114"):
            if line.startswith("X:"):
                position = parse_position(line)
        reading = {key: value for key, value in self.reading.items() if key in ("hotend", "bed", "chamber")}
        if position:
            reading["position"] = position
        return reading

    def send_job_line(self, line: str) -> None:
        self._exchange(line)
        self._follow_modes(line)

    def _follow_modes(self, line: str) -> None:
        """Note the positioning modes and feed rate the job's lines leave behind (a park move changes them)."""
        word = line.split(None, 1)[0].upper() if line.strip() else ""
        if word in ("G90", "G91"):
            self.relative = self.relative_e = word == "G91"  # Marlin: G90/G91 set the extruder's mode as well
        elif word in ("M82", "M83"):
            self.relative_e = word == "M83"
        elif word in ("G0", "G1", "G2", "G3"):
            feed = FEED.search(line)
            if feed:
                self.feedrate = float(feed.group(1))

    def position(self) -> dict:
        """Where the head is now, from M114 (``x``, ``y``, ``z``, ``e``)."""
        for line in self._exchange("M114"):
            if line.startswith("X:"):
                return parse_position(line)
        return {}

    def pause_job(self, park: dict | None = None) -> None:
        """Park the head of a paused print: the planner drains (M400), the position is kept (M114), ``retract``
        mm of filament go back so the nozzle does not ooze on the print, Z goes up by ``lift`` (at most to
        ``z_max``), then X/Y go to the park spot. Heaters stay on for the resume."""
        park = park or {}
        self._exchange("M400")  # every move already sent is finished before the position is read
        here = self.position()
        if not {"x", "y", "z"} <= here.keys():
            raise DeviceError("the board did not report its position (M114), so the head was not parked")
        self.parked_at = here
        lines = []
        self.retracted = max(0.0, float(park.get("retract") or 0))
        if self.retracted:
            # A relative extruder move pulls back the same length whatever mode the job's E values use;
            # the job's own modes are put back at the resume.
            lines += ["M83", f"G1 E-{self.retracted:.3f} F{self.retract_feed}"]
        lifted = here["z"] + float(park.get("lift", 10))
        if park.get("z_max"):
            lifted = max(here["z"], min(lifted, float(park["z_max"])))
        lines += ["G90", f"G1 Z{lifted:.3f} F{self.park_feed_z}",
                  f"G1 X{float(park.get('x', 0)):.3f} Y{float(park.get('y', 0)):.3f} F{self.park_feed_xy}", "M400"]
        for line in lines:
            self._exchange(line)

    def resume_job(self) -> None:
        """Bring the head back before the job goes on: X/Y at the lifted height, then Z down, then the filament
        pulled back at the pause is primed, then the job's modes (G90/G91, M82/M83, feed rate) are put back."""
        here, self.parked_at = self.parked_at, None
        if here is None:
            return
        lines = ["G90", f"G1 X{here['x']:.3f} Y{here['y']:.3f} F{self.park_feed_xy}",
                 f"G1 Z{here['z']:.3f} F{self.park_feed_z}"]
        if self.retracted:
            lines += ["M83", f"G1 E{self.retracted:.3f} F{self.retract_feed}"]
            self.retracted = 0.0
        lines += self.job_modes()
        lines.append("M400")
        for line in lines:
            self._exchange(line)

    def job_modes(self) -> list[str]:
        """The lines that put back the job's feed rate and modes; G90/G91 first, as they reset the extruder's mode."""
        lines = [f"G1 F{self.feedrate:g}"] if self.feedrate else []  # a next move without F goes at its own speed
        return lines + ["G91" if self.relative else "G90", "M83" if self.relative_e else "M82"]

    def recover(self, state: dict, park: dict | None = None) -> None:
        """Before an interrupted job goes on from its line: lift the nozzle off the print, heat up again, home X and
        Y, go back over the print and down to its height, and put back E and the job's modes.

        ``state`` is what the job's lines before that line left behind (``gcode.state_at``). The
        firmware must know Z (homed or set since its last reset; the services refuse the resume
        otherwise); X and Y are homed here, which is safe with the nozzle lifted.
        """
        park = park or {}
        here = self.position()
        lifted = here.get("z", 0.0) + float(park.get("lift", 10))
        if park.get("z_max"):
            lifted = max(here.get("z", 0.0), min(lifted, float(park["z_max"])))
        lines = ["G90", f"G1 Z{lifted:.3f} F{self.park_feed_z}"]
        for code, key in (("M140", "bed"), ("M104", "hotend"), ("M190", "bed"), ("M109", "hotend")):
            if state.get(key):
                lines.append(f"{code} S{state[key]:g}")  # a reset board woke up with its heaters off
        lines.append("G28 X Y")
        if state.get("x") is not None and state.get("y") is not None:
            lines.append(f"G1 X{state['x']:.3f} Y{state['y']:.3f} F{self.park_feed_xy}")
        if state.get("z") is not None:
            lines.append(f"G1 Z{state['z']:.3f} F{self.park_feed_z}")
        if state.get("e") is not None:
            lines.append(f"G92 E{state['e']:.5f}")  # the file's next absolute E value extrudes only its own length
        self.relative, self.relative_e = bool(state.get("relative")), bool(state.get("relative_e"))
        self.feedrate, self.parked_at, self.retracted = state.get("feedrate"), None, 0.0
        lines += self.job_modes()
        lines.append("M400")
        for line in lines:
            self._exchange(line)

    def cancel_job(self) -> None:
        """After a cancelled job: heaters and motors off (a parked head stays where it is)."""
        self.parked_at, self.retracted = None, 0.0
        for line in ("M104 S0", "M140 S0", "M107", "M84"):
            self._exchange(line)

    def emergency_stop(self) -> None:
        """M112 is parsed at once by the firmware's emergency parser; after it the board says nothing more."""
        self.halted = True
        try:
            self._write("M112")
        except DeviceGone:
            pass
