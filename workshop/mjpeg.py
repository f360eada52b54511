"""MJPEG streams (``multipart/x-mixed-replace``): reading JPEG frames out of one.

A stream is a run of parts, each opened by ``--<boundary>``, then headers, a blank line and
the JPEG. Cameras differ: most send ``Content-Length`` (read exactly that many bytes), some
do not (read up to the next boundary); some put ``--`` in the boundary parameter itself,
some quote it. ``FrameReader`` takes any iterator of byte chunks, so the same parser reads
an httpx stream and a test's bytes.
"""
from collections.abc import Iterator


class StreamError(Exception):
    """The stream is not MJPEG, ended, or broke its own framing."""


def boundary_of(content_type: str) -> bytes:
    """The boundary named by a ``multipart/x-mixed-replace`` Content-Type, without leading dashes."""
    kind, _, params = content_type.partition(";")
    if kind.strip().lower() != "multipart/x-mixed-replace":
        raise StreamError(f"not an MJPEG stream (Content-Type {kind.strip() or 'missing'})")
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "boundary" and value.strip():
            value = value.strip().strip('"')
            return value[2:].encode() if value.startswith("--") else value.encode()
    raise StreamError("the MJPEG stream names no boundary")


class FrameReader:
    """Frames of one MJPEG stream: ``next_frame()`` answers the next JPEG's bytes."""

    def __init__(self, chunks: Iterator[bytes], boundary: bytes, *, max_bytes: int = 10 * 2**20):
        self.chunks = iter(chunks)
        self.marker = b"--" + boundary
        self.max_bytes = max_bytes
        self.buffer = b""

    def _more(self) -> None:
        for chunk in self.chunks:
            if chunk:
                self.buffer += chunk
                return
        raise StreamError("the stream ended")

    def _line(self) -> bytes:
        while b"\n" not in self.buffer:
            if len(self.buffer) > self.max_bytes:
                raise StreamError("no line end in the stream")
            self._more()
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.rstrip(b"\r")

    def _exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._more()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _until_boundary(self) -> bytes:
        # The part ends at CRLF (or LF) before the next boundary line.
        while True:
            at = self.buffer.find(b"\n" + self.marker)
            if at >= 0:
                data, self.buffer = self.buffer[:at], self.buffer[at + 1:]
                return data.removesuffix(b"\r")
            if len(self.buffer) > self.max_bytes:
                raise StreamError("a frame is larger than allowed")
            self._more()

    def next_frame(self) -> bytes:
        """The next JPEG in the stream (skipping anything before its boundary)."""
        skipped = 0
        while True:
            line = self._line()
            if line.strip() in (self.marker, self.marker + b"--"):
                if line.strip().endswith(b"--") and line.strip() != self.marker:
                    raise StreamError("the stream closed its last part")
                break
            skipped += len(line)
            if skipped > self.max_bytes:
                raise StreamError("no boundary found in the stream")
        headers = {}
        while True:
            line = self._line()
            if not line:
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        length = headers.get("content-length")
        if length is not None:
            try:
                size = int(length)
            except ValueError as exc:
                raise StreamError(f"bad Content-Length {length!r}") from exc
            if not 0 < size <= self.max_bytes:
                raise StreamError(f"a frame of {size} bytes is not allowed")
            return self._exactly(size)
        return self._until_boundary()
