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
    assert operator.post(f"/api/equipment/jobs/{job.pk}/resume/").data["status"] == "running"
    wait_for(lambda: Job.objects.get(pk=job.pk).status == "completed", timeout=60, what="completion")
    expected = ["G28"] + [line.split(";")[0].strip() for line in gcode_file(3000).read().decode().splitlines()
                          if line.startswith("G1")]
    assert before_restart + job_lines(sim) == expected  # every line once: none skipped, none twice


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
