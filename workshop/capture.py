"""Cameras watched by the gateway: while a machine's job is printing, each of its cameras is snapshotted every
``WORKSHOP_CAPTURE_SECONDS`` and checked for a stall; when the job ends its timelapse is queued.

It runs in the gateway's process (``manage.py run_gateway``), started and stopped by the
gateway's ``gateway_started`` / ``gateway_stopped`` signals. One lookout thread finds the
cameras to watch; each camera gets its own thread, so a slow or dead camera (bounded by
``WORKSHOP_CAMERA_TIMEOUT_SECONDS``) delays only its own snapshots, never the machines' links.
"""
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connections

from core.errors import DomainError
from equipment.models import Job

from .models import Camera
from .services.vision import capture

log = logging.getLogger(__name__)


class CameraWorker(threading.Thread):
    """Snapshots one camera for one job until the job stops running or the gateway stops."""

    def __init__(self, camera_id: int, job_id: int, every: float, halt: threading.Event):
        super().__init__(daemon=True, name=f"camera {camera_id}")
        self.camera_id, self.job_id, self.every, self.halt = camera_id, job_id, every, halt
        self.taken = self.failed = 0

    def run(self):
        used = False
        try:
            next_at = time.monotonic()
            while not self.halt.is_set():
                close_old_connections()
                used = True
                camera = Camera.objects.filter(pk=self.camera_id, enabled=True).select_related("machine").first()
                job = Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).first()
                if camera is None or job is None:
                    return  # the job ended (or paused) or the camera was switched off
                try:
                    capture(camera, job)
                    self.taken += 1
                except DomainError as exc:
                    self.failed += 1  # tried again next time; a camera that is down does not end the watch
                    log.info("camera %s: %s", self.camera_id, exc.detail)
                except Exception:  # noqa: BLE001 - one bad frame must not end the camera's watch
                    self.failed += 1
                    log.exception("camera %s: snapshot failed", self.camera_id)
                next_at += self.every
                self.halt.wait(max(0.0, next_at - time.monotonic()))
        finally:
            if used:  # a worker stopped before its first round opened no connection of its own
                connections.close_all()


class CameraCapture(threading.Thread):
    """The lookout: starts a worker per camera of every machine with a running job, queues timelapses."""

    def __init__(self, halt: threading.Event, *, every: float | None = None, look_every: float = 1.0):
        super().__init__(daemon=True, name="camera capture")
        self.halt = halt
        self.every = every if every is not None else settings.WORKSHOP_CAPTURE_SECONDS
        self.look_every = max(0.05, min(look_every, self.every)) if self.every > 0 else look_every
        self.workers: dict[tuple[int, int], CameraWorker] = {}
        self.watched_jobs: set[int] = set()

    def run(self):
        try:
            while not self.halt.is_set():
                close_old_connections()
                try:
                    self.look()
                except Exception:  # noqa: BLE001 - the lookout outlives a failed round
                    log.exception("camera capture round failed")
                self.halt.wait(self.look_every)
        finally:
            for worker in self.workers.values():
                worker.join(timeout=settings.WORKSHOP_CAMERA_TIMEOUT_SECONDS + 5)
            connections.close_all()

    def look(self) -> None:
        """Start watching new (camera, job) pairs; queue the timelapse of every watched job that ended."""
        running = dict(Job.objects.filter(status=Job.Status.RUNNING).values_list("machine_id", "pk"))
        pairs = [(camera_id, running[machine_id]) for camera_id, machine_id in Camera.objects.filter(
            enabled=True, machine_id__in=running).exclude(snapshot_url="", mjpeg_url="").values_list(
            "pk", "machine_id")]
        for camera_id, job_id in pairs:
            worker = self.workers.get((camera_id, job_id))
            if worker is None or not worker.is_alive():
                worker = CameraWorker(camera_id, job_id, self.every, self.halt)
                self.workers[(camera_id, job_id)] = worker
                self.watched_jobs.add(job_id)
                worker.start()
        self.workers = {key: worker for key, worker in self.workers.items() if worker.is_alive()}
        busy = {job_id for _, job_id in self.workers}
        for job_id, status in Job.objects.filter(pk__in=self.watched_jobs - busy).exclude(
                status__in=Job.OPEN).values_list("pk", "status"):
            # Rendered only once its cameras' threads have finished, so a snapshot in flight is in it.
            self.watched_jobs.discard(job_id)
            self.job_ended(job_id, status)

    def job_ended(self, job_id: int, status: str) -> None:
        # Imported here: the tasks module imports the services, which this module's importers load first.
        from .tasks import render_timelapse_task

        log.info("job %s is %s: rendering its timelapse", job_id, status)
        render_timelapse_task.delay(job_id)


RUNNING: dict[int, CameraCapture] = {}


def start_with_gateway(sender, gateway, **kwargs):
    """``gateway_started``: watch cameras beside the gateway (unless ``WORKSHOP_CAPTURE_SECONDS`` is 0)."""
    if settings.WORKSHOP_CAPTURE_SECONDS <= 0 or id(gateway) in RUNNING:
        return
    lookout = CameraCapture(gateway.halt)
    RUNNING[id(gateway)] = lookout
    lookout.start()


def stop_with_gateway(sender, gateway, **kwargs):
    """``gateway_stopped``: wait for the camera threads (they stop on the gateway's halt)."""
    lookout = RUNNING.pop(id(gateway), None)
    if lookout is not None:
        gateway.halt.set()
        lookout.join(timeout=settings.WORKSHOP_CAMERA_TIMEOUT_SECONDS + 10)
