"""A Marlin 2.x printer on a pseudo-terminal.

It speaks what real firmware prints: the boot banner (with the stray non-UTF-8 bytes
some boards emit), ``ok``, ``ok T:.. /.. B:.. /.. @:..``, autoreports from M155,
``echo:busy: processing`` during long moves, ``Error:`` lines with and without a
following ``ok``, ``Resend: N`` after a bad checksum or a skipped line number, and
silence after M112, and a firmware halt (``Error:Printer halted. kill() called!``) in the
middle of a job. It tracks the head and the extruder (G90/G91 and M82/M83, as Marlin does:
G90/G91 set the extruder's mode too, M82/M83 only the extruder's). A board resets when its
port opens (it forgets its position and prints ``start``) unless ``reset_on_open`` is off,
as on boards whose auto-reset is disabled. Switches let a test provoke each quirk on purpose.
"""
import re
import time

from .serialport import PtySimulator

LINE = re.compile(rb"^N(\d+)\s+(.*)\*(\d+)$")


def checksum(data: bytes) -> int:
    value = 0
    for byte in data:
        value ^= byte
    return value


class MarlinSimulator(PtySimulator):
    boot_seconds = 0.15

    def __init__(self, *, corrupt_lines=(), resend_style="Resend: ", busy_seconds=0.0, lose_ok_for=(),
                 heat_rate=0.35, wait_when_idle=False, banner_noise=True, temperature_style="ok",
                 move_seconds=0.0, halt_at_line=None, halt_reason="Thermal Runaway, system stopped! Heater_ID: 0",
                 reset_on_open=True):
        super().__init__()
        self.corrupt_lines = set(corrupt_lines)  # line numbers whose first arrival is treated as garbled
        self.resend_style = resend_style  # "Resend: " (Marlin) or "Resend:" (older builds)
        self.busy_seconds = busy_seconds  # G28/G29 keep the host waiting with busy lines
        self.lose_ok_for = set(lose_ok_for)  # commands answered with an Error line and no ok
        self.heat_rate = heat_rate
        self.wait_when_idle = wait_when_idle
        self.banner_noise = banner_noise
        self.temperature_style = temperature_style
        self.move_seconds = move_seconds  # how long each G0/G1 takes before its ok, as on a real printer
        self.halt_at_line = halt_at_line  # the numbered line at which the firmware halts (a thermal runaway)
        self.halt_reason = halt_reason
        self.reset_on_open = reset_on_open  # False: a board whose auto-reset is off keeps its state
        self.reset_state()

    def reset_state(self):
        self.last_line = 0
        self.hotend, self.bed = 21.3, 21.0
        self.hotend_target, self.bed_target = 0.0, 0.0
        self.position = {"X": 0.0, "Y": 0.0, "Z": 0.0, "E": 0.0}
        self.relative = False  # G91: moves are offsets from where the head is
        self.relative_e = False  # M83 (or G91): extruder moves are offsets
        self.e_trail: list[float] = []  # E after every move that extrudes or retracts, for tests
        self.feedrate = 1500.0
        self.trail: list[tuple[float, float, float]] = []  # (X, Y, Z) after every move, for tests
        self.autoreport = 0.0
        self.next_report = 0.0
        self.halted = False
        self.fan = 0
        self.executed: list[str] = []
        self.last_activity = time.monotonic()

    def on_open(self):
        if not self.reset_on_open:
            return  # no reset: position, heaters and line numbers stay as they were, and no banner
        self.reset_state()
        noise = b"\xff\xfe\x00" if self.banner_noise else b""
        self.write(noise + b"start\n")
        self.write(b"echo:Marlin 2.1.2.1\n")
        self.write(b"echo: Last Updated: 2023-07-13 | Author: (none, default config)\n")
        self.write(b"echo:Compiled: Jul 13 2023\n")
        self.write(b"echo: Free Memory: 2515  PlannerBufferBytes: 1168\n")
        self.write(b"echo:SD card ok\n")

    # --- replies ---
    def temps(self) -> str:
        power = int(min(127, max(0, (self.hotend_target - self.hotend) * 4)))
        if self.temperature_style == "report":
            return f"T:{self.hotend:.2f}/ {self.hotend_target:.2f} B:{self.bed:.2f}/ {self.bed_target:.2f} @:{power}"
        return (f"T:{self.hotend:.1f} /{self.hotend_target:.1f} B:{self.bed:.1f} /{self.bed_target:.1f} "
                f"@:{power} B@:0")

    def ok(self, extra: str = "") -> None:
        self.write(f"ok{(' ' + extra) if extra else ''}\n")

    def resend(self, reason: str) -> None:
        self.write(f"Error:{reason}, Last Line: {self.last_line}\n")
        self.write(f"{self.resend_style}{self.last_line + 1}\n")
        self.ok()

    def on_line(self, raw: bytes):
        if self.halted:
            return  # after M112 the firmware answers nothing until it is reset
        self.last_activity = time.monotonic()
        text = raw.strip()
        match = LINE.match(text)
        if match:
            number, body, given = int(match.group(1)), match.group(2), int(match.group(3))
            unsigned = text[: text.rindex(b"*")]
            if number in self.corrupt_lines:
                self.corrupt_lines.discard(number)
                self.resend("checksum mismatch")
                return
            if checksum(unsigned) != given:
                self.resend("checksum mismatch")
                return
            if body.startswith(b"M110"):
                self.last_line = number
                self.ok()
                return
            if number != self.last_line + 1:
                self.resend("Line Number is not Last Line Number+1")
                return
            self.last_line = number
            text = body.strip()
            if number == self.halt_at_line:
                self.halt_at_line = None
                self.halted = True  # a real halt: the firmware stops and says why, with no ok
                self.write(f"Error:{self.halt_reason}\n")
                self.write("Error:Printer halted. kill() called!\n")
                return
        elif text.startswith(b"N"):
            self.write(f"Error:No Checksum with line number, Last Line: {self.last_line}\n")
            self.write(f"{self.resend_style}{self.last_line + 1}\n")
            self.ok()
            return
        self.execute(text.decode("ascii", "replace"))

    def execute(self, command: str):
        self.executed.append(command)
        word = command.split()[0].upper() if command.split() else ""
        params = {part[0].upper(): part[1:] for part in command.split()[1:] if part}

        def number(key, default=0.0):
            try:
                return float(params.get(key, default))
            except ValueError:
                return default

        if word in self.lose_ok_for:
            self.write(f"Error:Failed to execute {word}\n")  # and no ok: the host must ask again
            return
        if word == "M112":
            self.halted = True
            self.write("Error:Printer halted. kill() called!\n")
            return
        if word == "M115":
            self.write("FIRMWARE_NAME:Marlin 2.1.2.1 (Github) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin "
                       "PROTOCOL_VERSION:1.0 MACHINE_TYPE:3D Printer EXTRUDER_COUNT:1 "
                       "UUID:cede2a2f-41a2-4748-9b12-c55c62f367ff\n")
            for cap in ("SERIAL_XON_XOFF:0", "BINARY_FILE_TRANSFER:0", "EEPROM:1", "AUTOREPORT_TEMP:1",
                        "AUTOREPORT_POS:0", "EMERGENCY_PARSER:1", "HOST_ACTION_COMMANDS:0", "PROMPT_SUPPORT:0"):
                self.write(f"Cap:{cap}\n")
            self.ok()
        elif word == "M105":
            self.ok(self.temps())
        elif word == "M114":
            pos = self.position
            self.write(f"X:{pos['X']:.2f} Y:{pos['Y']:.2f} Z:{pos['Z']:.2f} E:{pos['E']:.2f} Count X:0 Y:0 Z:0\n")
            self.ok()
        elif word == "M155":
            self.autoreport = number("S")
            self.next_report = time.monotonic() + self.autoreport
            self.ok()
        elif word in ("M104", "M109"):
            self.hotend_target = number("S")
            if word == "M109":
                self.wait_for("hotend")
            self.ok()
        elif word in ("M140", "M190"):
            self.bed_target = number("S")
            if word == "M190":
                self.wait_for("bed")
            self.ok()
        elif word in ("G28", "G29"):
            end = time.monotonic() + self.busy_seconds
            while time.monotonic() < end:
                self.write("echo:busy: processing\n")
                time.sleep(min(0.2, max(0.0, end - time.monotonic())))
            named = [axis for axis in ("X", "Y", "Z") if axis in params]
            for axis in (named if word == "G28" and named else ("X", "Y", "Z")):  # "G28 X Y" homes only those
                self.position[axis] = 0.0
            self.trail.append((self.position["X"], self.position["Y"], self.position["Z"]))
            self.ok()
        elif word in ("G0", "G1"):
            for axis in ("X", "Y", "Z", "E"):
                relative = self.relative_e if axis == "E" else self.relative
                if axis in params:
                    self.position[axis] = number(axis) + (self.position[axis] if relative else 0.0)
            if "E" in params:
                self.e_trail.append(self.position["E"])
            if "F" in params:
                self.feedrate = number("F", self.feedrate)
            if any(axis in params for axis in ("X", "Y", "Z")):
                self.trail.append((self.position["X"], self.position["Y"], self.position["Z"]))
            if self.move_seconds:
                time.sleep(self.move_seconds)
            self.ok()
        elif word in ("G90", "G91"):
            self.relative = self.relative_e = word == "G91"  # as in Marlin: the extruder's mode follows
            self.ok()
        elif word in ("M82", "M83"):
            self.relative_e = word == "M83"
            self.ok()
        elif word == "G92":
            for axis in ("X", "Y", "Z", "E"):
                if axis in params:
                    self.position[axis] = number(axis)
            self.ok()
        elif word == "M106":
            self.fan = int(number("S", 255))
            self.ok()
        elif word in ("M107", "M84", "M400", "M117", "M220", "M221", "G4",
                      "M18", "M500", "M501", "M503", "G21"):
            if word == "M107":
                self.fan = 0
            self.ok()
        else:
            self.write(f'echo:Unknown command: "{command}"\n')
            self.ok()

    def wait_for(self, heater: str) -> None:
        """M109/M190: report temperatures each second-ish until the heater is within 1 °C."""
        while not self._stop.is_set():
            self.heat()
            actual, target = (self.hotend, self.hotend_target) if heater == "hotend" else (self.bed, self.bed_target)
            if abs(actual - target) < 1.0:
                return
            self.write(f" {self.temps()} W:?\n")
            time.sleep(0.05)

    def heat(self):
        self.hotend += (self.hotend_target - self.hotend if self.hotend_target else 21.3 - self.hotend) * self.heat_rate
        self.bed += (self.bed_target - self.bed if self.bed_target else 21.0 - self.bed) * self.heat_rate

    def tick(self):
        if self.halted:
            return
        self.heat()
        now = time.monotonic()
        if self.autoreport and now >= self.next_report:
            self.next_report = now + self.autoreport
            self.write(f" {self.temps()}\n" if self.temperature_style == "ok" else f"{self.temps()}\n")
        if self.wait_when_idle and now - self.last_activity > 1.0:
            self.last_activity = now
            self.write("wait\n")
