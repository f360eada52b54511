"""A job that fails after it ran logs its machine hours on its task, once, with a note that it failed."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from equipment import services, states
from equipment.models import Job, SafetyEvent
from equipment.services import jobs as job_services
from projects.models import WorkLog
from projects.tests.factories import ProjectMemberFactory, TaskFactory

from .factories import MachineFactory, booked_machine, gcode_file

pytestmark = pytest.mark.django_db


def my_task(user):
    task = TaskFactory()
    ProjectMemberFactory(project=task.project, user=user)
    return task


def running_for(user, machine, task, *, ran_hours: float, held_hours: float = 0.0) -> Job:
    """A job on ``task`` that started ``ran_hours`` ago and has been held (paused) for the last ``held_hours``."""
    job = services.upload_job(user, machine, gcode_file(30), task=task)
    services.start_job(user, job)
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(started_at=now - timedelta(hours=ran_hours))
    if held_hours:
        services.pause_job(user, job)
        Job.objects.filter(pk=job.pk).update(paused_at=now - timedelta(hours=held_hours))
    return Job.objects.get(pk=job.pk)


def test_an_emergency_stop_through_the_api_logs_the_hours_the_job_ran_without_its_pause(client_as):
    client = client_as("member")
    machine, _ = booked_machine(client.user)
    task = my_task(client.user)
    job = running_for(client.user, machine, task, ran_hours=3, held_hours=1)
    response = client.post(f"/api/equipment/machines/{machine.pk}/commands/", {"command": "emergency_stop"},
                           format="json")
    assert response.status_code == 202, response.data
    job.refresh_from_db()
    log = WorkLog.objects.get(task=task)
    assert job.status == "failed" and job.worklog == log and job.paused_at is None
    assert log.hours == Decimal("2.00") and log.user == client.user  # three hours run, one of them paused
    assert f"job {job.pk}, failed" in log.note and "it failed: Emergency stop by" in log.note
    services.emergency_stop(client.user, machine)  # a second stop finds no running job: nothing more is logged
    assert WorkLog.objects.filter(task=task).count() == 1


def test_the_admin_stop_action_logs_the_hours_of_an_interrupted_job_without_the_time_it_waited(client, make_user):
    from equipment.services import link

    operator = make_user("operator")
    machine = MachineFactory()
    task = my_task(operator)
    job = running_for(operator, machine, task, ran_hours=2)
    link.machine_lost(machine.pk, "the cable was pulled", held={"job": job.pk, "line": 10})
    Job.objects.filter(pk=job.pk).update(paused_at=timezone.now() - timedelta(minutes=30))
    link.machine_connected(machine.pk, {})  # back, idle, the job still waiting for an operator
    client.force_login(operator)
    client.post("/admin/equipment/machine/", {"action": "stop_selected", "_selected_action": [machine.pk]})
    job.refresh_from_db()
    assert job.status == "failed" and WorkLog.objects.get(task=task).hours == Decimal("1.50")


def test_a_critical_safety_event_fails_the_job_and_logs_its_hours(make_user):
    operator = make_user("operator")
    machine = MachineFactory(max_hotend=250)
    task = my_task(operator)
    job = running_for(operator, machine, task, ran_hours=0.5)
    services.record_telemetry(machine.pk, [(timezone.now(), {"hotend": {"actual": 290.0, "target": 250.0}})])
    job.refresh_from_db()
    assert SafetyEvent.objects.get(machine=machine, kind="hotend_overheat").level == SafetyEvent.Level.EMERGENCY
    assert job.status == "failed" and job.reason.startswith("Safety: hotend at 290.0")
    log = WorkLog.objects.get(task=task)
    assert log.hours == Decimal("0.50") and "it failed: Safety: hotend" in log.note


def test_a_fault_reported_twice_logs_once_and_a_queued_job_never_fails():
    from accounts.tests.factories import UserFactory

    operator = UserFactory(role="operator")
    machine = MachineFactory()
    task = my_task(operator)
    job = running_for(operator, machine, task, ran_hours=1)
    job_services.fail_job(job.pk, "Error:Printer halted. kill() called!")
    job_services.fail_job(job.pk, "Error:Printer halted. kill() called!")
    assert WorkLog.objects.filter(task=task).count() == 1
    queued = services.upload_job(operator, machine, gcode_file(3), task=task)
    job_services.fail_job(queued.pk, "never ran")
    assert Job.objects.get(pk=queued.pk).status == "queued"


@pytest.mark.django_db(transaction=True)
def test_a_firmware_halt_mid_print_fails_the_job_through_the_gateway_and_logs_its_hours(make_user, marlin_online):
    from .gateway_helpers import state_of, wait_for

    operator = make_user("operator")
    task = my_task(operator)
    online = marlin_online(halt_at_line=120)  # the board halts on its 120th numbered line, mid-job
    job = services.upload_job(operator, online.machine, gcode_file(3000), task=task.pk)
    services.start_job(operator, job)
    wait_for(lambda: Job.objects.get(pk=job.pk).worklog_id, what="the worklog of the failed job")
    wait_for(lambda: state_of(online.machine) == states.ERROR, what="the machine in error")
    job.refresh_from_db()
    assert job.status == "failed" and "kill() called" in job.reason and 0 < job.lines_acked < 3000
    log = WorkLog.objects.get(task=task)
    assert log.user == operator and log.hours >= Decimal("0.01")
    assert "failed" in log.note and "kill() called" in log.note
