"""Jobs: upload into the queue, start/pause/resume/cancel, the end of a job and its material, interruptions."""
from decimal import Decimal

import pytest

from core.errors import Conflict, PermissionDenied
from equipment import services, states
from equipment.models import Command, Job
from equipment.services import jobs as job_services
from equipment.services import link

from .factories import MachineFactory, booked_machine, gcode_file

pytestmark = pytest.mark.django_db


def upload(client, machine, file):
    return client.post(f"/api/equipment/machines/{machine.pk}/jobs/", {"file": file}, format="multipart")


def test_an_upload_is_stored_under_a_generated_name_and_counts_its_lines(client_as):
    client = client_as("member")
    machine, booking = booked_machine(client.user)
    response = upload(client, machine, gcode_file(30, name="../../etc/passwd.gcode",
                                                  extra="; filament used [g] = 12.5\n"))
    assert response.status_code == 201, response.data
    job = Job.objects.get(pk=response.data["id"])
    assert job.original_name.endswith("passwd.gcode") and "passwd" not in job.file.name
    assert job.file.name.startswith("equipment/jobs/")
    assert job.total_lines == 30 and job.material_estimate == Decimal("12.500")
    assert job.booking == booking and job.status == "queued"


def test_an_upload_over_the_size_limit_is_refused(client_as, settings):
    settings.EQUIPMENT_MAX_UPLOAD_MB = 0
    response = upload(client_as("operator"), MachineFactory(), gcode_file(5))
    assert response.status_code == 400 and "at most 0 MB" in response.data["detail"]
    assert not Job.objects.exists()


def test_a_file_without_gcode_is_refused(client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = upload(client_as("operator"), MachineFactory(), SimpleUploadedFile("a.gcode", b"; only comments\n"))
    assert response.status_code == 400 and "no G-code" in response.data["detail"]


def test_the_queue_keeps_upload_order(make_user):
    operator = make_user("operator")
    machine = MachineFactory()
    first = services.upload_job(operator, machine, gcode_file(3))
    second = services.upload_job(operator, machine, gcode_file(3))
    assert list(machine.jobs.values_list("pk", flat=True)) == [first.pk, second.pk]
    assert second.position == first.position + 1


def test_start_pause_resume_cancel_move_the_job_and_the_machine(client_as):
    client = client_as("operator")
    machine = MachineFactory()
    job = services.upload_job(client.user, machine, gcode_file(5))
    assert client.post(f"/api/equipment/jobs/{job.pk}/start/").data["status"] == "running"
    machine.refresh_from_db()
    assert machine.state == states.PREPARING
    job_services.job_printing(job.pk)
    assert client.post(f"/api/equipment/jobs/{job.pk}/pause/").data["status"] == "paused"
    machine.refresh_from_db()
    assert machine.state == states.PAUSING
    job_services.job_paused(job.pk)
    assert client.post(f"/api/equipment/jobs/{job.pk}/resume/").data["status"] == "running"
    machine.refresh_from_db()
    assert machine.state == states.RESUMING
    assert client.post(f"/api/equipment/jobs/{job.pk}/cancel/").data["status"] == "cancelled"
    machine.refresh_from_db()
    assert machine.state == states.CANCELLING
    assert list(Command.objects.filter(machine=machine).values_list("name", flat=True)) == [
        "start_job", "pause_job", "resume_job", "cancel_job"]


def test_a_job_cannot_start_on_a_busy_or_offline_machine(make_user):
    operator = make_user("operator")
    machine = MachineFactory(state=states.DISCONNECTED)
    job = services.upload_job(operator, machine, gcode_file(3))
    with pytest.raises(Conflict, match="connected and idle"):
        services.start_job(operator, job)


def test_someone_elses_job_is_not_started_by_a_member(client_as, make_user):
    client = client_as("member")
    machine, _ = booked_machine(client.user)
    job = services.upload_job(make_user("operator"), machine, gcode_file(3))
    response = client.post(f"/api/equipment/jobs/{job.pk}/start/")
    assert response.status_code == 403 and "queued this job" in response.data["detail"]


def test_a_finished_job_debits_its_material_through_the_stock_services(make_user):
    from inventory import services as stock
    from inventory.models import StockMovement
    from inventory.tests.factories import LocationFactory, MaterialFactory

    operator = make_user("operator")
    shelf, pla = LocationFactory(kind="shelf"), MaterialFactory(unit="g")
    stock.receive_stock(operator, pla, "100", location=shelf)
    machine = MachineFactory(material=pla, material_location=shelf)
    job = services.upload_job(operator, machine, gcode_file(4, extra="; filament used [g] = 7.25\n"))
    services.start_job(operator, job)
    job_services.job_printing(job.pk)
    services.record_progress(job.pk, 4)
    job = services.finish_job(job.pk)
    assert job.status == "completed" and job.material_debited
    movement = StockMovement.objects.get(kind="consume")
    assert movement.quantity == Decimal("7.25") and movement.reference_id == str(job.pk)
    machine.refresh_from_db()
    assert machine.state == states.COMPLETE


def test_a_lost_connection_interrupts_the_job_and_only_an_operator_resumes_it(make_user):
    member, operator = make_user("member"), make_user("operator")
    machine, _ = booked_machine(member)
    job = services.upload_job(member, machine, gcode_file(10))
    services.start_job(member, job)
    services.record_progress(job.pk, 4)
    link.machine_homed(machine.pk)  # the job's G28 went through: the board knows where its head is
    link.machine_lost(machine.pk, "port closed")
    job.refresh_from_db()
    machine.refresh_from_db()
    assert job.status == "interrupted" and machine.state == states.DISCONNECTED
    link.machine_connected(machine.pk)
    job.refresh_from_db()
    assert job.status == "interrupted"  # reconnecting never resumes it by itself
    with pytest.raises(PermissionDenied, match="operator"):
        services.resume_job(member, job)
    services.resume_job(operator, job)
    job.refresh_from_db()
    assert job.status == "running"
    arguments = Command.objects.filter(name="start_job").last().arguments
    assert arguments["job"] == job.pk and arguments["from_line"] == 4 and arguments["recover"]["lift"] == 10


def test_the_admin_resume_action_is_the_operators_confirmation(client, make_user):
    operator = make_user("operator")
    machine = MachineFactory()
    job = services.upload_job(operator, machine, gcode_file(3))
    services.start_job(operator, job)
    link.machine_homed(machine.pk)
    link.machine_lost(machine.pk, "unplugged")
    link.machine_connected(machine.pk, board_reset=True)  # the board reset as its port opened
    client.force_login(operator)
    refused = client.post("/admin/equipment/job/", {"action": "resume_selected", "_selected_action": [job.pk]},
                          follow=True)
    assert "does not know where its head is" in refused.content.decode()
    assert Job.objects.get(pk=job.pk).status == "interrupted"
    link.machine_homed(machine.pk)  # the operator homed it
    client.post("/admin/equipment/job/", {"action": "resume_selected", "_selected_action": [job.pk]})
    job.refresh_from_db()
    assert job.status == "running"
