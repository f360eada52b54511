"""Stand-ins for real PDUs that speak their real protocols, for tests, the benchmark and demos.

- ``TasmotaPlug``: an MQTT client on a real broker that behaves like a Tasmota device with
  ``relays`` relays (answers POWER<n> and STATE commands, publishes its state on connect).
- ``RaritanServer``: a local HTTP server answering the Raritan JSON-RPC calls the driver
  makes, behind basic auth.

Both can be told to stay silent (``mute``) to exercise timeouts.
"""
import base64
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import paho.mqtt.client as mqtt

from . import mqtt_address


class TasmotaPlug:
    """A simulated Tasmota device listening on ``cmnd/<topic>/#``."""

    def __init__(self, url: str, topic: str, relays: int = 1):
        self.topic = topic
        self.states = {n: "OFF" for n in range(1, relays + 1)}
        self.mute = False
        self.commands: list[tuple[str, str]] = []
        host, port = mqtt_address(url)
        ready = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"sim-plug-{uuid.uuid4().hex[:10]}")
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *args: ready.set()
        self.client.connect(host, port, keepalive=30)
        self.client.loop_start()
        self.client.subscribe(f"cmnd/{topic}/#", qos=1)
        if not ready.wait(5):
            raise RuntimeError("the broker did not confirm the plug's subscription")

    def _state_json(self) -> str:
        return json.dumps({f"POWER{n}": v for n, v in self.states.items()})

    def _on_message(self, client, userdata, msg):
        command = msg.topic.rsplit("/", 1)[-1].upper()
        payload = msg.payload.decode().strip().upper()
        self.commands.append((command, payload))
        if self.mute:
            return
        if command == "STATE":
            client.publish(f"stat/{self.topic}/RESULT", self._state_json(), qos=1)
            return
        if command.startswith("POWER"):
            number = int(command[5:] or 1)
            if number not in self.states:
                return  # a real plug ignores relays it does not have
            if payload in ("ON", "1"):
                self.states[number] = "ON"
            elif payload in ("OFF", "0"):
                self.states[number] = "OFF"
            elif payload in ("TOGGLE", "2"):
                self.states[number] = "OFF" if self.states[number] == "ON" else "ON"
            client.publish(f"stat/{self.topic}/POWER{number}", self.states[number], qos=1)

    def close(self):
        self.client.loop_stop()
        self.client.disconnect()


class RaritanServer:
    """A simulated Raritan PDU with ``outlets`` outlets on ``http://127.0.0.1:<port>``."""

    def __init__(self, outlets: int = 8, username: str = "admin", password: str = "secret"):
        self.states = {n: 0 for n in range(outlets)}
        self.mute = False
        self.delay = 0.0  # seconds each answer takes, to make overlapping requests visible
        self.calls: list[str] = []
        self.in_flight = self.most_in_flight = 0
        self._count = threading.Lock()
        self.expected_auth = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
        sim = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if sim.mute:
                    threading.Event().wait(30)  # hold the request open, like a hung PDU
                    return
                if self.headers.get("Authorization") != sim.expected_auth:
                    self.send_response(401)
                    self.end_headers()
                    return
                sim.calls.append(body.get("method", ""))
                with sim._count:
                    sim.in_flight += 1
                    sim.most_in_flight = max(sim.most_in_flight, sim.in_flight)
                try:
                    threading.Event().wait(sim.delay)
                    self._answer(body.get("id"), sim.handle(self.path, body.get("method"), body.get("params") or {}))
                finally:
                    with sim._count:
                        sim.in_flight -= 1

            def _answer(self, call_id, result):
                text = json.dumps({"jsonrpc": "2.0", "id": call_id, **result}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def handle(self, path: str, method: str, params: dict) -> dict:
        """The JSON-RPC answer (``result`` or ``error``) to one call."""
        if path == "/model/pdu/0" and method == "getOutlets":
            return {"result": {"_ret_": [{"rid": f"/model/pdu/0/outlet/{n}", "type": "pdumodel.Outlet"}
                                         for n in sorted(self.states)]}}
        prefix = "/model/pdu/0/outlet/"
        if path.startswith(prefix) and path[len(prefix):].isdigit() and int(path[len(prefix):]) in self.states:
            index = int(path[len(prefix):])
            if method == "getState":
                return {"result": {"_ret_": {"powerState": self.states[index], "available": True}}}
            if method == "setPowerState" and params.get("pstate") in (0, 1):
                self.states[index] = params["pstate"]
                return {"result": {"_ret_": 0}}
        return {"error": {"code": -32601, "message": f"no method {method} on {path}"}}

    def close(self):
        self.server.shutdown()
        self.server.server_close()
