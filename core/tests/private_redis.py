"""A Redis server of a test's own, on a free loopback port, that the test may kill and restart.

Outage tests never touch the shared Redis: they start this one, point the cache, channel
layer or broker at it, and stop it to see what Benchtop does without Redis.
"""
import shutil
import socket
import subprocess
import time

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """One ``redis-server`` process without persistence: a restart loses every key, as in production."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=5)
            self.process = None

    def command(self, *words: str) -> bytes:
        """Send one command in Redis' inline protocol; the raw reply."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
            conn.sendall((" ".join(words) + "\r\n").encode())
            return conn.recv(65536)


@pytest.fixture
def private_redis():
    """A started private Redis, stopped after the test; skips where redis-server is not installed."""
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server (apt-get install redis-server)")
    from core.outage import redis as breaker

    server = PrivateRedis()
    server.start()
    breaker.succeeded()
    yield server
    server.stop()
    breaker.succeeded()
