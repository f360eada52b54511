"""A lean MQTT 3.1.1 subscriber for one busy topic: a device's telemetry at QoS 1.

paho spends about 30 µs of Python on each message it receives (a packet object, callback
dispatch, three reads and a wake-up per packet), which caps one gateway at a few tens of
thousands of messages a second on a whole core. Telemetry needs none of that: this reader
takes what the socket holds in one read, cuts the PUBLISH packets out of it, keeps each
payload as the raw bytes the device sent, and acknowledges them all (PUBACK) in one write.
Commands, status and events stay on paho (``equipment.mqttlink``), which handles the rest
of the protocol.
"""
import socket
import struct
import threading
import time
import uuid
from datetime import UTC, datetime

CONNECT, CONNACK, PUBLISH, PUBACK, SUBSCRIBE, SUBACK, PINGREQ, PINGRESP, DISCONNECT = 1, 2, 3, 4, 8, 9, 12, 13, 14


class StreamError(Exception):
    """The broker refused the connection or the subscription, or the connection closed."""


def _length(value: int) -> bytes:
    """MQTT's variable-length integer."""
    out = bytearray()
    while True:
        value, digit = divmod(value, 128)
        out.append(digit | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _text(value: str) -> bytes:
    data = value.encode()
    return struct.pack("!H", len(data)) + data


def _packet(kind: int, flags: int, body: bytes) -> bytes:
    return bytes([kind << 4 | flags]) + _length(len(body)) + body


class TelemetryStream:
    """Subscribe to ``topic`` at QoS 1 and hand every message's payload to ``on_messages`` in batches.

    ``on_messages(at, payloads)`` is called from the reader's thread with the time the batch
    arrived and the payloads in order. ``open`` returns once the broker granted the
    subscription; ``closed`` is set when the connection ends for any reason.
    """

    def __init__(self, host: str, port: int, topic: str, on_messages, *, username=None, password=None,
                 keepalive: int = 20):
        self.host, self.port, self.topic, self.on_messages = host, port, topic, on_messages
        self.username, self.password, self.keepalive = username, password, keepalive
        self.sock: socket.socket | None = None
        self.closed = threading.Event()
        self.reason = ""
        self.thread: threading.Thread | None = None
        self.buffer = b""
        self.last_sent = 0.0

    # --- opening ---
    def open(self, timeout: float = 5.0) -> "TelemetryStream":
        """Connect, subscribe and start reading; StreamError when the broker says no."""
        self.sock = socket.create_connection((self.host, self.port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        flags = 0x02 | (0x80 if self.username else 0) | (0x40 if self.password else 0)  # clean session
        body = _text("MQTT") + bytes([4, flags]) + struct.pack("!H", self.keepalive)
        body += _text(f"telemetry-{uuid.uuid4().hex[:12]}")
        if self.username:
            body += _text(self.username)
        if self.password:
            body += _text(self.password)
        self._send(_packet(CONNECT, 0, body))
        kind, data = self._next_packet_blocking()
        if kind != CONNACK or len(data) < 2 or data[1] != 0:
            self.close()
            raise StreamError(f"the broker refused the connection (CONNACK {data[1:2].hex() or '?'})")
        self._send(_packet(SUBSCRIBE, 0x02, struct.pack("!H", 1) + _text(self.topic) + b"\x01"))
        kind, data = self._next_packet_blocking()
        if kind != SUBACK or data[2:3] == b"\x80":
            self.close()
            raise StreamError(f"the broker refused the subscription to {self.topic}")
        self.sock.settimeout(self.keepalive / 2)
        self.thread = threading.Thread(target=self._read, daemon=True, name=f"telemetry {self.topic}")
        self.thread.start()
        return self

    def _next_packet_blocking(self) -> tuple[int, bytes]:
        while True:
            packets = self._cut()
            if packets:
                return packets[0]
            data = self.sock.recv(65536)
            if not data:
                raise StreamError("the broker closed the connection")
            self.buffer += data

    # --- reading ---
    def _cut(self) -> list[tuple[int, bytes]]:
        """Whole packets at the front of the buffer (kind, first byte's flags and body); the rest stays."""
        out = []
        buffer, at, size = self.buffer, 0, len(self.buffer)
        while at + 2 <= size:
            first = buffer[at]
            length, multiplier, index = 0, 1, at + 1
            while True:
                if index >= size:
                    self.buffer = buffer[at:]
                    return out
                digit = buffer[index]
                length += (digit & 0x7F) * multiplier
                multiplier *= 128
                index += 1
                if not digit & 0x80:
                    break
            end = index + length
            if end > size:
                break
            out.append((first >> 4, bytes([first & 0x0F]) + buffer[index:end]))
            at = end
        self.buffer = buffer[at:]
        return out

    def _read(self) -> None:
        try:
            while not self.closed.is_set():
                try:
                    data = self.sock.recv(256 * 1024)
                except TimeoutError:
                    data = None
                if data == b"":
                    raise StreamError("the broker closed the connection")
                if data:
                    self.buffer += data
                    self._take(self._cut())
                if time.monotonic() - self.last_sent > self.keepalive / 2:
                    self._send(b"\xc0\x00")  # PINGREQ: the link is idle, tell the broker we are here
        except (OSError, StreamError) as exc:
            self.reason = str(exc) or type(exc).__name__
        finally:
            self.closed.set()

    def _take(self, packets) -> None:
        """Payloads of the PUBLISH packets in order; their PUBACKs in one write."""
        payloads, acks = [], []
        for kind, data in packets:
            if kind != PUBLISH:
                continue  # PINGRESP, or a late SUBACK
            qos = (data[0] >> 1) & 0x03
            topic_end = 3 + int.from_bytes(data[1:3], "big")
            if qos:
                acks.append(b"\x40\x02" + data[topic_end:topic_end + 2])
                payloads.append(data[topic_end + 2:])
            else:
                payloads.append(data[topic_end:])
        if acks:
            self._send(b"".join(acks))
        if payloads:
            self.on_messages(datetime.now(UTC), payloads)

    def _send(self, data: bytes) -> None:
        self.sock.sendall(data)
        self.last_sent = time.monotonic()

    # --- closing ---
    def close(self) -> None:
        """Say goodbye (DISCONNECT) and close; the reader thread ends."""
        self.closed.set()
        if self.sock is not None:
            try:
                self.sock.sendall(b"\xe0\x00")
            except OSError:
                pass
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join(timeout=2)
