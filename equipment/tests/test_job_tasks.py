"""A machine job for a project task: who may link one, and the machine hours logged on the task when it ends."""
from decimal import Decimal

import pytest

from equipment import services
from equipment.models import Job
from equipment.services import jobs as job_services
from equipment.services.endings import machine_hours
from projects.models import Project, WorkLog
from projects.tests.factories import ProjectFactory, ProjectMemberFactory, TaskFactory

from .factories import MachineFactory, booked_machine, gcode_file

pytestmark = pytest.mark.django_db


def my_task(user, **fields):
    """A task of a project ``user`` is a member of (owned by someone else)."""
    task = TaskFactory(**fields)
    ProjectMemberFactory(project=task.project, user=user)
    return task


def upload(client, machine, file, **data):
    return client.post(f"/api/equipment/machines/{machine.pk}/jobs/", {"file": file, **data}, format="multipart")


def test_a_job_for_my_task_logs_its_machine_hours_on_the_task_once(client_as):
    client = client_as("member")
    machine, _ = booked_machine(client.user)
    task = my_task(client.user)
    response = upload(client, machine, gcode_file(5), task=task.pk)
    assert response.status_code == 201, response.data
    assert response.data["task"] == task.pk and response.data["worklog"] is None
    job_id = response.data["id"]
    assert client.post(f"/api/equipment/jobs/{job_id}/start/").status_code == 200
    job_services.job_printing(job_id)
    job_services.finish_job(job_id)  # the gateway's report: every line acknowledged
    job_services.finish_job(job_id)  # a second report of the same end logs nothing more
    job = Job.objects.get(pk=job_id)
    log = WorkLog.objects.get(task=task)
    assert job.status == "completed" and job.worklog == log
    assert log.user == client.user and log.hours == Decimal("0.01") and f"job {job_id}" in log.note
    task.refresh_from_db()
    assert task.actual_hours == Decimal("0.01")
    answer = client.get(f"/api/equipment/jobs/{job_id}/").data
    assert answer["task"] == task.pk and answer["worklog"] == log.pk


def test_a_task_of_a_project_i_am_not_on_is_refused_with_a_reason(client_as):
    client = client_as("member")
    machine, _ = booked_machine(client.user)
    hidden = TaskFactory()  # someone else's project
    response = upload(client, machine, gcode_file(5), task=hidden.pk)
    assert response.status_code == 400
    assert "not a task of a project you belong to" in response.data["detail"] and "task" in response.data["fields"]
    missing = upload(client, machine, gcode_file(5), task=987654)
    assert missing.status_code == 400 and missing.data["detail"].startswith("Task 987654 is not")
    assert not Job.objects.exists()


def test_a_task_of_an_archived_project_is_refused(make_user):
    from core.errors import RuleViolation

    operator = make_user("operator")
    task = TaskFactory(project=ProjectFactory(status=Project.Status.ARCHIVED))
    with pytest.raises(RuleViolation, match="archived"):
        services.upload_job(operator, MachineFactory(), gcode_file(3), task=task)


def test_a_job_cancelled_after_running_logs_the_hours_it_ran_and_a_queued_one_none(make_user):
    operator = make_user("operator")
    machine = MachineFactory()
    task = my_task(operator)
    never_ran = services.upload_job(operator, machine, gcode_file(3), task=task)
    services.cancel_job(operator, never_ran)
    ran = services.upload_job(operator, machine, gcode_file(3), task=task)
    services.start_job(operator, ran)
    services.pause_job(operator, ran)
    services.cancel_job(operator, ran)
    assert list(WorkLog.objects.filter(task=task).values_list("pk", flat=True)) == [
        Job.objects.get(pk=ran.pk).worklog_id]
    assert Job.objects.get(pk=never_ran.pk).worklog_id is None


def test_hours_are_not_logged_when_the_owner_left_the_project_and_the_job_says_why(make_user):
    member = make_user("member")
    machine, _ = booked_machine(member)
    task = my_task(member)
    job = services.upload_job(member, machine, gcode_file(3), task=task)
    services.start_job(member, job)
    task.project.members.filter(user=member).delete()
    job_services.finish_job(job.pk)
    job.refresh_from_db()
    assert job.status == "completed" and job.worklog_id is None
    assert "Hours not logged" in job.reason and not WorkLog.objects.exists()


def test_machine_hours_leave_out_the_time_a_job_was_held():
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    job = Job(started_at=now - timedelta(hours=3), finished_at=now, paused_seconds=3600)
    assert job.machine_seconds == 7200 and machine_hours(job) == Decimal("2.00")


def test_the_page_form_offers_my_tasks_and_shows_a_refusal_in_place(make_user, client):
    member = make_user("member")
    machine, _ = booked_machine(member)
    mine, other = my_task(member, title="Print the bracket"), TaskFactory(title="Secret task")
    client.force_login(member)
    page = client.get(f"/equipment/{machine.pk}/").content.decode()
    assert "Print the bracket" in page and "Secret task" not in page
    refused = client.post(f"/equipment/{machine.pk}/upload/", {"file": gcode_file(3), "task": other.pk})
    assert refused.status_code == 400 and "not a task of a project you belong to" in refused.content.decode()
    assert not Job.objects.exists()
    done = client.post(f"/equipment/{machine.pk}/upload/", {"file": gcode_file(3), "task": mine.pk})
    assert done.status_code == 302
    job = Job.objects.get()
    assert job.task == mine
    page = client.get(f"/equipment/{machine.pk}/").content.decode()
    assert f'href="/projects/{mine.project_id}/tasks/{mine.pk}/"' in page or "Print the bracket</a>" in page
    task_page = client.get(f"/projects/{mine.project_id}/tasks/{mine.pk}/")
    assert task_page.status_code == 200 and job.original_name in task_page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_job_run_through_the_gateway_logs_its_hours_on_the_task(make_user, marlin_online):
    from .gateway_helpers import wait_for

    operator = make_user("operator")
    task = my_task(operator)
    online = marlin_online()
    job = services.upload_job(operator, online.machine, gcode_file(60), task=task.pk)
    services.start_job(operator, job)
    wait_for(lambda: Job.objects.get(pk=job.pk).worklog_id, what="the worklog of the finished job")
    log = WorkLog.objects.get(task=task)
    assert Job.objects.get(pk=job.pk).status == "completed" and log.hours >= Decimal("0.01")
    assert log.user == operator and log.note.startswith(f"Machine hours: {online.machine.name}")
