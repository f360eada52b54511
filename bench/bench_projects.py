"""Projects figures on PostgreSQL, with 5 000 tasks in one project.

1. Kanban move: p50/p99 of ``services.move_task`` in-process (random card, column and place),
   then POST .../tasks/<id>/move/ under uvicorn (2 workers, 8 clients, 5 s); the columns are
   checked to be dense afterwards.
2. GET .../tasks/?page_size=50: requests per second, p50/p99, queries per request (5 vs 50 rows), and the
   CPU one request costs in-process through the lean read path and through the serializer.
"""
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Its own database on the shared server, so it never meets another benchmark's rows.
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bt_proj_bench")

from bench.common import access_token, load, queries_per_request, report, served, setup_django  # noqa: E402

TASKS = 5_000
COLUMNS = {"todo": 2000, "in_progress": 1000, "review": 1000, "done": 1000}
IN_PROCESS_MOVES = 300


def _member():
    from django.contrib.auth.models import Group

    from accounts.models import User

    user, created = User.objects.get_or_create(username="bench-proj-member",
                                               defaults={"email": "bench-proj-member@example.org"})
    if created:
        user.set_password("Bench-projects-2026!")
        user.save()
    user.groups.add(Group.objects.get_or_create(name="member")[0])
    return user


def _project(member):
    """One project with 5 000 tasks; rows written in bulk, dense per column (the bench measures moves)."""
    from django.utils import timezone

    from projects import services
    from projects.models import Project, Task

    project = Project.objects.filter(name="Bench board", owner=member).first()
    if project is None:
        project = services.create_project(member, name="Bench board")
    if project.tasks.count() < TASKS:
        project.tasks.all().delete()
        rows, now = [], timezone.now()
        for status, count in COLUMNS.items():
            rows += [Task(project=project, title=f"{status} card {n}", status=status, position=n,
                          priority=["low", "medium", "high", "critical"][n % 4], assignee=member,
                          completed_at=now if status == "done" else None) for n in range(count)]
        Task.objects.bulk_create(rows, batch_size=2000)
    return project


def _dense(project) -> bool:
    from projects.models import Task

    for status in Task.Status.values:
        positions = list(project.tasks.filter(status=status).order_by("position").values_list("position", flat=True))
        if positions != list(range(len(positions))):
            return False
    return True


def main():
    env = setup_django()
    from projects import services
    from projects.models import Task

    member = _member()
    project = _project(member)
    ids = list(project.tasks.values_list("pk", flat=True))
    statuses = list(COLUMNS)
    rng = random.Random(12)

    timings = []
    for _ in range(IN_PROCESS_MOVES):
        task = Task(pk=rng.choice(ids), project_id=project.pk)
        started = time.perf_counter()
        services.move_task(member, task, rng.choice(statuses), rng.randint(0, 1200))
        timings.append(time.perf_counter() - started)
    timings.sort()

    tasks_path = f"/api/projects/projects/{project.pk}/tasks/"
    queries_per_request(tasks_path, member, page_size=1)  # warm the user's cached role
    list_cpu = _list_cpu(tasks_path, member)
    q_5 = queries_per_request(tasks_path, member, page_size=5)
    q_50 = queries_per_request(tasks_path, member, page_size=50)
    headers = {"Authorization": f"Bearer {access_token(member)}"}

    def move_body(client, n):
        return {"status": statuses[(client + n) % len(statuses)], "position": (client * 37 + n * 11) % 1200}

    with served(env, workers=2) as base:
        # Every client moves its own card around, so all requests contend for the one project lock.
        moves = _moves(base, tasks_path, ids[:8], headers, move_body)
        listing = load(f"{base}{tasks_path}?page_size=50", headers=headers, concurrency=16, duration=5)

    report(f"services.move_task in-process, {TASKS} tasks in one project, PostgreSQL ({IN_PROCESS_MOVES} moves)", [
        ("p50 ms", round(statistics.median(timings) * 1000, 2)),
        ("p99 ms", round(timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1000, 2)),
    ])
    report("POST .../tasks/<id>/move/ (uvicorn 2 workers, 8 clients, 5 s, one project)", [
        ("requests per second", moves["rps"]), ("p50 ms", moves["p50_ms"]), ("p99 ms", moves["p99_ms"]),
        ("statuses", moves["statuses"]), ("columns dense afterwards", _dense(project)),
    ])
    report(f"GET .../tasks/?page_size=50 with {TASKS} tasks (uvicorn 2 workers, 16 clients, 5 s)", [
        ("requests per second", listing["rps"]), ("p50 ms", listing["p50_ms"]), ("p99 ms", listing["p99_ms"]),
        ("statuses", listing["statuses"]), ("queries per request (5 rows / 50 rows)", f"{q_5} / {q_50}"),
        ("in-process CPU ms per request, lean path / serializer (median of 40, this process only)", list_cpu),
    ])


def _list_cpu(path, user) -> str:
    """CPU ms one list request costs in this process, through the lean read path and through the serializer
    (``TaskViewSet.lean_list`` off), requests taken turn about; the web side only (PostgreSQL's own work is
    not in it). The two answers are checked to be the same bytes."""
    from rest_framework.test import APIClient

    from projects.api.views import TaskViewSet

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token(user)}")
    costs, bodies = {True: [], False: []}, {}
    try:
        for _ in range(40):
            for lean in (True, False):
                TaskViewSet.lean_list = lean
                started = time.process_time()
                response = client.get(path, {"page_size": 50})
                costs[lean].append(time.process_time() - started)
                assert response.status_code == 200
                bodies[lean] = response.content
    finally:
        TaskViewSet.lean_list = True
    assert bodies[True] == bodies[False], "the lean path must answer the serializer's bytes"
    lean, full = (round(statistics.median(costs[flag]) * 1000, 1) for flag in (True, False))
    return f"{lean} / {full}"


def _moves(base, tasks_path, picks, headers, move_body):
    """8 clients, each moving its own card for 5 s; latencies and statuses over all of them."""
    import asyncio

    import httpx

    from bench.common import summarize

    latencies, statuses = [], {}

    async def client(index, stop_at):
        async with httpx.AsyncClient(headers=headers, timeout=30) as http:
            n = 0
            while time.monotonic() < stop_at:
                started = time.perf_counter()
                response = await http.post(f"{base}{tasks_path}{picks[index]}/move/", json=move_body(index, n))
                latencies.append(time.perf_counter() - started)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                n += 1

    async def run():
        stop_at = time.monotonic() + 5
        await asyncio.gather(*(client(i, stop_at) for i in range(8)))

    started = time.monotonic()
    asyncio.run(run())
    return summarize(latencies, time.monotonic() - started) | {"statuses": statuses}


if __name__ == "__main__":
    main()
