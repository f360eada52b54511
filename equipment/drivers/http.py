"""Print hosts over HTTP: OctoPrint (REST, ``X-Api-Key``) and PrusaLink (v1 API, HTTP Digest).

These hosts print from their own storage: a job is uploaded whole and the host streams
it to its printer; the driver polls the host for state and progress.
"""
import httpx

from .base import DeviceError, DeviceGone, HostDriver


class HttpDriver(HostDriver):
    timeout = 3.0

    def __init__(self, settings: dict):
        super().__init__(settings)
        self.client: httpx.Client | None = None

    def _client(self) -> httpx.Client:
        raise NotImplementedError

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        if self.client is None:
            raise DeviceGone("not connected")
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise DeviceGone(f"{self.settings['url']} does not answer: {exc}") from exc
        if response.status_code in (401, 403):
            raise DeviceError(f"the host refused the credentials ({response.status_code})")
        if response.status_code >= 400:
            raise DeviceError(f"{method} {path}: {response.status_code} {response.text[:200]}")
        return response

    def connect(self) -> dict:
        self.client = self._client()
        version = self.request("GET", "/api/version").json()
        self.info = {"firmware": version.get("text", ""), "server": version.get("server", "")}
        return self.info

    def disconnect(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None


class OctoPrintDriver(HttpDriver):
    def _client(self):
        return httpx.Client(base_url=self.settings["url"], timeout=self.timeout,
                            headers={"X-Api-Key": self.settings.get("api_key", "")})

    def connect(self) -> dict:
        info = super().connect()
        state = self.request("GET", "/api/connection").json()["current"]["state"]
        if state in ("Closed", "Offline"):
            self.request("POST", "/api/connection", json={"command": "connect", "autoconnect": True})
        return info

    def status(self) -> dict:
        data = self.request("GET", "/api/printer").json()
        temps = data.get("temperature", {})
        reading = {}
        for source, name in (("tool0", "hotend"), ("bed", "bed")):
            if source in temps:
                reading[name] = {"actual": temps[source]["actual"], "target": temps[source]["target"]}
        reading["host_state"] = data["state"]["text"]
        return reading

    def send(self, gcode: str) -> str:
        self.request("POST", "/api/printer/command", json={"commands": gcode.splitlines()})
        return ""

    def execute(self, name: str, arguments: dict) -> str:
        if name == "home":
            self.request("POST", "/api/printer/printhead", json={"command": "home", "axes": ["x", "y", "z"]})
        elif name == "jog":
            self.request("POST", "/api/printer/printhead",
                         json={"command": "jog", **{a: arguments[a] for a in ("x", "y", "z") if a in arguments}})
        elif name == "set_temperature" and arguments["heater"] == "hotend":
            self.request("POST", "/api/printer/tool",
                         json={"command": "target", "targets": {"tool0": arguments["target"]}})
        elif name == "set_temperature":
            self.request("POST", "/api/printer/bed", json={"command": "target", "target": arguments["target"]})
        else:
            return super().execute(name, arguments)
        return ""

    def start_job(self, name: str, content: bytes) -> None:
        self.request("POST", "/api/files/local", files={"file": (name, content, "application/octet-stream")},
                     data={"select": "true", "print": "true"})

    def pause_job(self, park: dict | None = None) -> None:
        self.request("POST", "/api/job", json={"command": "pause", "action": "pause"})

    def resume_job(self) -> None:
        self.request("POST", "/api/job", json={"command": "pause", "action": "resume"})

    def cancel_job(self) -> None:
        self.request("POST", "/api/job", json={"command": "cancel"})

    def job_progress(self) -> dict:
        data = self.request("GET", "/api/job").json()
        state = {"Printing": "printing", "Paused": "paused", "Operational": "idle"}.get(data["state"], data["state"])
        return {"state": state, "progress": data["progress"]["completion"]}

    def emergency_stop(self) -> None:
        self.request("POST", "/api/printer/command", json={"commands": ["M112"]})


class PrusaLinkDriver(HttpDriver):
    def _client(self):
        return httpx.Client(base_url=self.settings["url"], timeout=self.timeout,
                            auth=httpx.DigestAuth(self.settings.get("username", ""), self.settings.get("password", "")))

    def status(self) -> dict:
        data = self.request("GET", "/api/v1/status").json()
        printer = data["printer"]
        reading = {"hotend": {"actual": printer["temp_nozzle"], "target": printer["target_nozzle"]},
                   "bed": {"actual": printer["temp_bed"], "target": printer["target_bed"]},
                   "position": {"x": printer.get("axis_x"), "y": printer.get("axis_y"), "z": printer.get("axis_z")},
                   "host_state": printer["state"]}
        return reading

    def send(self, gcode: str) -> str:
        raise DeviceError("PrusaLink takes no raw G-code; upload a file instead")

    def execute(self, name: str, arguments: dict) -> str:
        raise DeviceError(f"PrusaLink offers no {name.replace('_', ' ')} command; use the printer's own screen")

    def _job_id(self):
        response = self.request("GET", "/api/v1/job")
        if response.status_code == 204:
            raise DeviceError("the printer has no job")
        return response.json()["id"]

    def start_job(self, name: str, content: bytes) -> None:
        self.request("PUT", f"/api/v1/files/usb/{name}", content=content,
                     headers={"Print-After-Upload": "?1", "Overwrite": "?1", "Content-Type": "text/x.gcode"})

    def pause_job(self, park: dict | None = None) -> None:
        self.request("PUT", f"/api/v1/job/{self._job_id()}/pause")

    def resume_job(self) -> None:
        self.request("PUT", f"/api/v1/job/{self._job_id()}/resume")

    def cancel_job(self) -> None:
        self.request("DELETE", f"/api/v1/job/{self._job_id()}")

    def job_progress(self) -> dict:
        response = self.request("GET", "/api/v1/job")
        if response.status_code == 204:
            return {"state": "idle", "progress": None}
        data = response.json()
        return {"state": data["state"].lower(), "progress": data["progress"]}

    def emergency_stop(self) -> None:
        """PrusaLink has no emergency stop; stopping the job is the nearest it offers."""
        try:
            self.cancel_job()
        except DeviceError:
            pass
