"""A firmware simulator's end of a pseudo-terminal.

The host opens ``port`` (``/dev/pts/N``) like a USB serial adapter. The simulator sees
the host open and close it (the pty master reports a hang-up while nobody holds the
port), which is how it behaves like a board that resets when its port is opened.
"""
import os
import pty
import select
import threading
import time
import tty


class PtySimulator:
    """Runs ``on_open``, ``on_line`` and ``on_byte`` of a subclass in its own thread."""

    boot_seconds = 0.0  # a board that resets on open ignores what the host sends while it boots
    realtime = b""  # bytes handled the moment they arrive (GRBL's ?, !, ~ and Ctrl-X)

    def __init__(self):
        self.master, slave = pty.openpty()
        tty.setraw(slave)
        self.port = os.ttyname(slave)
        os.close(slave)
        self._stop = threading.Event()
        self._write_lock = threading.Lock()
        self._buffer = b""
        self.received: list[bytes] = []  # every line the host sent, for tests
        self.opened = 0
        self.held = False  # whether the host holds the port now, as the simulator last saw it
        self.thread = threading.Thread(target=self._run, name=f"sim {self.port}", daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self._stop.set()
        self.thread.join(timeout=2)
        try:
            os.close(self.master)
        except OSError:
            pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- for subclasses ---
    def write(self, data: bytes | str) -> None:
        """Send bytes to the host (dropped while nobody holds the port)."""
        if isinstance(data, str):
            data = data.encode()
        with self._write_lock:
            try:
                os.write(self.master, data)
            except OSError:
                pass

    def on_open(self) -> None:
        """The host opened the port (a board would reset here)."""

    def on_line(self, line: bytes) -> None:
        """One line from the host, without its line ending."""

    def on_byte(self, byte: bytes) -> None:
        """A real-time byte from ``realtime``."""

    def tick(self) -> None:
        """Called about every 50 ms while the port is open (heaters, autoreports)."""

    # --- the loop ---
    def _run(self):
        poller = select.poll()
        poller.register(self.master, select.POLLIN | select.POLLHUP)
        was_open = False
        last_tick = time.monotonic()
        boot_until = 0.0
        while not self._stop.is_set():
            events = poller.poll(50)
            hung_up = any(flag & select.POLLHUP for _, flag in events)
            if hung_up:
                was_open = self.held = False
                time.sleep(0.02)
                continue
            if not was_open:
                was_open = self.held = True
                self.opened += 1
                self._buffer = b""
                boot_until = time.monotonic() + self.boot_seconds
                self.on_open()
            if any(flag & select.POLLIN for _, flag in events):
                try:
                    data = os.read(self.master, 4096)
                except OSError:
                    continue
                if time.monotonic() < boot_until:
                    continue  # the bootloader is running: bytes are lost, as on a real board
                self._feed(data)
            now = time.monotonic()
            if now - last_tick >= 0.05:
                last_tick = now
                self.tick()

    def _feed(self, data: bytes) -> None:
        for value in data:
            byte = bytes([value])
            if byte in self.realtime:
                self.on_byte(byte)
                continue
            if byte in (b"\n", b"\r"):
                if self._buffer:
                    line, self._buffer = self._buffer, b""
                    self.received.append(line)
                    self.on_line(line)
                continue
            self._buffer += byte
