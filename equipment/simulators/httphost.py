"""Print hosts on a local HTTP server: OctoPrint's REST API (``X-Api-Key``) and PrusaLink (HTTP Digest).

One simulated printer behind each: temperatures that move towards their targets, a
file store, and a job that advances while it prints, so a driver sees what a real
host would answer, including 401/403 for wrong credentials and 409 for a busy printer.
"""
import hashlib
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Printer:
    """The printer a host drives: heaters, a position, one job that advances a few % a second."""

    def __init__(self, lines_per_second=200):
        self.hotend = [21.0, 0.0]
        self.bed = [21.0, 0.0]
        self.files: dict[str, bytes] = {}
        self.job: str | None = None
        self.state = "Operational"
        self.done = 0
        self.total = 0
        self.rate = lines_per_second
        self.last = time.monotonic()
        self.commands: list[str] = []
        self.lock = threading.Lock()

    def advance(self):
        with self.lock:
            now = time.monotonic()
            elapsed, self.last = now - self.last, now
            for heater in (self.hotend, self.bed):
                heater[0] += ((heater[1] or 21.0) - heater[0]) * min(1.0, elapsed * 2)
            if self.state == "Printing":
                self.done = min(self.total, self.done + int(elapsed * self.rate) + 1)
                if self.done >= self.total:
                    self.state = "Operational"
                    self.job_finished = True

    def start(self, name):
        content = self.files[name]
        self.job, self.done, self.state = name, 0, "Printing"
        self.total = max(1, len([line for line in content.decode("utf-8", "replace").splitlines()
                                 if line.split(";")[0].strip()]))

    @property
    def progress(self):
        return round(100.0 * self.done / self.total, 1) if self.total else None


class _Handler(BaseHTTPRequestHandler):
    host = None  # set per server

    def log_message(self, *args):
        pass

    def body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def reply(self, status, payload=None, headers=None):
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if payload is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.host.handle(self, "GET")

    def do_POST(self):
        self.host.handle(self, "POST")

    def do_PUT(self):
        self.host.handle(self, "PUT")

    def do_DELETE(self):
        self.host.handle(self, "DELETE")


class HttpHost:
    def __init__(self):
        self.printer = Printer()
        handler = type("Handler", (_Handler,), {"host": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.requests: list[tuple[str, str]] = []

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def handle(self, request, method):
        self.requests.append((method, request.path))
        self.printer.advance()
        if not self.authorised(request):
            return
        try:
            self.route(request, method, request.path.split("?")[0])
        except (KeyError, ValueError, json.JSONDecodeError) as exc:
            request.reply(400, {"error": str(exc)})


class OctoPrintHost(HttpHost):
    """The parts of OctoPrint's REST API a driver needs."""

    def __init__(self, api_key="OCTO-KEY"):
        super().__init__()
        self.api_key = api_key
        self.connected = False

    def authorised(self, request):
        if request.headers.get("X-Api-Key") != self.api_key:
            request.reply(403, {"error": "Invalid API key"})
            return False
        return True

    def route(self, request, method, path):
        p = self.printer
        if path == "/api/version":
            return request.reply(200, {"api": "0.1", "server": "1.10.2", "text": "OctoPrint 1.10.2"})
        if path == "/api/connection":
            if method == "POST":
                command = json.loads(request.body())["command"]
                self.connected = command == "connect"
                return request.reply(204)
            state = "Operational" if self.connected else "Closed"
            return request.reply(200, {"current": {"state": state, "port": "/dev/ttyACM0", "baudrate": 115200}})
        if not self.connected:
            return request.reply(409, {"error": "Printer is not operational"})
        if path == "/api/printer" and method == "GET":
            flags = {"operational": True, "printing": p.state == "Printing", "paused": p.state == "Paused",
                     "ready": p.state == "Operational", "error": False}
            return request.reply(200, {
                "temperature": {"tool0": {"actual": round(p.hotend[0], 2), "target": p.hotend[1]},
                                "bed": {"actual": round(p.bed[0], 2), "target": p.bed[1]}},
                "state": {"text": p.state, "flags": flags}})
        if path == "/api/printer/command":
            data = json.loads(request.body())
            p.commands.extend(data.get("commands") or [data.get("command")])
            return request.reply(204)
        if path == "/api/printer/printhead":
            data = json.loads(request.body())
            p.commands.append(f"printhead {data['command']}")
            return request.reply(204)
        if path == "/api/printer/tool":
            data = json.loads(request.body())
            p.hotend[1] = float(data["targets"]["tool0"])
            return request.reply(204)
        if path == "/api/printer/bed":
            data = json.loads(request.body())
            p.bed[1] = float(data["target"])
            return request.reply(204)
        if path == "/api/files/local" and method == "POST":
            name, content, fields = _multipart(request)
            p.files[name] = content
            if fields.get("print") == "true":
                if p.state == "Printing":
                    return request.reply(409, {"error": "Printer is busy"})
                p.start(name)
            return request.reply(201, {"done": True, "files": {"local": {"name": name, "origin": "local"}}})
        if path == "/api/job":
            if method == "GET":
                return request.reply(200, {"job": {"file": {"name": p.job}}, "state": p.state,
                                           "progress": {"completion": p.progress, "filepos": p.done}})
            data = json.loads(request.body())
            if data["command"] == "pause":
                action = data.get("action", "toggle")
                if action == "pause" or (action == "toggle" and p.state == "Printing"):
                    p.state = "Paused"
                elif p.state == "Paused":
                    p.state = "Printing"
            elif data["command"] == "cancel":
                p.state, p.job = "Operational", None
            elif data["command"] == "start" and p.job:
                p.start(p.job)
            return request.reply(204)
        return request.reply(404, {"error": "Not found"})


def _multipart(request):
    """The file and the plain fields of a multipart/form-data body."""
    boundary = re.search(r"boundary=(.+)", request.headers["Content-Type"]).group(1).strip('"').encode()
    name, content, fields = None, b"", {}
    for part in request.body().split(b"--" + boundary):
        if b"\r\n\r\n" not in part:
            continue
        head, _, value = part.partition(b"\r\n\r\n")
        value = value[:-2] if value.endswith(b"\r\n") else value
        field = re.search(rb'name="([^"]+)"', head)
        filename = re.search(rb'filename="([^"]+)"', head)
        if filename:
            name, content = filename.group(1).decode(), value
        elif field:
            fields[field.group(1).decode()] = value.decode()
    return name, content, fields


class PrusaLinkHost(HttpHost):
    """PrusaLink's v1 API behind HTTP Digest authentication (realm "Printer API")."""

    realm = "Printer API"

    def __init__(self, username="maker", password="prusa-pass"):
        super().__init__()
        self.username, self.password = username, password
        self.nonces: set[str] = set()
        self.job_id = 0

    def authorised(self, request):
        header = request.headers.get("Authorization", "")
        if header.startswith("Digest ") and self._digest_ok(request, header[7:]):
            return True
        nonce = secrets.token_hex(8)
        self.nonces.add(nonce)
        request.reply(401, {"error": "Unauthorized"},
                      {"WWW-Authenticate": f'Digest realm="{self.realm}", nonce="{nonce}", qop="auth", '
                                           'algorithm=MD5'})
        return False

    def _digest_ok(self, request, header):
        parts = dict(re.findall(r'(\w+)="?([^",]+)"?', header))
        if parts.get("username") != self.username or parts.get("nonce") not in self.nonces:
            return False

        def md5(text):
            return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - HTTP Digest is MD5 by definition

        ha1 = md5(f"{self.username}:{self.realm}:{self.password}")
        ha2 = md5(f"{request.command}:{parts.get('uri')}")
        if parts.get("qop"):
            expected = md5(f"{ha1}:{parts['nonce']}:{parts['nc']}:{parts['cnonce']}:{parts['qop']}:{ha2}")
        else:
            expected = md5(f"{ha1}:{parts['nonce']}:{ha2}")
        return secrets.compare_digest(expected, parts.get("response", ""))

    def route(self, request, method, path):
        p = self.printer
        state = {"Operational": "IDLE", "Printing": "PRINTING", "Paused": "PAUSED"}.get(p.state, "IDLE")
        if path == "/api/version":
            return request.reply(200, {"api": "2.0.0", "server": "2.1.2", "text": "PrusaLink", "hostname": "mk4"})
        if path == "/api/v1/status":
            status = {"printer": {"state": state, "temp_nozzle": round(p.hotend[0], 2), "target_nozzle": p.hotend[1],
                                  "temp_bed": round(p.bed[0], 2), "target_bed": p.bed[1],
                                  "axis_x": 0.0, "axis_y": 0.0, "axis_z": 0.2}}
            if p.job:
                status["job"] = {"id": self.job_id, "progress": p.progress}
            return request.reply(200, status)
        if path == "/api/v1/job":
            if not p.job:
                return request.reply(204)
            return request.reply(200, {"id": self.job_id, "state": state, "progress": p.progress,
                                       "file": {"name": p.job}})
        if path.startswith("/api/v1/files/usb/") and method == "PUT":
            name = path.rsplit("/", 1)[1]
            p.files[name] = request.body()
            if request.headers.get("Print-After-Upload") in ("?1", "1", "true"):
                if p.state == "Printing":
                    return request.reply(409, {"title": "Printer is busy"})
                self.job_id += 1
                p.start(name)
            return request.reply(201)
        match = re.match(r"^/api/v1/job/(\d+)(?:/(pause|resume))?$", path)
        if match and int(match.group(1)) == self.job_id and p.job:
            verb = match.group(2)
            if method == "DELETE":
                p.state, p.job = "Operational", None
            elif verb == "pause" and p.state == "Printing":
                p.state = "Paused"
            elif verb == "resume" and p.state == "Paused":
                p.state = "Printing"
            else:
                return request.reply(409, {"title": "Not in a state for that"})
            return request.reply(204)
        return request.reply(404, {"title": "Not found"})
