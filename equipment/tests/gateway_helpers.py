"""Running a real gateway beside a test, and waiting for what it does (fixtures come in through conftest.py)."""
import threading
import time

import pytest
from django.db import connections

from equipment.gateway.runner import Gateway
from equipment.models import Machine


class RunningGateway:
    def __init__(self, **options):
        self.gateway = Gateway(poll=options.pop("poll", 0.2), **options)
        self.thread = threading.Thread(target=self.gateway.run, kwargs={"sync_every": 0.2, "dispatch_every": 0.05},
                                       daemon=True)

    def __enter__(self):
        self.thread.start()
        return self.gateway

    def __exit__(self, *exc):
        self.gateway.stop()
        self.thread.join(timeout=15)


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
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


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
