"""A job interrupted by a lost machine is kept in the database: it outlives a gateway restart, waits for an operator."""
import time

import pytest

from equipment import services, states
from equipment.models import Job, Machine

from .factories import booked_machine, gcode_file
from .gateway_helpers import state_of, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("gateway_connections")]


def job_lines(sim) -> list[str]:
    """The job's lines the simulated board carried out (polls left out)."""
    return [line for line in sim.executed if line.startswith(("G1", "G28"))]


def test_an_interrupted_job_outlives_a_gateway_restart_and_only_an_operator_resumes_it(client_as, marlin_online):
    member = client_as("member")
    operator = client_as("operator")
    online = marlin_online(lambda port: booked_machine(member.user, state=states.DISCONNECTED,
                                                       connection={"port": port})[0])
    machine, sim = online.machine, online.sim
    job = services.upload_job(member.user, machine, gcode_file(3000))
    services.start_job(member.user, job)
    wait_for(lambda: len(job_lines(sim)) > 20, what="the first job lines at the board")
    sim.halted = True  # the cable is pulled mid-job: nothing comes back from the board
    wait_for(lambda: Job.objects.get(pk=job.pk).status == "interrupted", what="interrupted")
    before_restart = job_lines(sim)
    online.stop_gateway()
    # The gateway is gone: only the database knows about the job now.
    job.refresh_from_db()
    reached = len(before_restart)
    assert job.status == "interrupted" and job.lines_acked == reached
    assert job.reason.startswith("Connection lost") and f"at line {reached} of 3000" in job.reason
    assert job.paused_at is not None and state_of(machine) == states.DISCONNECTED
    sim.halted = False  # the board is back; a new gateway connects to it
    online.start_gateway()
    time.sleep(0.6)
    still = Job.objects.get(pk=job.pk)
    assert still.status == "interrupted" and still.reason == job.reason and not job_lines(sim)
    refused = member.post(f"/api/equipment/jobs/{job.pk}/resume/")
    assert refused.status_code == 403 and "operator" in refused.data["detail"]
    # The board reset when the new gateway opened its port: it no longer knows where the head is.
    lost = operator.post(f"/api/equipment/jobs/{job.pk}/resume/")
    assert lost.status_code == 409 and lost.data["error"] == "position_lost", lost.data
    assert "home the machine" in lost.data["detail"] and Job.objects.get(pk=job.pk).status == "interrupted"
    homed = operator.post(f"/api/equipment/machines/{machine.pk}/commands/", {"command": "home"}, format="json")
    assert homed.status_code == 202
    wait_for(lambda: Machine.objects.get(pk=machine.pk).position_known, what="the machine homed")
    assert operator.post(f"/api/equipment/jobs/{job.pk}/resume/").data["status"] == "running"
    wait_for(lambda: Job.objects.get(pk=job.pk).status == "completed", timeout=60, what="completion")
    expected = ["G28"] + [line.split(";")[0].strip() for line in gcode_file(3000).read().decode().splitlines()
                          if line.startswith("G1")]
    after = job_lines(sim)
    back = after.index("G28 X Y")  # the resume homed X and Y, then went back over the print and down
    x, y = (float(word[1:]) for word in before_restart[-1].split()[1:3])
    assert after[back + 1] == f"G1 X{x:.3f} Y{y:.3f} F6000"
    assert before_restart + after[back + 3:] == expected  # every job line once: none skipped, none twice


def test_a_gateway_that_stops_mid_job_leaves_the_job_interrupted_at_its_line(make_user, marlin_online):
    operator = make_user("operator")
    online = marlin_online()
    machine, sim = online.machine, online.sim
    job = services.upload_job(operator, machine, gcode_file(3000))
    services.start_job(operator, job)
    wait_for(lambda: len(job_lines(sim)) > 20, what="the first job lines at the board")
    online.stop_gateway()
    done = len(job_lines(sim))
    job.refresh_from_db()
    assert job.status == "interrupted" and job.reason.startswith("The gateway stopped")
    assert job.lines_acked == done
    assert Machine.objects.get(pk=machine.pk).state == states.DISCONNECTED


def test_an_operator_cancels_an_interrupted_job_from_the_admin(make_user, admin_client):
    from equipment.services import link

    operator = make_user("operator")
    machine, _ = booked_machine(operator, state=states.IDLE)
    job = services.upload_job(operator, machine, gcode_file(30))
    services.start_job(operator, job)
    link.machine_lost(machine.pk, "the cable was pulled", held={"job": job.pk, "line": 12})
    job.refresh_from_db()
    assert job.status == "interrupted"
    assert job.reason.startswith("Connection lost (the cable was pulled) at line 12 of 30")
    response = admin_client.post("/admin/equipment/job/", {"action": "cancel_selected", "_selected_action": [job.pk]})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "cancelled" and job.lines_acked == 12 and job.paused_at is None


def test_a_board_that_kept_its_position_resumes_after_homing_x_and_y_at_the_print_height(client_as, marlin_online):
    from django.core.files.uploadedfile import SimpleUploadedFile

    operator = client_as("operator")
    moves = [f"G1 X{10 + i % 80} Y{20 + (i * 7) % 80} E{0.05 * (i + 1):.2f}" for i in range(3000)]
    body = "M140 S60\nM104 S200\nG28\nG1 Z0.3 F1200\nM82\n" + "\n".join(moves) + "\n"
    online = marlin_online(reset_on_open=False)  # a board whose auto-reset is off keeps its position
    machine, sim = online.machine, online.sim
    job = services.upload_job(operator.user, machine, SimpleUploadedFile("kept.gcode", body.encode()))
    services.start_job(operator.user, job)
    wait_for(lambda: len(sim.e_trail) > 20, what="the job extruding")
    sim.halted = True  # the cable is pulled mid-job
    wait_for(lambda: Job.objects.get(pk=job.pk).status == "interrupted", what="interrupted")
    sim.halted = False
    wait_for(lambda: state_of(machine) == states.IDLE, what="reconnected without a reset")
    assert sim.opened == 2 and Machine.objects.get(pk=machine.pk).position_known
    stopped_at = len(sim.executed)
    last = [line for line in sim.executed if line.startswith("G1 X")][-1]
    assert operator.post(f"/api/equipment/jobs/{job.pk}/resume/").data["status"] == "running"
    wait_for(lambda: Job.objects.get(pk=job.pk).status == "completed", timeout=60, what="completion")
    recovery = sim.executed[stopped_at:sim.executed.index(moves[moves.index(last) + 1], stopped_at)]
    assert "G28" not in recovery and "G28 X Y" in recovery  # Z is never homed over the print
    assert recovery.index("M109 S200") < recovery.index("G28 X Y")  # heated (with the nozzle lifted) first
    x, y, e = (float(word[1:]) for word in last.split()[1:4])
    assert recovery[recovery.index("G28 X Y") + 1:recovery.index("G28 X Y") + 4] == [
        f"G1 X{x:.3f} Y{y:.3f} F6000", "G1 Z0.300 F600", f"G92 E{e:.5f}"]
    assert [line for line in sim.executed if line.startswith("G1 X") and " E" in line] == moves  # each once
    assert sim.position["E"] == pytest.approx(150.0) and sim.position["Z"] == 0.3


def test_what_a_job_leaves_behind_at_a_line_follows_its_modes():
    from equipment import gcode

    lines = ["M104 S210", "G28", "G1 Z0.2 F1200", "M83", "G1 X5 Y5 E1", "G91", "G1 X2 E0.5", "G90", "G92 E0",
             "G1 X1 E2"]
    assert gcode.state_at(lines, 7) == {"x": 7.0, "y": 5.0, "z": 0.2, "e": 1.5, "relative": True,
                                        "relative_e": True, "feedrate": 1200.0, "hotend": 210.0, "bed": None}
    after = gcode.state_at(lines, len(lines))
    assert (after["x"], after["e"], after["relative"], after["relative_e"]) == (1.0, 2.0, False, False)
    assert [gcode.finds_position(line) for line in ("G28", "G28 X Y", "G28 Z", "G92 Z0.3", "G92 E0")] == [
        True, False, True, True, False]
