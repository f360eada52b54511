"""Print jobs and meeting jobs of the other apps appear on the one timeline, from their own events."""
import pytest

from equipment.models import Job
from equipment.services import jobs as job_services
from equipment.tests.factories import booked_machine, gcode_file
from workflows.adapters import activity_for
from workflows.models import Run

pytestmark = pytest.mark.django_db


def timeline(client):
    response = client.get("/api/workflows/timeline/")
    assert response.status_code == 200, response.content[:300]
    return {row["reference"]: row for row in response.json()["results"]}


def test_a_print_job_is_on_the_timeline_from_upload_to_cancel(client_as, django_capture_on_commit_callbacks):
    client = client_as("member")
    machine, _ = booked_machine(client.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/equipment/machines/{machine.pk}/jobs/", {"file": gcode_file(20)},
                               format="multipart")
    assert response.status_code == 201, response.data
    job = Job.objects.get(pk=response.data["id"])
    reference = f"job-{job.pk}"
    operator = client_as("operator")
    assert timeline(operator)[reference]["state"] == "pending"

    with django_capture_on_commit_callbacks(execute=True):  # the gateway's door
        job_services.start_job(client.user, job)
    with django_capture_on_commit_callbacks(execute=True):
        job_services.record_progress(job.pk, 10)
    row = timeline(operator)[reference]
    assert (row["state"], row["progress"]) == ("running", 50)
    assert row["link"] == f"/equipment/{machine.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        job_services.cancel_job(client.user, job, "wrong filament")
    assert timeline(operator)[reference]["state"] == "cancelled"
    assert Run.objects.filter(source="equipment", reference=reference).count() == 1


def test_a_transcription_event_maps_to_a_timeline_report_and_other_events_do_not():
    report = activity_for("meeting:4", "recording.progress",
                          {"meeting": 4, "recording": 9, "status": "running", "progress": 0.25,
                           "summary": "a.wav 25 %"})
    assert report["source"] == "meetings" and report["reference"] == "transcription-9"
    assert (report["state"], report["progress"]) == ("running", 25)
    assert activity_for("meeting:4", "meeting.changed", {"meeting": 4}) is None
    assert activity_for("scheduler", "booking.requested", {"id": 1, "status": "pending"}) is None
