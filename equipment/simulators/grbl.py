"""A GRBL 1.1 controller on a pseudo-terminal.

Real-time bytes (``?`` status, ``!`` hold, ``~`` resume, Ctrl-X soft reset) act at once;
lines go into a 128-byte receive buffer and are answered ``ok`` or ``error:N`` as they
are executed (each move takes a little time, so a host that overfills the buffer
loses bytes, as on the real board). It can start in alarm (homing required), which
only ``$H`` or ``$X`` clears.
"""
import threading
import time
from collections import deque

from .serialport import PtySimulator

RX_BUFFER = 128


class GrblSimulator(PtySimulator):
    realtime = b"?!~\x18"
    boot_seconds = 0.0

    def __init__(self, *, start_in_alarm=False, move_seconds=0.002):
        super().__init__()
        self.start_in_alarm = start_in_alarm
        self.move_seconds = move_seconds
        self.pending: deque[bytes] = deque()
        self.buffered = 0
        self.overflowed = 0
        self.max_buffered = 0
        self.executed: list[str] = []
        self.lock = threading.Lock()
        self.reset()
        self.worker = threading.Thread(target=self._work, daemon=True)

    def start(self):
        super().start()
        self.worker.start()
        return self

    def reset(self):
        self.state = "Alarm" if self.start_in_alarm else "Idle"
        self.position = [0.0, 0.0, 0.0]
        self.feed, self.spindle = 0, 0
        with getattr(self, "lock", threading.Lock()):
            self.pending = deque()
            self.buffered = 0

    def banner(self):
        self.write(b"\r\nGrbl 1.1h ['$' for help]\r\n")
        if self.state == "Alarm":
            self.write(b"[MSG:'$H'|'$X' to unlock]\r\n")

    def on_open(self):
        self.reset()
        self.banner()

    def on_byte(self, byte: bytes):
        if byte == b"?":
            x, y, z = self.position
            self.write(f"<{self.state}|MPos:{x:.3f},{y:.3f},{z:.3f}|FS:{self.feed},{self.spindle}>\r\n")
        elif byte == b"!" and (self.state in ("Run", "Jog", "Idle") and (self.pending or self.state != "Idle")):
            self.state = "Hold:0"
        elif byte == b"~" and self.state.startswith("Hold"):
            self.state = "Run" if self.pending else "Idle"
        elif byte == b"\x18":
            was_moving = bool(self.pending) or self.state in ("Run", "Jog") or self.state.startswith("Hold")
            self.reset()
            if was_moving:
                self.state = "Alarm"  # a reset during motion loses position: ALARM:3
                self.write(b"ALARM:3\r\n")
            self.banner()

    def on_line(self, line: bytes):
        size = len(line) + 1
        with self.lock:
            if self.buffered + size > RX_BUFFER:
                self.overflowed += 1  # the real board drops what does not fit
                return
            self.buffered += size
            self.max_buffered = max(self.max_buffered, self.buffered)
            self.pending.append(line)

    def _work(self):
        while not self._stop.is_set():
            if self.state.startswith("Hold") or not self.pending:
                time.sleep(0.002)
                continue
            with self.lock:
                # GRBL frees a line's bytes when it parses it, before it answers ok.
                line = self.pending.popleft()
                self.buffered -= len(line) + 1
            self.answer(line.decode("ascii", "replace").strip())
            if not self.pending and self.state == "Run":
                self.state = "Idle"

    def answer(self, command: str):
        self.executed.append(command)
        upper = command.upper()
        if upper == "$X":
            self.state = "Idle"
            self.write(b"[MSG:Caution: Unlocked]\r\nok\r\n")
        elif upper == "$H":
            self.state = "Idle"
            self.position = [0.0, 0.0, 0.0]
            self.write(b"ok\r\n")
        elif self.state == "Alarm":
            self.write(b"error:9\r\n")  # G-code locked out during alarm or jog state
        elif upper.startswith("$"):
            self.write(b"ok\r\n")
        elif upper.startswith(("G0", "G1", "$J=")):
            if not self.state.startswith("Hold"):
                self.state = "Run"
            for part in upper.replace("$J=", "").split()[1:] if not upper.startswith("$J=") else upper[3:].split():
                if part[:1] in "XYZ" and part[1:]:
                    try:
                        self.position["XYZ".index(part[0])] = float(part[1:])
                    except ValueError:
                        self.write(b"error:2\r\n")
                        return
                elif part[:1] == "F":
                    self.feed = int(float(part[1:] or 0))
            time.sleep(self.move_seconds)
            self.write(b"ok\r\n")
        elif upper[:1] in ("G", "M", "S", "F", "T"):
            if upper.startswith("M3") or upper.startswith("M4"):
                self.spindle = 1000
            if upper.startswith("M5"):
                self.spindle = 0
            self.write(b"ok\r\n")
        else:
            self.write(b"error:1\r\n")  # G-code words consist of a letter and a value
