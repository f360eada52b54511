"""Reads of the camera pages and the job view: a job's snapshots, first-layer frames and timelapses."""
from equipment.models import Job

from .models import Camera, Snapshot, Timelapse


def job_vision(job: Job) -> dict:
    """What the cameras kept of one job: per camera its first-layer and latest snapshot, and the timelapses."""
    cameras = list(Camera.objects.filter(machine_id=job.machine_id).order_by("name"))
    snapshots = Snapshot.objects.filter(job=job)
    first = {s.camera_id: s for s in snapshots.filter(first_layer=True).order_by("at")}
    latest = {camera.pk: snapshots.filter(camera=camera).order_by("-at", "-id").first() for camera in cameras}
    timelapses = {t.camera_id: t for t in Timelapse.objects.filter(job=job)}
    return {
        "job": job,
        "snapshots": snapshots.count(),
        "cameras": [{"camera": camera, "first_layer": first.get(camera.pk), "latest": latest.get(camera.pk),
                     "timelapse": timelapses.get(camera.pk)} for camera in cameras],
    }


def latest_snapshots(cameras) -> dict[int, Snapshot]:
    """Each camera's newest snapshot, by camera id."""
    found = {}
    for camera in cameras:
        snapshot = camera.snapshots.order_by("-at", "-id").first()
        if snapshot is not None:
            found[camera.pk] = snapshot
    return found
