"""The reference agent: a real program that works for Benchtop over its HTTP API with an agent key.

It heartbeats, claims tasks matching its capabilities and carries out a few built-in actions,
chosen by the step's ``parameters["action"]``:

- ``wait``: wait ``seconds`` (at most an hour), reporting progress;
- ``http_check``: GET a URL on this machine (loopback only) and expect ``expect_status`` (200);
- ``benchtop_call``: call a Benchtop service through the API, by name (``BENCHTOP_CALLS``).

It never runs a shell or a program named in a task: a task can only pick one of these actions.
"""
import ipaddress
import threading
import time
from urllib.parse import urlparse

import httpx

BENCHTOP_CALLS = {
    "export_stock_csv": "/api/inventory/materials/export.csv",
    "low_stock": "/api/inventory/low-stock/",
    "health": "/health",
}
LOOPBACK_NAMES = {"localhost"}


class TaskFailed(Exception):
    """The action could not be done; the message goes to Benchtop as the task's error."""


class Refused(Exception):
    """Benchtop refused a report with 409: the task ended elsewhere (cancelled, timed out) or is not ours."""


def is_local(url: str) -> bool:
    """Whether ``url`` is http(s) on a loopback address (the only kind an HTTP check may reach)."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return False
    if parsed.hostname in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(parsed.hostname).is_loopback
    except ValueError:
        return False


class ReferenceAgent:
    """One agent process: ``run()`` loops heartbeat → claim → act → report until told to stop."""

    def __init__(self, base_url: str, key: str, capabilities: list[str], *, poll_seconds: float = 1.0, out=print):
        self.capabilities = list(capabilities)
        self.base = base_url.rstrip("/")
        self.http = httpx.Client(base_url=self.base, headers={"Authorization": f"Api-Key {key}"}, timeout=30)
        self.poll_seconds = poll_seconds
        self.heartbeat_seconds = 10
        self.out = out
        self.stopping = threading.Event()
        self._last_beat = 0.0

    # --- talking to Benchtop -------------------------------------------------------------------
    def post(self, path: str, body: dict | None = None) -> httpx.Response:
        response = self.http.post(f"/api/workflows/agent/{path}", json=body or {})
        if response.status_code == 409:
            raise Refused(response.json().get("detail", "refused"))
        if response.status_code >= 400:
            raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
        return response

    def heartbeat(self) -> None:
        answer = self.post("heartbeat/").json()
        self.heartbeat_seconds = answer.get("heartbeat_seconds", self.heartbeat_seconds)
        self._last_beat = time.monotonic()

    def _beat_while(self, done: threading.Event) -> None:
        """Keep heartbeating while a long action runs, so the agent is not taken for gone."""
        while not done.wait(max(1.0, self.heartbeat_seconds / 2)):
            try:
                self.heartbeat()
            except Exception as exc:  # noqa: BLE001 - a missed beat is retried on the next turn
                self.out(f"heartbeat failed: {exc}")

    def log(self, task_id: int, *lines: str, level: str = "info") -> None:
        self.post(f"tasks/{task_id}/logs/", {"lines": [{"level": level, "message": line} for line in lines]})

    def progress(self, task_id: int, value: int) -> None:
        self.post(f"tasks/{task_id}/progress/", {"progress": value})

    # --- the loop ------------------------------------------------------------------------------
    def run(self, *, max_tasks: int | None = None, idle_exit: float | None = None) -> int:
        """Work until stopped, ``max_tasks`` are done or nothing came for ``idle_exit`` seconds; returns tasks done."""
        done, idle_since = 0, time.monotonic()
        self.heartbeat()
        while not self.stopping.is_set():
            if time.monotonic() - self._last_beat >= self.heartbeat_seconds:
                self.heartbeat()
            try:
                response = self.post("claim/", {"capabilities": self.capabilities})
            except Refused as exc:  # still holding a task from before a restart: it times out on its own
                self.out(f"cannot claim yet: {exc}")
                self.stopping.wait(self.poll_seconds)
                continue
            if response.status_code == 200:
                self.work(response.json())
                done += 1
                idle_since = time.monotonic()
                if max_tasks is not None and done >= max_tasks:
                    break
                continue
            if idle_exit is not None and time.monotonic() - idle_since >= idle_exit:
                break
            self.stopping.wait(self.poll_seconds)
        return done

    def work(self, task: dict) -> None:
        """Carry out one claimed task and report how it went."""
        task_id, parameters = task["id"], task.get("parameters") or {}
        self.out(f"task {task_id}: {task['name']} ({parameters.get('action', 'no action')})")
        finished = threading.Event()
        beating = threading.Thread(target=self._beat_while, args=(finished,), daemon=True)
        beating.start()
        try:
            try:
                result = self.act(task_id, parameters)
            except TaskFailed as exc:
                self.post(f"tasks/{task_id}/fail/", {"error": str(exc)})
                self.out(f"task {task_id} failed: {exc}")
                return
            finally:
                finished.set()
                beating.join()
            self.post(f"tasks/{task_id}/complete/", {"result": result})
            self.out(f"task {task_id} completed")
        except Refused as exc:
            self.out(f"task {task_id} ended elsewhere: {exc}")

    # --- the built-in actions ------------------------------------------------------------------
    def act(self, task_id: int, parameters: dict):
        action = parameters.get("action")
        if action == "wait":
            return self.wait(task_id, parameters)
        if action == "http_check":
            return self.http_check(task_id, parameters)
        if action == "benchtop_call":
            return self.benchtop_call(task_id, parameters)
        raise TaskFailed(f"Unknown action {action!r}: this agent does wait, http_check and benchtop_call.")

    def wait(self, task_id: int, parameters: dict) -> dict:
        seconds = parameters.get("seconds", 1)
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= 3600:
            raise TaskFailed("wait: 'seconds' is a number from 0 to 3600.")
        self.log(task_id, f"waiting {seconds} s")
        steps = max(1, min(10, int(seconds)))
        for number in range(1, steps + 1):
            if self.stopping.wait(seconds / steps):
                raise TaskFailed("the agent was stopped while waiting")
            self.progress(task_id, int(100 * number / steps))
        self.log(task_id, "done waiting")
        return {"waited": seconds}

    def http_check(self, task_id: int, parameters: dict) -> dict:
        url = parameters.get("url", "")
        if not isinstance(url, str) or not is_local(url):
            raise TaskFailed(f"http_check: {url!r} is not an http(s) URL on this machine (loopback only).")
        expected = parameters.get("expect_status", 200)
        started = time.monotonic()
        try:
            response = httpx.get(url, timeout=parameters.get("timeout", 10))
        except httpx.HTTPError as exc:
            raise TaskFailed(f"http_check: {url} did not answer ({exc.__class__.__name__})") from exc
        elapsed = round((time.monotonic() - started) * 1000, 1)
        self.log(task_id, f"GET {url} -> {response.status_code} in {elapsed} ms")
        if response.status_code != expected:
            raise TaskFailed(f"http_check: {url} answered {response.status_code}, expected {expected}")
        return {"status": response.status_code, "elapsed_ms": elapsed}

    def benchtop_call(self, task_id: int, parameters: dict) -> dict:
        name = parameters.get("call")
        path = BENCHTOP_CALLS.get(name)
        if path is None:
            raise TaskFailed(f"benchtop_call: unknown call {name!r}; known: {', '.join(sorted(BENCHTOP_CALLS))}.")
        response = self.http.get(path)
        self.log(task_id, f"{name}: GET {path} -> {response.status_code}, {len(response.content)} bytes")
        if response.status_code != 200:
            raise TaskFailed(f"benchtop_call {name}: Benchtop answered {response.status_code}")
        lines = response.text.count("\n") if path.endswith(".csv") else None
        return {"call": name, "bytes": len(response.content), "rows": (lines - 1) if lines else None}
