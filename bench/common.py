"""Shared pieces of the benchmarks: a database, a served site, a load generator, a query counter.

Benchmarks print figures; they are never run as tests. Each script works on a database of its
own on the local PostgreSQL server (``<BENCH_DATABASE_PREFIX>_<script>``, prefix
``benchtop_bench`` unless set), created fresh on every run, so a script needs nothing that
another one made and never touches development or test data. ``BENCH_KEEP_DATABASE=1`` keeps
the rows of the last run instead (faster when repeating one figure).

The load generator is ``wrk`` when it is installed (it costs the shared cores little, so the
server gets them); otherwise an asyncio client on httpx, which spends several milliseconds of
CPU per request itself and so understates the server.
"""
import asyncio
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_DATABASE_URL = f"{SERVER}/benchtop_bench"
TICK = os.sysconf("SC_CLK_TCK")


def database_url(script: str) -> str:
    """The database of one benchmark script: ``<BENCH_DATABASE_PREFIX>_<script>`` on the local server."""
    return f"{SERVER}/{os.environ.get('BENCH_DATABASE_PREFIX', 'benchtop_bench')}_{script}"


def bench_env(**extra) -> dict:
    """Environment for the served site and for this process: PostgreSQL, no API throttling."""
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    env["API_RATE_USER"] = "100000000/second"  # measure the view, not the throttle (a 1 s window keeps its
    # history short at thousands of requests a second)
    env["API_RATE_ANON"] = "100000000/second"
    env["DEBUG"] = "false"
    env["LOG_LEVEL"] = "WARNING"
    env.update(extra)
    return env


def setup_django(**extra) -> dict:
    """Point this process at the benchmark database, create it if needed, migrate, set Django up."""
    env = bench_env(**extra)
    os.environ.update({k: v for k, v in env.items() if k in ("DATABASE_URL", "REDIS_URL", "API_RATE_USER",
                                                             "API_RATE_ANON", "DEBUG", "LOG_LEVEL")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    _create_database(env["DATABASE_URL"], fresh=os.environ.get("BENCH_KEEP_DATABASE") != "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


def _create_database(url: str, fresh: bool = True) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def bench_user(username: str, role: str, **fields):
    """A user with ``role`` (the role groups exist after migrate), made here so no script needs another's rows."""
    from django.contrib.auth.models import Group

    from accounts.models import User

    user, created = User.objects.get_or_create(username=username,
                                               defaults={"email": f"{username}@example.org", **fields})
    if created:
        user.set_password(f"Bench-{username}-2026!")
        user.save()
    user.groups.set([Group.objects.get(name=role)])
    return User.objects.get(pk=user.pk)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


GRACE_SECONDS = 5  # how long a served site may drain open requests and sockets when asked to stop

SERVERS = {
    # How Benchtop is served: uvicorn workers, HTTP on each worker's thread pool (config/asgi.py).
    "uvicorn": lambda port, workers: [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host",
                                      "127.0.0.1", "--port", str(port), "--workers", str(workers),
                                      "--log-level", "warning", "--no-access-log",
                                      # close sockets still open at shutdown instead of waiting on them
                                      "--timeout-graceful-shutdown", str(GRACE_SECONDS)],
    # For comparison: gunicorn's threaded WSGI workers (no websockets).
    "gunicorn": lambda port, workers: [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
                                       f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "gthread",
                                       "--threads", "4", "--log-level", "warning",
                                       "--graceful-timeout", str(GRACE_SECONDS)],
}


class Served(str):
    """The base URL of a served site, with the CPU its processes used so far (``cpu_seconds()``).

    After the ``served`` block, ``stopped`` says how the server went: ``("clean", seconds)`` when it
    left on SIGTERM, ``("forced", seconds)`` when it had to be killed.
    """

    process: subprocess.Popen
    stopped: tuple[str, float] | None = None

    def cpu_seconds(self) -> float:
        return process_tree_cpu(self.process.pid)


def process_tree_cpu(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and every process under it, read from /proc."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICK
    tree, todo = set(), [pid]
    while todo:
        current = todo.pop()
        tree.add(current)
        todo += [child for child, parent in parents.items() if parent == current and child not in tree]
    return sum(times.get(p, 0.0) for p in tree)


def wait_until_up(url: str, process, timeout: float = 30) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=2).status_code in (200, 503):  # 503: up, a service is missing
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(f"the benchmark server did not start ({url})")
        time.sleep(0.2)


# Threads of a WSGI worker live as long as the worker, so each keeps its database connection
# (no pool to borrow from and give back on every request); under ASGI each request may get a
# fresh thread, so there the pool stays.
SERVER_ENV = {"gunicorn": {"DB_POOL": "false", "DB_CONN_MAX_AGE": "60"}, "uvicorn": {}}


@contextmanager
def served(env: dict, workers: int = 2, server: str = "uvicorn", root: Path = ROOT):
    """Serve the site from ``root`` with ``server`` and ``workers`` processes; yields the base URL.

    The server runs in a process group of its own, so stopping it reaches its workers too.
    """
    port = free_port()
    process = subprocess.Popen(SERVERS[server](port, workers), cwd=root, env=env | SERVER_ENV[server],
                               start_new_session=True)
    base = Served(f"http://127.0.0.1:{port}")
    base.process = process
    try:
        wait_until_up(f"{base}/health", process)
        yield base
    finally:
        base.stopped = stop_server(process)


def stop_server(process: subprocess.Popen, grace: float = GRACE_SECONDS + 10) -> tuple[str, float]:
    """Stop a server started in its own session: SIGTERM to its group, wait ``grace`` seconds, then
    SIGKILL the group. Returns ``("clean" | "forced", seconds)``; never leaves a worker behind."""
    started = time.monotonic()
    how = "clean"
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:  # still draining after the server's own grace period
        how = "forced"
        _signal_group(process, signal.SIGKILL)
        process.wait(timeout=10)
    # Workers whose supervisor already left are still in the group: they must not outlive it.
    _signal_group(process, signal.SIGKILL)
    return how, round(time.monotonic() - started, 2)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:  # the group is already empty
        pass


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def wrk(url: str, *, headers: dict | None = None, concurrency: int = 16, duration: float = 10.0) -> dict:
    """GET ``url`` from ``concurrency`` connections for ``duration`` seconds with wrk (2 threads)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    command = ["wrk", "-t2", f"-c{concurrency}", f"-d{int(duration)}s", "--timeout", "10s", "-s", script.name]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    try:
        out = subprocess.run(command + [url], capture_output=True, text=True, timeout=duration + 30).stdout
    finally:
        os.unlink(script.name)
    found = re.search(r"WRK (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    if not found:
        raise RuntimeError(f"wrk printed no figures: {out[-500:]}")
    requests, micros, p50, p99, bad_status, errors = map(int, found.groups())
    return {"requests": requests, "rps": round(requests / (micros / 1e6), 1), "p50_ms": round(p50 / 1000, 2),
            "p99_ms": round(p99 / 1000, 2), "statuses": {"non-2xx": bad_status, "socket errors": errors}}


def load(url: str, *, headers: dict | None = None, method: str = "GET", body=None, body_factory=None,
         concurrency: int = 16, duration: float = 10.0, warmup: float = 1.0) -> dict:
    """Send requests from ``concurrency`` clients for ``duration`` seconds; rps and latency percentiles.

    A GET goes through ``wrk`` when it is installed; bodies are sent by an asyncio httpx client.
    """
    import httpx

    if method == "GET" and shutil.which("wrk"):
        if warmup:
            wrk(url, headers=headers, concurrency=concurrency, duration=max(1, int(warmup)))
        return wrk(url, headers=headers, concurrency=concurrency, duration=duration)

    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def client(stop_at: float, record: bool, index: int):
        async with httpx.AsyncClient(headers=headers, timeout=30) as http:
            n = 0
            while time.monotonic() < stop_at:
                payload = body_factory(index, n) if body_factory else body
                started = time.perf_counter()
                response = await http.request(method, url, json=payload)
                elapsed = time.perf_counter() - started
                n += 1
                if record:
                    latencies.append(elapsed)
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    async def run(seconds: float, record: bool, offset: int):
        stop_at = time.monotonic() + seconds
        await asyncio.gather(*(client(stop_at, record, offset + i) for i in range(concurrency)))

    if warmup:
        asyncio.run(run(warmup, False, 10_000))
    started = time.monotonic()
    asyncio.run(run(duration, True, 0))
    wall = time.monotonic() - started
    return summarize(latencies, wall) | {"statuses": statuses}


def summarize(latencies: list[float], wall: float) -> dict:
    """Requests per second and median, p99 in milliseconds."""
    if not latencies:
        return {"requests": 0, "rps": 0.0, "p50_ms": None, "p99_ms": None}
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {
        "requests": len(ordered),
        "rps": round(len(ordered) / wall, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(p99 * 1000, 2),
    }


def queries_per_request(path: str, user, **params) -> int:
    """How many SQL queries one GET of ``path`` runs in-process (Django must be set up)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token(user)}")  # as a real client authenticates
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def access_token(user) -> str:
    """A JWT access token for ``user`` (Django must be set up)."""
    from rest_framework_simplejwt.tokens import RefreshToken

    return str(RefreshToken.for_user(user).access_token)


def report(title: str, rows: list[tuple[str, object]]) -> None:
    """Print one benchmark's figures as aligned lines."""
    print(f"\n== {title}")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
