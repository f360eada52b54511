"""The reference agent as a real process: it talks HTTP to a served Benchtop with its key and finishes runs."""
import subprocess
import sys
from pathlib import Path

import pytest

from workflows.models import LogLine, Run
from workflows.reference_agent import is_local

from .factories import make_agent, make_workflow, start, step

ROOT = Path(__file__).resolve().parents[2]


def run_agent(live_site, secret, *capabilities, max_tasks):
    command = [sys.executable, "manage.py", "run_agent", "--url", live_site, "--key", secret, "--max-tasks",
               str(max_tasks), "--idle-exit", "15", "--poll", "0.2"]
    for capability in capabilities:
        command += ["--capability", capability]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=90)


def test_the_agent_waits_checks_a_local_url_and_exports_stock_then_the_run_is_complete(live_site):
    run = start(make_workflow([
        step("lab.http", name="settle", parameters={"action": "wait", "seconds": 0.3}),
        step("lab.http", name="login page up",
             parameters={"action": "http_check", "url": f"{live_site}/accounts/login/"}),
        step("exports", name="stock export", parameters={"action": "benchtop_call", "call": "export_stock_csv"}),
    ]))
    agent, secret = make_agent(["lab.http", "exports"])
    done = run_agent(live_site, secret, "lab.http", "exports", max_tasks=3)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "stopped after 3 task(s)" in done.stdout
    run.refresh_from_db()
    agent.refresh_from_db()
    assert run.state == Run.State.COMPLETED and run.progress == 100
    tasks = list(run.tasks.order_by("position"))
    assert tasks[0].result == {"waited": 0.3}
    assert tasks[1].result["status"] == 200
    assert tasks[2].result["call"] == "export_stock_csv" and tasks[2].result["bytes"] > 0
    assert LogLine.objects.filter(task__run=run).count() >= 4
    assert (agent.successes, agent.failures, agent.status) == (3, 0, "online")


def test_the_agent_refuses_remote_urls_and_unknown_actions_by_failing_the_task(live_site):
    remote = start(make_workflow([step("lab.http", parameters={"action": "http_check", "url": "http://example.com/"})]))
    shell = start(make_workflow([step("lab.http", parameters={"action": "shell", "command": "ls /"})]))
    agent, secret = make_agent(["lab.http"])
    done = run_agent(live_site, secret, "lab.http", max_tasks=2)
    assert done.returncode == 0, done.stderr[-2000:]
    remote.refresh_from_db()
    shell.refresh_from_db()
    assert remote.state == Run.State.FAILED and "loopback only" in remote.error
    assert shell.state == Run.State.FAILED and "Unknown action 'shell'" in shell.error


def test_an_agent_process_cannot_claim_capabilities_it_is_not_registered_for(live_site):
    _, secret = make_agent(["lab.http"])
    done = run_agent(live_site, secret, "printing", max_tasks=1)
    assert done.returncode != 0 and "not for printing" in done.stderr


@pytest.mark.parametrize(("url", "local"), [("http://127.0.0.1:8000/x", True), ("http://localhost/", True),
                                            ("http://[::1]:9/", True), ("http://10.0.0.1/", False),
                                            ("file:///etc/passwd", False), ("http://example.com", False),
                                            ("ftp://127.0.0.1/", False)])
def test_only_loopback_http_urls_are_local(url, local):
    assert is_local(url) is local
