"""Shared pieces of the benchmarks: a database, a served site, a load generator, a query counter.

Benchmarks print figures; they are never run as tests. Each one works on its own
PostgreSQL database (``BENCH_DATABASE_URL``, default ``benchtop_bench`` on the local
server) so that it never touches the development or test data.
"""
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/benchtop_bench"


def bench_env(**extra) -> dict:
    """Environment for the served site and for this process: PostgreSQL, no API throttling."""
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    env["API_RATE_USER"] = "100000000/minute"  # measure the view, not the throttle
    env["API_RATE_ANON"] = "100000000/minute"
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
    _create_database(env["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


def _create_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(env: dict, workers: int = 2):
    """Run ``uvicorn config.asgi:application`` with ``workers`` processes; yields the base URL."""
    import httpx

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code in (200, 503):
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the benchmark server did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # still draining sockets after 10 s: stop it for good
            process.kill()
            process.wait(timeout=10)


def load(url: str, *, headers: dict | None = None, method: str = "GET", body=None, body_factory=None,
         concurrency: int = 16, duration: float = 10.0, warmup: float = 1.0) -> dict:
    """Send requests from ``concurrency`` clients for ``duration`` seconds; rps and latency percentiles."""
    import httpx

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
