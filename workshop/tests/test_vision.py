"""Cameras: snapshots from a local HTTP camera and uploads, per job, the stall check, pruning."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from equipment.models import SafetyEvent
from equipment.tests.factories import MachineFactory
from workshop.models import Camera, Snapshot
from workshop.services.vision import check_stall, difference, fetch_snapshot, prune_snapshots

from .camera_server import CameraServer, frame
from .factories import running_job

pytestmark = pytest.mark.django_db


def _camera(url="", **machine):
    return Camera.objects.create(machine=MachineFactory(**machine), name="Top", snapshot_url=url)


def test_difference_sees_movement_and_not_noise():
    assert difference(frame(0), frame(0)) == 0
    assert difference(frame(0), frame(60)) > 0.05


def test_snapshots_are_fetched_kept_per_job_and_compared(make_user):
    with CameraServer() as cam:
        camera = _camera(cam.url, name="Printer A")
        job = running_job(camera.machine, make_user("member"))
        first = fetch_snapshot(camera)
        cam.image = frame(40)
        second = fetch_snapshot(camera)
    assert first.change is None and second.change > 0.01
    assert first.job == job and second.job == job and second.image.name.endswith(".jpg")
    assert cam.requests == 2


def test_a_camera_that_fails_is_a_conflict_with_the_reason(client_as):
    with CameraServer() as cam:
        cam.status = 500
        camera = _camera(cam.url)
        response = client_as("operator").post(f"/api/cameras/{camera.pk}/snapshot/")
    assert response.status_code == 409 and "did not give a snapshot" in response.json()["detail"]
    assert not Snapshot.objects.exists()


def test_upload_takes_images_only(client_as):
    camera = _camera()
    client = client_as("operator")
    bad = client.post(f"/api/cameras/{camera.pk}/upload/", {"file": SimpleUploadedFile("a.jpg", b"nope")},
                      format="multipart")
    assert bad.status_code == 400
    good = client.post(f"/api/cameras/{camera.pk}/upload/",
                       {"file": SimpleUploadedFile("a.jpg", frame(5), content_type="image/jpeg")}, format="multipart")
    assert good.status_code == 201 and Snapshot.objects.filter(camera=camera).count() == 1


def test_the_image_link_an_api_client_gets_serves_the_image(client_as):
    camera = _camera()
    operator = client_as("operator")
    made = operator.post(f"/api/cameras/{camera.pk}/upload/",
                         {"file": SimpleUploadedFile("a.jpg", frame(5), content_type="image/jpeg")}, format="multipart")
    link = made.json()["image"]
    assert link.startswith("http://testserver/api/cameras/snapshots/")
    served = client_as("member").get(link)
    assert served.status_code == 200 and b"".join(served.streaming_content) == frame(5)
    assert client_as(None).get(link).status_code in (401, 403)
    Snapshot.objects.get().image.delete(save=False)
    assert operator.get(link).status_code == 404


def test_member_without_a_booking_may_not_take_snapshots(client_as):
    with CameraServer() as cam:
        camera = _camera(cam.url)
        response = client_as("member").post(f"/api/cameras/{camera.pk}/snapshot/")
    assert response.status_code == 403 and cam.requests == 0


def test_no_change_while_printing_raises_a_stall_and_movement_does_not(settings, make_user):
    settings.WORKSHOP_STALL_MINUTES = 10
    with CameraServer() as cam:
        camera = _camera(cam.url, name="Printer S")
        running_job(camera.machine, make_user("member"))
        start = timezone.now() - timedelta(minutes=15)
        for minute in range(0, 16, 3):
            cam.image = frame(minute * 4)  # moving for the first snapshots
            fetch_snapshot(camera, at=start + timedelta(minutes=minute))
        assert check_stall(camera, now=timezone.now()) is None, "the head moved inside the window"
        for minute in range(16, 30, 3):  # then frozen for 14 minutes
            fetch_snapshot(camera, at=start + timedelta(minutes=minute))
        event = check_stall(camera, now=start + timedelta(minutes=29))
    assert event is not None and event.kind == "camera_stall" and event.level == SafetyEvent.Level.WARNING


def test_old_snapshots_are_pruned_with_their_files():
    camera = _camera()
    old = Snapshot(camera=camera, at=timezone.now() - timedelta(days=30))
    old.image.save("a.jpg", SimpleUploadedFile("a.jpg", frame()), save=True)
    path = old.image.path
    assert prune_snapshots(14) == 1
    import os

    assert not os.path.exists(path) and not Snapshot.objects.exists()


def test_cameras_are_set_up_by_operators(client_as):
    machine = MachineFactory()
    body = {"machine": machine.pk, "name": "Side", "snapshot_url": "http://127.0.0.1:9/snap.jpg"}
    assert client_as("member").post("/api/cameras/", body, format="json").status_code == 403
    response = client_as("operator").post("/api/cameras/", body, format="json")
    assert response.status_code == 201, response.json()
    assert client_as("operator").get(f"/api/cameras/snapshots/?camera={response.json()['id']}").status_code == 200
