"""Headless Chromium: start a run from the timeline, the reference agent finishes it, the pages follow live."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .factories import make_agent, make_workflow, step

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


# The page's own content fits 390 px (tables scroll inside their box); the shared top bar is the layout's.
OVERFLOWING_390 = """() => [...document.querySelectorAll('main *')]
  .filter(e => !e.closest('.table-scroll') && e.getBoundingClientRect().right > 391)
  .map(e => e.tagName + '.' + e.className)"""


def watch_console(page):
    """Console errors and uncaught page errors, collected while the test runs."""
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def agent_process(live_site, secret, max_tasks):
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_agent", "--url", live_site, "--key", secret, "--capability", "lab.http",
         "--max-tasks", str(max_tasks), "--idle-exit", "20", "--poll", "0.2"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_run_started_on_the_page_is_finished_by_the_agent_without_reloading(make_user, login_in_browser,
                                                                              live_site):
    make_workflow([step("lab.http", name="settle", parameters={"action": "wait", "seconds": 1}),
                   step("lab.http", name="login page up",
                        parameters={"action": "http_check", "url": f"{live_site}/accounts/login/"})],
                  name="Morning check")
    _, secret = make_agent(["lab.http"], name="bench agent")
    page = login_in_browser(make_user("member"))
    problems = watch_console(page)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/workflows/")
    page.select_option("select[name=workflow]", label="Morning check")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("**/workflows/runs/*/")
    page.wait_for_selector("#live-status[data-state=live]")
    assert page.get_attribute("#run", "data-state") == "pending"
    page.evaluate("window.notReloaded = true")

    agent = agent_process(live_site, secret, max_tasks=2)
    try:
        page.wait_for_selector("#run[data-state=completed]", timeout=30000)
    finally:
        out, err = agent.communicate(timeout=30)
    assert agent.returncode == 0, err[-2000:]
    assert page.evaluate("window.notReloaded") is True
    assert "done waiting" in page.inner_text("#log-tail")
    assert page.locator("[data-task][data-state=completed]").count() == 2
    ended = page.inner_text("#run p [data-field=ended_at]")  # written live, in the pages' one time format
    assert re.fullmatch(r"[A-Z][a-z]{2} \d{4}-\d{2}-\d{2} \d{2}:\d{2}", ended), ended
    assert page.evaluate(OVERFLOWING_390) == []
    assert problems == []


def test_the_agent_board_shows_an_agent_come_online_live(make_user, login_in_browser, live_site):
    agent, secret = make_agent(["lab.http"], name="cold-room pi")
    page = login_in_browser(make_user("viewer"))
    problems = watch_console(page)
    page.goto("/workflows/agents/")
    page.wait_for_selector("#live-status[data-state=live]")
    assert page.get_attribute(f"[data-agent='{agent.pk}']", "data-status") == "offline"
    process = agent_process(live_site, secret, max_tasks=0)
    try:
        page.wait_for_selector(f"[data-agent='{agent.pk}'][data-status=online]", timeout=20000)
    finally:
        process.kill()
        process.communicate()
    assert problems == []


def test_an_operator_approves_a_suggestion_in_the_inbox_and_its_run_starts(make_user, login_in_browser):
    from workflows import services
    from workflows.models import Run

    from .factories import key_user

    workflow = make_workflow([step("lab.http")], name="Restock check")
    agent, _ = make_agent(["lab.http"], name="stock watcher")
    suggestion = services.make_suggestion(key_user(agent), agent, action="Check the glove stock", confidence=0.8,
                                          reasoning="Usage doubled this week.", workflow=workflow)
    page = login_in_browser(make_user("operator"))
    problems = watch_console(page)
    page.goto("/workflows/suggestions/")
    page.wait_for_selector("#live-status[data-state=live]")
    arrived = services.make_suggestion(key_user(agent), agent, action="Order nitrile gloves", confidence=0.6,
                                       workflow=workflow)
    page.wait_for_selector(f"[data-suggestion='{arrived.pk}']")  # a new suggestion appears without reloading
    assert "Order nitrile gloves" in page.inner_text(f"[data-suggestion='{arrived.pk}']")
    item = page.locator(f"[data-suggestion='{suggestion.pk}']")
    item.get_by_label("Note").fill("go ahead")
    item.get_by_role("button", name="Approve").click()
    page.wait_for_selector("text=Suggestion approved")
    run = Run.objects.get(workflow=workflow)
    assert run.origin == Run.Origin.SUGGESTION
    page.get_by_role("link", name=f"run #{run.pk}").click()
    page.wait_for_url(f"**/workflows/runs/{run.pk}/")
    assert problems == []
