"""Benchtop beside a plain FastAPI + SQLAlchemy app (``bench/peer/``) on the same PostgreSQL rows.

Both answer ``GET /api/inventory/assets/``, ``/api/scheduler/bookings/``, ``/api/inventory/movements/``
(50 rows a page) and ``/api/auth/me/`` with the same JSON; the script checks that first, then
times the two servers turn about (interleaved, so both see the same load from everyone else on
the machine) with ``wrk`` and prints requests per second, p50, p99, server CPU per request and
Benchtop's share of the peer's throughput.

Settings (environment): ``BENCH_SERVER`` (``uvicorn``, the default and how Benchtop is served, or
``gunicorn`` with gthread workers, for comparison),
``BENCH_WORKERS`` (2), ``BENCH_CLIENTS`` (16), ``BENCH_SECONDS`` per turn (5), ``BENCH_ROUNDS`` (2),
``BENCH_ROWS`` per table (10 000), ``BENCH_ONLY`` (time only endpoints whose path contains it),
``BENCH_BENCHTOP_ROOT`` (another checkout of Benchtop to serve,
e.g. an older commit, to measure "before"). The peer's packages are installed into
``bench/peer/.venv`` on first use, never into the site's environment.
"""
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    ROOT,
    Served,
    access_token,
    bench_user,
    database_url,
    free_port,
    queries_per_request,
    report,
    served,
    setup_django,
    wait_until_up,
    wrk,
)

PEER = Path(__file__).resolve().parent / "peer"
ENDPOINTS = [path for path in ("/api/inventory/assets/?page_size=50", "/api/scheduler/bookings/?page_size=50",
                               "/api/inventory/movements/?page_size=50", "/api/auth/me/")
             if os.environ.get("BENCH_ONLY", "") in path]
SETTING = {name: os.environ.get(f"BENCH_{name.upper()}", default) for name, default in (
    ("server", "uvicorn"), ("workers", "2"), ("clients", "16"), ("seconds", "5"), ("rounds", "2"),
    ("rows", "10000"), ("benchtop_root", str(ROOT)))}


def peer_python() -> Path:
    """The peer's own virtualenv, made on first use from ``bench/peer/requirements.txt``."""
    python = PEER / ".venv" / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER / ".venv")], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(PEER / "requirements.txt")],
                       check=True)
    return python


@contextmanager
def peer_served(database: str, signing_key: str, workers: int, ledger_by_cursor: bool):
    """The peer under uvicorn with ``workers`` processes (asyncpg pool per process)."""
    port = free_port()
    env = dict(os.environ, PEER_DATABASE_URL=database.replace("postgres://", "postgresql+asyncpg://"),
               PEER_SIGNING_KEY=signing_key, PEER_LEDGER_BY_CURSOR="1" if ledger_by_cursor else "0")
    process = subprocess.Popen([str(peer_python()), "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port",
                                str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
                               cwd=PEER, env=env)
    base = Served(f"http://127.0.0.1:{port}")
    base.process = process
    try:
        wait_until_up(f"{base}/docs", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def ledger_by_cursor(benchtop: str, headers: dict) -> bool:
    """Whether this Benchtop pages the stock ledger by cursor (its answer has no ``count``)."""
    import httpx

    return "count" not in httpx.get(f"{benchtop}/api/inventory/movements/?page_size=1", headers=headers).json()


def same_answers(benchtop: str, peer: str, headers: dict) -> dict[str, str]:
    """For each endpoint: "identical" or where the two answers first differ (hosts in links aside)."""
    import httpx

    verdicts = {}
    for path in ENDPOINTS:
        ours = httpx.get(benchtop + path, headers=headers | {"Accept": "application/json"}).content
        theirs = httpx.get(peer + path, headers=headers).content
        ours, theirs = (re.sub(rb"http://127\.0\.0\.1:\d+", b"HOST", body) for body in (ours, theirs))
        if ours == theirs:
            verdicts[path] = "identical"
        else:
            at = next(i for i, (a, b) in enumerate(zip(ours + b"\0", theirs + b"\0", strict=False)) if a != b)
            near = slice(max(0, at - 40), at + 40)
            verdicts[path] = f"differ at byte {at}: {ours[near]!r} vs {theirs[near]!r}"
    return verdicts


def measure(base: Served, path: str, headers: dict) -> dict:
    seconds, clients = int(SETTING["seconds"]), int(SETTING["clients"])
    wrk(base + path, headers=headers, concurrency=clients, duration=1)  # warm caches and connections
    cpu_before = base.cpu_seconds()
    result = wrk(base + path, headers=headers, concurrency=clients, duration=seconds)
    cpu = base.cpu_seconds() - cpu_before
    return result | {"cpu_ms": round(cpu * 1000 / max(1, result["requests"]), 2)}


def combine(turns: list[dict]) -> dict:
    """Figures of several turns: summed requests over summed time; the middle p50 and the worst p99."""
    requests = sum(t["requests"] for t in turns)
    seconds = sum(t["requests"] / t["rps"] for t in turns if t["rps"])
    return {"rps": round(requests / seconds, 1) if seconds else 0.0,
            "p50_ms": sorted(t["p50_ms"] for t in turns)[len(turns) // 2],
            "p99_ms": max(t["p99_ms"] for t in turns),
            "cpu_ms": round(sum(t["cpu_ms"] * t["requests"] for t in turns) / max(1, requests), 2),
            "errors": sum(sum(t["statuses"].values()) for t in turns)}


def main():
    database = database_url("compare")
    env = setup_django(DATABASE_URL=database)
    from django.conf import settings

    from bench import rows

    rows_per_table = int(SETTING["rows"])
    operator = bench_user("bench-compare-operator", "operator")
    colleague = bench_user("bench-compare-member", "member", display_name="Bench Colleague")
    rows.assets(operator, rows_per_table)
    rows.bookings(colleague, operator, rows_per_table)
    rows.movements(operator, rows_per_table)
    headers = {"Authorization": f"Bearer {access_token(operator)}"}
    own_tree = Path(SETTING["benchtop_root"]).resolve() == ROOT
    queries = {path: queries_per_request(path.split("?")[0], operator, page_size=50) for path in ENDPOINTS} \
        if own_tree else {}

    figures = {path: {"benchtop": [], "peer": []} for path in ENDPOINTS}
    workers = int(SETTING["workers"])
    with served(env, workers=workers, server=SETTING["server"], root=Path(SETTING["benchtop_root"])) as ours, \
            peer_served(database, settings.SECRET_KEY, workers, ledger_by_cursor(ours, headers)) as peer:
        verdicts = same_answers(ours, peer, headers)
        for _ in range(int(SETTING["rounds"])):
            for path in ENDPOINTS:
                figures[path]["benchtop"].append(measure(ours, path, headers))
                figures[path]["peer"].append(measure(peer, path, headers))

    print(f"\n== Benchtop ({SETTING['server']}, {workers} workers) vs FastAPI + SQLAlchemy peer (uvicorn, {workers}"
          f" workers), PostgreSQL, {rows_per_table:,} rows a table, wrk {SETTING['clients']} connections, "
          f"{SETTING['rounds']} x {SETTING['seconds']} s a side, interleaved; CPU is the server processes' own")
    print(f"{'endpoint':<42} {'side':<9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>11} {'errors':>7}"
          f" {'queries':>8}")
    for path in ENDPOINTS:
        both = {side: combine(turns) for side, turns in figures[path].items()}
        for side, fig in both.items():
            q = queries.get(path, "") if side == "benchtop" else ""
            print(f"{path:<42} {side:<9} {fig['rps']:>8} {fig['p50_ms']:>8} {fig['p99_ms']:>8} {fig['cpu_ms']:>11}"
                  f" {fig['errors']:>7} {q!s:>8}")
        ratio = both["benchtop"]["rps"] / both["peer"]["rps"] if both["peer"]["rps"] else 0
        cpu_ratio = both["peer"]["cpu_ms"] / both["benchtop"]["cpu_ms"] if both["benchtop"]["cpu_ms"] else 0
        print(f"{'':<42} {'ratio':<9} {ratio:>8.2f}x req/s (peer CPU / Benchtop CPU {cpu_ratio:.2f}x); "
              f"answers: {verdicts[path]}")
    report("what was measured", [("Benchtop tree", SETTING["benchtop_root"]), ("database", database)])


if __name__ == "__main__":
    main()
