"""Simulated hardware for machines whose connection says ``"simulator": true`` (the demo, and tests).

The gateway starts a simulator per such machine and connects to it with the real
driver, so the demo exercises the same code a real printer would.
"""
from django.conf import settings

from ..simulators.grbl import GrblSimulator
from ..simulators.httphost import OctoPrintHost, PrusaLinkHost
from ..simulators.marlin import MarlinSimulator
from ..simulators.mqttdevice import MqttDevice


class Simulators:
    def __init__(self):
        self.running: dict[int, object] = {}

    def settings_for(self, machine, conn: dict) -> dict:
        """Start (once) the simulator of ``machine`` and point its connection settings at it."""
        sim = self.running.get(machine.pk)
        if sim is None:
            sim = self._start(machine.driver, conn)
            if sim is None:
                return conn
            self.running[machine.pk] = sim
        if machine.driver in ("marlin", "grbl"):
            return {**conn, "port": sim.port}
        if machine.driver in ("octoprint", "prusalink"):
            return {**conn, "url": sim.url}
        return conn

    def _start(self, driver: str, conn: dict):
        if driver == "marlin":
            return MarlinSimulator(busy_seconds=0.5).start()
        if driver == "grbl":
            return GrblSimulator().start()
        if driver == "octoprint":
            return OctoPrintHost(api_key=conn.get("api_key", "")).start()
        if driver == "prusalink":
            return PrusaLinkHost(conn.get("username", ""), conn.get("password", "")).start()
        if driver == "mqtt" and settings.MQTT_URL:
            return MqttDevice(settings.MQTT_URL, conn["topic_prefix"]).start()
        return None

    def stop(self):
        for sim in self.running.values():
            try:
                sim.stop()
            except Exception:  # noqa: BLE001 - stopping a simulator that already ended
                pass
        self.running.clear()
