"""Cameras during jobs: MJPEG frames, the gateway's capture loop, the first-layer snapshot, timelapses."""
import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone

from equipment import services, states
from equipment.models import Job, Machine, SafetyEvent
from equipment.simulators.marlin import MarlinSimulator
from equipment.tests.factories import MachineFactory
from equipment.tests.gateway_helpers import RunningGateway, wait_for
from workshop.mjpeg import FrameReader, StreamError, boundary_of
from workshop.models import Camera, Snapshot, Timelapse
from workshop.services.vision import capture, fetch_snapshot, first_layer_end

from .camera_server import CameraServer, frame
from .factories import running_job


def layered_gcode(layers: int = 6, per_layer: int = 6, slow: bool = False) -> str:
    """A small print: each layer a few extruding moves, a Z hop inside the first one; G28 (slow) between layers."""
    lines = ["G28", "M83", "G1 Z0.2 F600"]
    for layer in range(layers):
        z = round(0.2 + 0.2 * layer, 2)
        if layer:
            lines.append(f"G1 Z{z}")
            if slow:
                lines.append("G28")  # the simulator keeps the host busy on G28: the job takes seconds
        for step in range(per_layer):
            lines.append(f"G1 X{10 + step} Y{10 + layer} E0.5")
            if layer == 0 and step == 2:
                lines += [f"G1 Z{z + 0.4}", "G1 X50 Y50", f"G1 Z{z}"]  # travel with a Z hop
    return "\n".join(lines) + "\n"


def test_first_layer_ends_at_the_first_z_rise_followed_by_extrusion():
    from equipment import gcode

    lines = gcode.command_lines(layered_gcode(layers=3))
    end = first_layer_end(lines)
    assert lines[end] == "G1 Z0.4", "the Z hop inside the first layer is not a layer change"
    assert all("Z0.4" not in line for line in lines[:end])
    assert first_layer_end(["G28", "G1 X1 Y1 E1", "G1 X2 Y2 E2"]) is None  # one layer only


def test_frames_are_read_by_content_length_or_by_boundary():
    one, two = frame(0), frame(50)
    with_lengths = (b"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n" % len(one) + one +
                    b"\r\n--frame\r\nContent-Length: %d\r\n\r\n" % len(two) + two + b"\r\n")
    chunks = [with_lengths[i:i + 7] for i in range(0, len(with_lengths), 7)]  # split anywhere
    reader = FrameReader(iter(chunks), boundary_of('multipart/x-mixed-replace; boundary="--frame"'))
    assert reader.next_frame() == one and reader.next_frame() == two
    without = b"--frame\nContent-Type: image/jpeg\n\n" + one + b"\n--frame\n\n" + two + b"\n--frame--\n"
    reader = FrameReader(iter([without]), boundary_of("multipart/x-mixed-replace;boundary=frame"))
    assert reader.next_frame() == one and reader.next_frame() == two
    with pytest.raises(StreamError):
        reader.next_frame()
    with pytest.raises(StreamError, match="not an MJPEG stream"):
        boundary_of("image/jpeg")


@pytest.mark.django_db
@pytest.mark.parametrize("lengths", [True, False])
def test_an_mjpeg_camera_gives_one_whole_frame(lengths):
    with CameraServer(fps=20) as cam:
        cam.lengths = lengths
        cam.image = frame(33)
        camera = Camera.objects.create(machine=MachineFactory(), name="Stream", mjpeg_url=cam.mjpeg_url)
        snapshot = fetch_snapshot(camera)
        with snapshot.image.open("rb") as handle:
            assert handle.read() == cam.image
    assert cam.streams == 1


@pytest.mark.django_db
def test_a_camera_that_streams_no_mjpeg_is_refused_with_the_reason(client_as):
    with CameraServer() as cam:
        camera = Camera.objects.create(machine=MachineFactory(), name="Wrong", mjpeg_url=cam.url)  # a JPEG URL
        response = client_as("operator").post(f"/api/cameras/{camera.pk}/snapshot/")
    assert response.status_code == 409 and "not an MJPEG stream" in response.json()["detail"]
    assert not Snapshot.objects.exists()


@pytest.mark.django_db
def test_the_first_snapshot_past_the_first_layer_is_kept_as_the_first_layer(make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with CameraServer() as cam:
        camera = Camera.objects.create(machine=MachineFactory(), name="Top", snapshot_url=cam.url)
        job = running_job(camera.machine, make_user("member"))
        job.file.save("layers.gcode", SimpleUploadedFile("layers.gcode", layered_gcode().encode()), save=False)
        from equipment import gcode

        end = first_layer_end(gcode.command_lines(layered_gcode()))
        job.total_lines, job.lines_acked = 200, end - 1
        job.save()
        before = capture(camera, job)
        Job.objects.filter(pk=job.pk).update(lines_acked=end)
        first = capture(camera, job)
        later = capture(camera, job)
    assert [before.first_layer, first.first_layer, later.first_layer] == [False, True, False]
    assert Snapshot.objects.get(first_layer=True) == first


@pytest.mark.django_db
def test_a_timelapse_is_rendered_with_ffmpeg_or_pillow_through_the_command_and_the_page(make_user, client_as):
    operator = make_user("operator")
    camera = Camera.objects.create(machine=MachineFactory(), name="Top")
    job = running_job(camera.machine, operator)
    start = timezone.now() - timedelta(minutes=5)
    for n in range(8):
        Snapshot.objects.create(camera=camera, job=job, at=start + timedelta(seconds=10 * n),
                                image=fetch_image(n))
    with pytest.raises(CommandError):  # still running: refused, nothing made
        call_command("render_timelapse", str(job.pk))
    assert not Timelapse.objects.exists()
    client = client_as("operator")
    client.force_login(client.user)
    assert "still running" in client.post(f"/workshop/cameras/jobs/{job.pk}/").content.decode()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.COMPLETED, finished_at=timezone.now())
    call_command("render_timelapse", str(job.pk), "--renderer", "pillow")
    gif = Timelapse.objects.get(job=job)
    assert gif.renderer == "pillow" and gif.frames == 8 and gif.video.name.endswith(".gif")
    page = client.post(f"/workshop/cameras/jobs/{job.pk}/")
    assert page.status_code == 200 and "Timelapse rendered (8 frames)" in page.content.decode()
    video = Timelapse.objects.get(job=job)
    assert video.renderer == "ffmpeg" and video.video.name.endswith(".mp4")
    assert not os.path.exists(gif.video.path), "the older render's file is removed"
    with video.video.open("rb") as handle:
        assert handle.read(12)[4:8] == b"ftyp"  # an MP4 container
    served = client.get(f"/workshop/cameras/timelapses/{video.pk}/video/")
    assert served.status_code == 200 and b"".join(served.streaming_content)[4:8] == b"ftyp"


def fetch_image(n: int):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(f"{n}.jpg", frame(n * 20), content_type="image/jpeg")


@pytest.mark.django_db
def test_a_member_without_a_booking_may_not_render_a_timelapse(client_as, make_user):
    camera = Camera.objects.create(machine=MachineFactory(), name="Top")
    job = running_job(camera.machine, make_user("member"))
    Job.objects.filter(pk=job.pk).update(status=Job.Status.COMPLETED)
    response = client_as("member").post(f"/api/cameras/jobs/{job.pk}/timelapse/")
    assert response.status_code == 403 and not Timelapse.objects.exists()
    assert client_as("operator").post(f"/api/cameras/jobs/{job.pk}/timelapse/").status_code == 409  # no snapshots


@pytest.mark.django_db
def test_old_timelapses_are_pruned_with_the_snapshots():
    from workshop.services.vision import prune_snapshots

    camera = Camera.objects.create(machine=MachineFactory(), name="Top")
    job = running_job(camera.machine, None)
    old = Timelapse(camera=camera, job=job, frames=2, renderer="pillow",
                    rendered_at=timezone.now() - timedelta(days=40))
    old.video.save("t.gif", fetch_image(1), save=True)
    path = old.video.path
    assert prune_snapshots(14) == 1 and not os.path.exists(path) and not Timelapse.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_gateway_snapshots_a_printing_job_marks_its_first_layer_sees_a_stall_and_renders_it(
        settings, make_user):
    settings.WORKSHOP_CAPTURE_SECONDS = 0.25
    settings.WORKSHOP_STALL_MINUTES = 0.01  # 0.6 s of a frozen picture while printing is a stall here
    operator = make_user("operator")
    from django.core.files.uploadedfile import SimpleUploadedFile

    try:
        with CameraServer(fps=25) as cam, MarlinSimulator(busy_seconds=0.4) as sim:
            machine = MachineFactory(state=states.DISCONNECTED, connection={"port": sim.port})
            camera = Camera.objects.create(machine=machine, name="Top", mjpeg_url=cam.mjpeg_url)
            idle = Camera.objects.create(machine=MachineFactory(name="Idle printer"), name="Top",
                                         snapshot_url=cam.url)
            with RunningGateway():
                wait_for(lambda: Machine.objects.get(pk=machine.pk).state == states.IDLE, what="idle")
                job = services.upload_job(operator, machine, SimpleUploadedFile(
                    "layers.gcode", layered_gcode(layers=10, slow=True).encode()))
                services.start_job(operator, job)
                wait_for(lambda: Job.objects.get(pk=job.pk).status == "completed", timeout=60, what="completion")
                wait_for(lambda: Timelapse.objects.filter(job=job).exists(), timeout=60, what="the timelapse")
        snapshots = Snapshot.objects.filter(camera=camera, job=job)
        assert snapshots.count() >= 4, "one snapshot every 0.25 s of a job lasting seconds"
        assert snapshots.filter(first_layer=True).count() == 1 and not snapshots.order_by("at")[0].first_layer
        assert SafetyEvent.objects.filter(machine=machine, kind="camera_stall").exists(), "a frozen picture"
        assert not idle.snapshots.exists(), "a machine without a job is not watched"
        timelapse = Timelapse.objects.get(job=job)
        assert timelapse.frames == snapshots.count() and timelapse.camera == camera
    finally:
        connections.close_all()


@pytest.mark.django_db
def test_the_live_stream_is_for_members_and_only_where_there_is_one(client, make_user):
    camera = Camera.objects.create(machine=MachineFactory(), name="Still")
    url = f"/workshop/cameras/{camera.pk}/live.mjpg"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_user("viewer"))
    assert client.get(url).status_code == 403
    client.force_login(make_user("member"))
    assert client.get(url).status_code == 404
    with CameraServer() as cam:
        Camera.objects.filter(pk=camera.pk).update(mjpeg_url=cam.url)  # answers a JPEG, not a stream
        response = client.get(url)
    assert response.status_code == 502 and "not an MJPEG stream" in response.content.decode()


@pytest.mark.django_db
def test_the_lookout_watches_only_running_jobs_and_renders_each_ended_one_once(make_user):
    import threading

    from workshop.capture import CameraCapture

    machine = MachineFactory()
    camera = Camera.objects.create(machine=machine, name="Top", snapshot_url="http://127.0.0.1:9/snap.jpg")
    Camera.objects.create(machine=machine, name="Off", snapshot_url="http://127.0.0.1:9/snap.jpg", enabled=False)
    Camera.objects.create(machine=machine, name="Uploads only")
    old = running_job(machine, make_user("member"))
    Job.objects.filter(pk=old.pk).update(status=Job.Status.COMPLETED)
    job = running_job(machine, make_user("member"))
    halt = threading.Event()
    halt.set()  # the workers stop at once: this test looks at what the lookout starts and queues
    lookout = CameraCapture(halt, every=1.0)
    lookout.look()
    assert lookout.watched_jobs == {job.pk}, "only the running job, only through its enabled camera with a URL"
    Snapshot.objects.create(camera=camera, job=job, at=timezone.now(), image=fetch_image(1))
    Job.objects.filter(pk=job.pk).update(status=Job.Status.CANCELLED)
    lookout.look()
    lookout.look()
    assert Timelapse.objects.filter(job=job).count() == 1 and not Timelapse.objects.filter(job=old).exists()
    assert lookout.watched_jobs == set()
