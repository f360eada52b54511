"""A local HTTP server that serves whatever image it is given: the camera in tests and benches.

``/snapshot.jpg`` answers one JPEG per GET; ``/stream.mjpg`` is an MJPEG stream
(``multipart/x-mixed-replace``) sending the current image ``fps`` times a second until the
client goes, each part with ``Content-Length`` unless ``cam.lengths`` is False (then the
reader must find the next boundary).
"""
import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image, ImageDraw

BOUNDARY = "benchtopframe"


def frame(shift: int = 0, size=(320, 240)) -> bytes:
    """A JPEG of a bar whose position follows ``shift`` (a print head moving)."""
    image = Image.new("RGB", size, (40, 40, 40))
    ImageDraw.Draw(image).rectangle([20 + shift, 80, 80 + shift, 160], fill=(230, 200, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


class CameraServer:
    """``with CameraServer() as cam: cam.image = frame(10); url = cam.url``; ``cam.status`` to fail.

    ``cam.mjpeg_url`` streams; ``cam.streams`` counts stream clients, ``cam.frames_sent`` their parts.
    """

    def __init__(self, fps: float = 10.0):
        self.image, self.status, self.requests = frame(0), 200, 0
        self.fps, self.lengths, self.streams, self.frames_sent = fps, True, 0, 0
        self.closing = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                owner.requests += 1
                if self.path.startswith("/stream.mjpg") and owner.status == 200:
                    return self.stream()
                body = owner.image if owner.status == 200 else b"camera error"
                self.send_response(owner.status)
                self.send_header("Content-Type", "image/jpeg" if owner.status == 200 else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def stream(self):
                owner.streams += 1
                self.send_response(200)
                self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                try:
                    while not owner.closing.is_set():
                        image = owner.image
                        head = f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n"
                        if owner.lengths:
                            head += f"Content-Length: {len(image)}\r\n"
                        self.wfile.write(head.encode() + b"\r\n" + image + b"\r\n")
                        self.wfile.flush()
                        owner.frames_sent += 1
                        time.sleep(1 / owner.fps)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client went away: a stream ends that way

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url, self.mjpeg_url = f"{base}/snapshot.jpg", f"{base}/stream.mjpg"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()
