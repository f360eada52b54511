"""Running a real gateway beside a test, and waiting for what it does (fixtures come in through conftest.py)."""
import sys
import threading
import time
import traceback

import pytest
from django.db import connections

from equipment import states
from equipment.gateway.runner import Gateway
from equipment.models import Machine
from equipment.simulators.marlin import MarlinSimulator


class RunningGateway:
    """A gateway on its own thread for the length of a ``with`` block (``stop`` may also end it early)."""

    def __init__(self, **options):
        self.gateway = Gateway(poll=options.pop("poll", 0.2), **options)
        self.thread = threading.Thread(target=self.gateway.run, kwargs={"sync_every": 0.2, "dispatch_every": 0.05},
                                       daemon=True)

    def __enter__(self):
        self.thread.start()
        return self.gateway

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        links = list(self.gateway.links.values())
        self.gateway.stop()
        self.thread.join(timeout=40)
        # A link left running would go on writing machine states into the next part of the test.
        alive = [thread.name for thread in (self.thread, *links) if thread.is_alive()]
        assert not alive, f"still running after the gateway stopped: {alive}\n{gateway_threads_now()}"


def wait_for(check, timeout=20.0, every=0.05, what="the condition"):
    """Poll ``check`` until it returns something true; that value, or AssertionError after ``timeout``.

    The default is generous because a parallel test run on two shared cores can slow a
    simulated board's handshake several times over; a passing check returns at once.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{gateway_threads_now()}")


def gateway_threads_now() -> str:
    """Where the gateway's and the simulators' threads are at this moment: what a timed-out wait was stuck on."""
    frames = sys._current_frames()
    stacks = []
    for thread in threading.enumerate():
        frame = frames.get(thread.ident)
        if frame is None or thread is threading.current_thread():
            continue
        stacks.append(f"--- thread {thread.name!r}\n" + "".join(traceback.format_stack(frame)[-8:]))
    return "\n".join(stacks)


def state_of(machine) -> str:
    """The machine's state as stored now (the gateway's threads change it behind the test's back)."""
    return Machine.objects.values_list("state", flat=True).get(pk=machine.pk)


@pytest.fixture
def gateway_connections():
    """Close the database connections the gateway's threads borrowed, once the test is over."""
    yield
    connections.close_all()
    if connections["default"].vendor == "postgresql":
        connections["default"].close_pool()


class OnlineMarlin:
    """A Marlin simulator, a machine on its port and a gateway that has connected the machine."""

    def __init__(self, sim, machine, running: RunningGateway):
        self.sim, self.machine, self.running = sim, machine, running

    def stop_gateway(self) -> None:
        """End the gateway (the simulator stays): what it leaves in the database is what a restart finds."""
        if self.running is not None:
            self.running.stop()

    def start_gateway(self, wait_idle: bool = True) -> None:
        """A new gateway, as after a restart; waits until it has connected the machine again."""
        self.running = RunningGateway()
        self.running.__enter__()
        if wait_idle:
            wait_for(lambda: state_of(self.machine) == states.IDLE, what=f"{self.machine} connected again")


@pytest.fixture
def marlin_online(gateway_connections):
    """``marlin_online(machine=None, **simulator_options)``: an ``OnlineMarlin``, everything ended after the test.

    ``machine`` makes the machine row from the simulator's port (default: a plain Marlin
    printer, disconnected until the gateway connects it).
    """
    from .factories import MachineFactory

    started = []

    def start(machine=None, **options) -> OnlineMarlin:
        # Each move takes a millisecond, as on a printer: a job of a few thousand lines then lasts
        # seconds on any machine, long enough to pause, cut or watch it mid-way.
        options.setdefault("move_seconds", 0.001)
        sim = MarlinSimulator(**options).start()
        make = machine or (lambda port: MachineFactory(state=states.DISCONNECTED, connection={"port": port}))
        online = OnlineMarlin(sim, make(sim.port), None)
        started.append(online)
        online.start_gateway()
        return online

    yield start
    for online in reversed(started):
        online.stop_gateway()
        online.sim.stop()
