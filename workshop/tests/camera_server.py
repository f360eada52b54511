"""A local HTTP server that serves whatever image it is given: the camera in tests and benches."""
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image, ImageDraw


def frame(shift: int = 0, size=(320, 240)) -> bytes:
    """A JPEG of a bar whose position follows ``shift`` (a print head moving)."""
    image = Image.new("RGB", size, (40, 40, 40))
    ImageDraw.Draw(image).rectangle([20 + shift, 80, 80 + shift, 160], fill=(230, 200, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


class CameraServer:
    """``with CameraServer() as cam: cam.image = frame(10); url = cam.url``; ``cam.status`` to fail."""

    def __init__(self):
        self.image, self.status, self.requests = frame(0), 200, 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                owner.requests += 1
                body = owner.image if owner.status == 200 else b"camera error"
                self.send_response(owner.status)
                self.send_header("Content-Type", "image/jpeg" if owner.status == 200 else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/snapshot.jpg"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
