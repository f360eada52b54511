"""The voice and system pages in headless Chromium, at phone width."""
import pytest

from equipment.models import Command
from workshop.models import VoiceCommand

from .factories import small_lab

pytestmark = pytest.mark.browser


def _watch_console(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_typed_command_asks_then_runs_on_confirm(make_user, login_in_browser):
    operator = make_user("operator")
    lab = small_lab(operator)
    page = login_in_browser(operator)
    page.set_viewport_size({"width": 390, "height": 844})
    errors = _watch_console(page)
    page.goto("/workshop/voice/")
    assert page.locator("#record").is_visible(), "MediaRecorder exists in Chromium, so the record button shows"
    page.fill("#voice-text", "set the bed of printer one to 60")
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector(".answer[data-status=confirm]")
    assert "confirm?" in page.locator(".answer").inner_text()
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_selector(".answer[data-status=done]")
    assert Command.objects.filter(machine=lab["printer1"], name="set_temperature").count() == 1
    assert VoiceCommand.objects.filter(user=operator, status="done").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []


def test_system_page_goes_live(make_user, login_in_browser):
    operator = make_user("operator")
    page = login_in_browser(operator)
    errors = _watch_console(page)
    page.goto("/workshop/system/")
    page.wait_for_selector("#live-status[data-state=live]")
    assert page.locator("tr[data-service=database] .status-ok").count() == 1
    assert errors == []


def test_room_page_draws_its_chart_and_follows_readings_live(make_user, login_in_browser):
    from workshop.services.rooms_live import record_device_message

    from .factories import RoomDeviceFactory

    sensor = RoomDeviceFactory(name="Air", kind="sensor")
    record_device_message(sensor.topic, {"values": {"temperature": 21.5}})
    record_device_message(sensor.topic, {"values": {"temperature": 22.0}})
    member = make_user("member")
    page = login_in_browser(member)
    page.set_viewport_size({"width": 390, "height": 844})
    errors = _watch_console(page)
    page.goto(f"/workshop/rooms/{sensor.room_id}/")
    assert page.locator("#room-charts figure").count() == 1
    page.wait_for_selector("#live-status[data-state=live]")
    record_device_message(sensor.topic, {"values": {"temperature": 27.25}})
    page.wait_for_selector(f"tr[data-device='{sensor.pk}'] [data-reading=temperature]:has-text('27.25')")
    assert errors == []


def test_cameras_live_and_the_job_page_with_its_timelapse_and_first_layer(make_user, login_in_browser):
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from equipment.models import Job
    from equipment.tests.factories import MachineFactory
    from workshop.models import Camera, Snapshot
    from workshop.services.timelapse import render_timelapse

    from .camera_server import CameraServer, frame
    from .factories import running_job

    operator = make_user("operator")
    with CameraServer(fps=5) as cam:
        machine = MachineFactory(name="Printer cam")
        live = Camera.objects.create(machine=machine, name="Top", mjpeg_url=cam.mjpeg_url)
        still = Camera.objects.create(machine=machine, name="Side")
        job = running_job(machine, operator)
        start = timezone.now() - timedelta(minutes=3)
        for n in range(5):
            Snapshot.objects.create(camera=still, job=job, at=start + timedelta(seconds=n * 10), first_layer=n == 2,
                                    image=SimpleUploadedFile(f"{n}.jpg", frame(n * 30), content_type="image/jpeg"))
        page = login_in_browser(operator)
        page.set_viewport_size({"width": 390, "height": 844})
        errors = _watch_console(page)
        page.goto(f"/workshop/cameras/machines/{machine.pk}/")
        page.wait_for_function("document.querySelector('img[data-live]').naturalWidth > 0")
        assert cam.streams >= 1, "the browser's stream came through the site from the camera"
        assert page.locator(f"figure[data-camera='{still.pk}'] img[data-latest]").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.goto("about:blank")  # ends the live stream before the camera goes
        Job.objects.filter(pk=job.pk).update(status=Job.Status.COMPLETED, finished_at=timezone.now())
        render_timelapse(job)
        page.goto(f"/workshop/cameras/jobs/{job.pk}/")
        page.wait_for_function("document.querySelector('[data-first-layer] img').naturalWidth > 0")
        page.wait_for_function("document.querySelector('[data-timelapse] video').readyState >= 1")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert errors == []
    assert live.snapshots.count() == 0
