"""The machine page in headless Chromium: a booked member starts a job on a simulated printer and watches it move."""
import pytest

from equipment import services, states
from equipment.models import Job, Machine
from equipment.simulators.marlin import MarlinSimulator

from .factories import booked_machine, gcode_file
from .gateway_helpers import RunningGateway, wait_for

pytestmark = pytest.mark.browser


def _progress(page, job_id) -> float:
    return float(page.locator(f"tr[data-job='{job_id}'] .job-progress").inner_text() or 0)


def _where_things_stand(page, machine, job) -> str:
    """What the database and the page say, for a wait that timed out."""
    row = Machine.objects.values("state", "state_reason").get(pk=machine.pk)
    stored = Job.objects.values("status", "lines_acked", "reason").get(pk=job.pk)
    shown = page.evaluate("[document.getElementById('machine-state').dataset.state,"
                          " (document.getElementById('refusal') || {}).textContent || '',"
                          " document.getElementById('live-status').dataset.state]")
    return f"machine {row}, job {stored}, page (state, refusal, live) {shown}"


def test_a_member_with_a_booking_starts_a_job_and_watches_progress_move(make_user, login_in_browser, settings):
    member = make_user("member")
    # This test is about the page, not about noticing a lost board: on two cores shared with a
    # browser and other test processes, a simulated board may miss the usual 3 s window.
    settings.EQUIPMENT_OFFLINE_SECONDS = 10
    # Moves take time, as on a printer: on a quiet machine the gateway would finish the file
    # before the page could see it print.
    with MarlinSimulator(move_seconds=0.002) as sim:
        machine, _ = booked_machine(member, state=states.DISCONNECTED, connection={"port": sim.port})
        job = services.upload_job(member, machine, gcode_file(30000))
        with RunningGateway(poll=0.5):
            wait_for(lambda: Machine.objects.get(pk=machine.pk).state == states.IDLE)
            page = login_in_browser(member)
            page.set_default_timeout(30000)  # a gateway, a board and a browser share two loaded cores here
            errors = []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.goto(f"/equipment/{machine.pk}/")
            page.wait_for_selector("#live-status[data-state=live]")
            page.locator(f"tr[data-job='{job.pk}']").get_by_role("button", name="Start").click()
            try:
                page.wait_for_selector("#machine-state[data-state=printing]")
            except Exception as timed_out:
                raise AssertionError(_where_things_stand(page, machine, job)) from timed_out
            page.wait_for_function(f"parseFloat(document.querySelector(\"tr[data-job='{job.pk}'] .job-progress\")"
                                   ".textContent) > 0")
            first = _progress(page, job.pk)
            assert first < 100
            page.wait_for_function(f"parseFloat(document.querySelector(\"tr[data-job='{job.pk}'] .job-progress\")"
                                   f".textContent) > {first}")
            assert _progress(page, job.pk) > first
            page.wait_for_function("document.getElementById('hotend-actual').textContent !== '–'")
            page.locator(f"tr[data-job='{job.pk}']").get_by_role("button", name="Cancel").click()
            page.wait_for_selector(f"tr[data-job='{job.pk}']", state="detached")
            page.wait_for_selector("#machine-state[data-state=idle]")
    assert errors == []


def test_a_member_without_a_booking_sees_why_and_no_controls(make_user, login_in_browser):
    member = make_user("member")
    machine, _ = booked_machine(make_user("member"))
    page = login_in_browser(member)
    page.goto(f"/equipment/{machine.pk}/")
    assert "no confirmed booking" in page.locator("#why-not").inner_text()
    assert page.get_by_role("button", name="Emergency stop").count() == 0


def test_a_refused_command_is_shown_in_place(make_user, login_in_browser):
    operator = make_user("operator")
    machine, _ = booked_machine(operator, state=states.IDLE)
    page = login_in_browser(operator)
    page.goto(f"/equipment/{machine.pk}/")
    page.select_option("select[name=command]", "set_temperature")
    page.select_option("select[name=heater]", "hotend")
    page.fill("input[name=target]", "350")
    page.get_by_role("button", name="Send").click()
    assert "at most 300" in page.locator("#refusal").inner_text()


def test_the_machine_page_fits_a_phone(make_user, login_in_browser):
    member = make_user("member")
    machine, _ = booked_machine(member, state=states.IDLE)
    services.upload_job(member, machine, gcode_file(5))
    page = login_in_browser(member)
    page.set_viewport_size({"width": 390, "height": 844})
    for url in (f"/equipment/{machine.pk}/", "/equipment/"):
        page.goto(url)
        # The shared top bar is the layout's own; this checks what the equipment pages put in <main>.
        wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.table-wrap'))
            .map(e => e.tagName + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right))""")
        assert wide == [], (url, wide)


def test_a_member_uploads_a_job_for_one_of_their_tasks_and_sees_it_on_the_task(make_user, login_in_browser):
    from projects.tests.factories import ProjectMemberFactory, TaskFactory

    member = make_user("member")
    machine, _ = booked_machine(member, state=states.IDLE)
    task = TaskFactory(title="Print the bracket")
    ProjectMemberFactory(project=task.project, user=member)
    TaskFactory(title="Someone else's task")
    page = login_in_browser(member)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/equipment/{machine.pk}/")
    options = page.locator("select[name=task] option").all_inner_texts()
    assert any("Print the bracket" in text for text in options)
    assert not any("Someone else" in text for text in options)
    page.set_input_files("input[name=file]", files=[{"name": "bracket.gcode", "mimeType": "text/plain",
                                                     "buffer": b"G28\nG1 X10 Y10\n"}])
    page.select_option("select[name=task]", str(task.pk))
    page.get_by_role("button", name="Upload to queue").click()
    page.get_by_role("link", name="Print the bracket").click()
    page.wait_for_selector("#machine-jobs")
    assert "bracket.gcode" in page.locator("#machine-jobs").inner_text()
