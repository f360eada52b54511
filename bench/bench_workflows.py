"""Workflows figures, printed (never run as tests), against PostgreSQL and Redis.

1. Claim throughput: 10 agents (threads) claim and complete 500 one-step tasks through the
   services at once; tasks per second and duplicates (must be 0).
2. Event fan-out: 200 websocket clients follow one run on a served site (uvicorn, one worker;
   in-memory layer, then channels-redis); an agent reports progress over HTTP and each client
   times the frame's arrival from the moment the report was sent, p50 and p99.
3. Log ingest: 4 agents each post batches of 100 lines to ``agent/tasks/<id>/logs/`` over HTTP
   for a few seconds; lines per second.

Run: ``.venv/bin/python bench/bench_workflows.py`` (database ``bt_wf_bench`` on the local server,
Redis from ``REDIS_URL``, default ``redis://127.0.0.1:6379/6``). Each part is bounded to seconds.
"""
import asyncio
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import report, served, setup_django  # noqa: E402

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bt_wf_bench"
REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/6")
AGENTS, TASKS = 10, 300
CLIENTS, EVENTS = 200, 30
LOG_AGENTS, BATCH, LOG_SECONDS = 4, 100, 4.0


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def operator():
    """The operator who creates the benchmark's workflows and agents (role groups exist after migrate)."""
    from django.contrib.auth.models import Group

    from accounts.models import User

    user, _ = User.objects.get_or_create(username="bench-operator", defaults={"email": "bench-op@example.org"})
    user.groups.add(Group.objects.get(name="operator"))
    return User.objects.get(pk=user.pk)


def fresh_agents(actor, count, capability):
    from workflows import services
    from workflows.models import Agent

    agents = []
    for n in range(count):
        name = f"bench-{capability}-{n}-{time.time_ns()}"
        agent, secret = services.create_agent(actor, name=name, capabilities=[capability])
        user = type(actor).objects.get(pk=agent.api_key.user_id)  # a copy: the actor itself stays a person
        user.api_key = agent.api_key
        agents.append((Agent.objects.get(pk=agent.pk), secret, user))
    return agents


def claim_throughput(actor) -> list:
    from django.db import connection

    from workflows import services
    from workflows.models import Run, Task

    workflow = services.create_workflow(actor, name=f"bench claim {time.time_ns()}",
                                        steps=[{"name": "one", "capability": "bench.claim"}])
    runs = [services.start_workflow(actor, workflow).pk for _ in range(TASKS)]
    agents = fresh_agents(actor, AGENTS, "bench.claim")
    claimed, lock = [], threading.Lock()

    def work(agent, user):
        try:
            while True:
                task = timed_claim(user, agent)
                if task is None:
                    return
                services.complete_task(user, agent, task)
                with lock:
                    claimed.append(task.pk)
        finally:
            connection.close()

    claim_seconds = []

    def timed_claim(user, agent):
        started = time.perf_counter()
        task = services.claim_next_task(user, agent)
        with lock:
            claim_seconds.append(time.perf_counter() - started)
        return task

    threads = [threading.Thread(target=work, args=(agent, user)) for agent, _, user in agents]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    completed = Task.objects.filter(run_id__in=runs, state="completed").count()
    Run.objects.filter(pk__in=runs).delete()
    return [("agents", AGENTS), ("tasks", TASKS), ("claimed and completed", f"{len(claimed)} ({completed} in db)"),
            ("duplicates", len(claimed) - len(set(claimed))), ("wall s", round(wall, 2)),
            ("tasks/s (claim + complete)", round(len(claimed) / wall, 1)),
            ("claim p50 / p99 ms", f"{round(statistics.median(claim_seconds) * 1000, 1)} / "
                                   f"{round(percentile(claim_seconds, 0.99) * 1000, 1)}")]


def fan_out(actor, base) -> list:
    """An agent reports progress 30 times over HTTP; 200 clients following the run time each report's arrival."""
    import httpx
    import websockets

    from accounts.services.api_keys import create_api_key
    from workflows import services

    _, key = create_api_key(actor, name="bench fan-out", user=actor, role="viewer")
    workflow = services.create_workflow(actor, name=f"bench fan-out {time.time_ns()}",
                                        steps=[{"name": "one", "capability": "bench.fanout"}])
    services.start_workflow(actor, workflow)
    [(agent, secret, user)] = fresh_agents(actor, 1, "bench.fanout")
    task = services.claim_next_task(user, agent)
    topic = f"run:{task.run_id}"
    ws_url = base.replace("http://", "ws://") + f"/ws/?api_key={key}"
    sent, latencies, failures = {}, [], []

    async def client(ready):
        try:
            async with websockets.connect(ws_url, origin=base, max_queue=None) as ws:
                json.loads(await ws.recv())  # authenticated
                await ws.send(json.dumps({"action": "subscribe", "topic": topic}))
                while json.loads(await ws.recv()).get("type") != "subscribed":
                    pass
                ready.release()
                seen = 0
                while seen < EVENTS:
                    frame = json.loads(await ws.recv())
                    if frame.get("type") == "task.changed":
                        latencies.append(time.perf_counter() - sent[frame["data"]["progress"]])
                        seen += 1
        except Exception as exc:  # noqa: BLE001 - counted and printed: a dropped client is a finding
            failures.append(type(exc).__name__)
            ready.release()

    async def main():
        ready = asyncio.Semaphore(0)
        tasks = []
        for _ in range(CLIENTS // 10):  # ten at a time, each batch subscribed before the next connects
            tasks += [asyncio.create_task(client(ready)) for _ in range(10)]
            for _ in range(10):
                await asyncio.wait_for(ready.acquire(), 30)
        async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Api-Key {secret}"}) as http:
            for progress in range(1, EVENTS + 1):
                sent[progress] = time.perf_counter()
                response = await http.post(f"/api/workflows/agent/tasks/{task.pk}/progress/",
                                           json={"progress": progress})
                assert response.status_code == 200, response.text
                await asyncio.sleep(0.2)
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 30)

    try:
        asyncio.run(main())
    except TimeoutError:
        failures.append("timed out")
    ms = [value * 1000 for value in latencies] or [float("nan")]
    return [("clients", CLIENTS), ("progress reports, 0.2 s apart", EVENTS), ("frames received", len(latencies)),
            ("clients that failed", f"{len(failures)} {sorted(set(failures))}"),
            ("p50 ms (report sent -> frame received)", round(statistics.median(ms), 1)),
            ("p99 ms", round(percentile(ms, 0.99), 1)), ("max ms", round(max(ms), 1))]


def log_ingest(actor, base) -> list:
    import httpx

    from workflows import services

    agents = fresh_agents(actor, LOG_AGENTS, "bench.logs")
    workflow = services.create_workflow(actor, name=f"bench logs {time.time_ns()}",
                                        steps=[{"name": "one", "capability": "bench.logs"}])
    held = []
    for agent, secret, user in agents:
        services.start_workflow(actor, workflow)
        held.append((secret, services.claim_next_task(user, agent).pk))
    lines = [f"line {n}: temperature 37.{n % 10} C" for n in range(BATCH)]
    counts, statuses = [0], {}

    async def poster(secret, task_id, stop_at):
        async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Api-Key {secret}"}, timeout=30) as c:
            while time.monotonic() < stop_at:
                response = await c.post(f"/api/workflows/agent/tasks/{task_id}/logs/", json={"lines": lines})
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code == 200:
                    counts[0] += BATCH

    async def main():
        stop_at = time.monotonic() + LOG_SECONDS
        await asyncio.gather(*(poster(secret, task_id, stop_at) for secret, task_id in held))

    started = time.monotonic()
    asyncio.run(main())
    wall = time.monotonic() - started
    return [("agents posting", LOG_AGENTS), ("lines per batch", BATCH), ("seconds", round(wall, 1)),
            ("statuses", statuses), ("lines/s (HTTP, stored and published)", round(counts[0] / wall))]


def clear_earlier_runs() -> None:
    """Remove what an earlier (perhaps interrupted) run of this benchmark left, so no old task is claimed."""
    from workflows.models import Agent, Run

    Run.objects.filter(workflow__name__startswith="bench ").delete()
    Agent.objects.filter(name__startswith="bench-").update(status="offline")


def main():
    env = setup_django(DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS, WORKFLOWS_AGENT_RATE="100000000/minute")
    actor = operator()
    clear_earlier_runs()
    report("Claim: 10 agents, PostgreSQL SKIP LOCKED", claim_throughput(actor))
    with served(env | {"REDIS_URL": ""}, workers=1) as base:
        report("Fan-out to 200 websockets (uvicorn, 1 worker, in-memory channel layer)", fan_out(actor, base))
    with served(env, workers=1) as base:
        report("Fan-out to 200 websockets (uvicorn, 1 worker, channels-redis)", fan_out(actor, base))
        report("Log ingest over HTTP (uvicorn, 1 worker)", log_ingest(actor, base))


if __name__ == "__main__":
    main()
