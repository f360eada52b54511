"""The gateway's main loop: which machines it holds, handing them their commands, the watchdog."""
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connections

from core.errors import DomainError

from .. import states
from ..models import Machine
from ..services import link as link_services
from ..services.machines import connection_settings
from ..services.safety import watchdog
from .hooks import gateway_started, gateway_stopped
from .link import MachineLink

log = logging.getLogger(__name__)

# How long a stopping gateway waits for its links (a handshake in progress ends within its timeouts).
LINK_STOP_SECONDS = 20.0


def port_of(driver: str, conn: dict) -> str:
    """What one connection occupies: a serial port, a host URL or a topic prefix (one machine each)."""
    return str(conn.get("port") or conn.get("url") or conn.get("topic_prefix") or "")


class Gateway:
    """Holds one link per enabled machine; ``run`` until ``stop``."""

    def __init__(self, *, poll=1.0, machine_ids=None, simulators=None, mirror=None):
        self.poll = poll
        self.machine_ids = set(machine_ids) if machine_ids else None
        self.links: dict[int, MachineLink] = {}
        self.versions: dict[int, object] = {}
        self.halt = threading.Event()
        self.simulators = simulators  # a Simulators, when demo machines run on simulated hardware
        self.mirror = mirror

    def machines(self):
        # By id: when two machines name one port, the older one holds it, whatever order the
        # database happens to return rows in (PostgreSQL moves a row when it is updated).
        qs = Machine.objects.filter(enabled=True).exclude(state=states.MAINTENANCE).order_by("pk")
        if self.machine_ids is not None:
            qs = qs.filter(pk__in=self.machine_ids)
        return list(qs)

    def sync(self):
        """Start links for new or changed machines, stop those for removed or disabled ones."""
        wanted = {machine.pk: machine for machine in self.machines()}
        for machine_id in list(self.links):
            machine = wanted.get(machine_id)
            if machine is None or self.versions.get(machine_id) != machine.updated_at:
                if machine is not None and self._same_settings(machine):
                    self.versions[machine_id] = machine.updated_at
                    continue
                self.links.pop(machine_id).stop()
        ports = {port_of(link.driver_name, link.settings): mid for mid, link in self.links.items()}
        for machine_id, machine in wanted.items():
            if machine_id in self.links:
                continue
            try:
                conn = connection_settings(machine)
            except DomainError as exc:
                link_services.machine_fault(machine_id, exc.detail)
                continue
            if conn.get("simulator") and self.simulators is not None and settings.EQUIPMENT_SIMULATORS:
                conn = self.simulators.settings_for(machine, conn)
            port = port_of(machine.driver, conn)
            holder = ports.get(port)
            if holder is not None:
                link_services.machine_fault(machine_id, f"{port} is already held by machine {holder}")
                continue
            link = MachineLink(machine_id, machine.driver, conn, poll=self.poll,
                               offline=settings.EQUIPMENT_OFFLINE_SECONDS,
                               live_per_second=settings.EQUIPMENT_LIVE_PER_SECOND, mirror=self.mirror)
            link.snapshot = (machine.driver, machine.connection, machine.sealed_secrets)
            self.links[machine_id], self.versions[machine_id] = link, machine.updated_at
            ports[port] = machine_id
            link.start()

    def _same_settings(self, machine) -> bool:
        link = self.links[machine.pk]
        return getattr(link, "snapshot", None) == (machine.driver, machine.connection, machine.sealed_secrets)

    def dispatch(self):
        """Hand queued commands to their links; emergency stops are carried out here and now."""
        for command in link_services.claim_commands(self.links):
            link = self.links.get(command.machine_id)
            if link is None:
                link_services.command_done(command, False, "the gateway does not hold this machine")
            elif command.name == "emergency_stop":
                link.emergency_stop_now(command)
            else:
                link.inbox.put(command)

    def run(self, *, sync_every=2.0, dispatch_every=0.1, watchdog_every=5.0):
        last_sync = last_watchdog = 0.0
        gateway_started.send(Gateway, gateway=self)  # companions (cameras) run beside the links
        while not self.halt.is_set():
            close_old_connections()
            now = time.monotonic()
            try:
                if now - last_sync >= sync_every:
                    last_sync = now
                    self.sync()
                    if self.mirror is not None:
                        self.mirror.sync()
                self.dispatch()
                if now - last_watchdog >= watchdog_every:
                    last_watchdog = now
                    watchdog()
            except Exception:  # noqa: BLE001 - the gateway outlives a failed round
                log.exception("gateway round failed")
            self.halt.wait(dispatch_every)
        self.shutdown()
        connections.close_all()

    def stop(self):
        self.halt.set()

    def shutdown(self):
        for link in self.links.values():
            link.stop()
        # A link may be half-way through a handshake (a board's boot banner, re-asks): bounded by the
        # driver's timeouts, so wait for it rather than leave it to write to the database later.
        deadline = time.monotonic() + LINK_STOP_SECONDS
        for link in self.links.values():
            link.join(timeout=max(0.0, deadline - time.monotonic()))
            if link.is_alive():
                log.error("machine %s: its link did not stop within %s s", link.machine_id, LINK_STOP_SECONDS)
        self.links.clear()
        if self.simulators is not None:
            self.simulators.stop()
        if self.mirror is not None:
            self.mirror.stop()
        gateway_stopped.send(Gateway, gateway=self)
