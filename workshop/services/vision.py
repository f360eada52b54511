"""Cameras: snapshots fetched (a snapshot URL or one frame of an MJPEG stream) or uploaded and kept per job,
the first-layer snapshot, a stall check from frame differences, pruning.

The gateway takes the snapshots while a job prints (``workshop.capture``), through ``capture``.

A stall is a machine that says it is printing while its camera sees nothing change: every
snapshot over the last ``WORKSHOP_STALL_MINUTES`` differs from the one before by less than
``WORKSHOP_STALL_CHANGE`` (mean pixel difference, 0–1). It raises a warning safety event
through equipment's service (once while it stays open).
"""
import io
from datetime import timedelta
from functools import lru_cache

import httpx
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageChops, ImageStat, UnidentifiedImageError

from accounts.roles import OPERATOR, require_role
from core import audit
from core.errors import Conflict, RuleViolation
from equipment import gcode, states
from equipment.models import Job, SafetyEvent
from equipment.services import raise_safety_event, require_driver

from ..mjpeg import FrameReader, StreamError, boundary_of
from ..models import Camera, Snapshot, Timelapse

FORMATS = {"JPEG": ".jpg", "PNG": ".png"}
COMPARE_SIZE = (64, 48)  # small and grey: noise and compression artefacts average out


def _checked_image(data: bytes) -> str:
    """The file suffix of a JPEG or PNG; RuleViolation for anything else."""
    limit = settings.WORKSHOP_SNAPSHOT_MAX_MB * 1024 * 1024
    if len(data) > limit:
        raise RuleViolation(f"A snapshot may be at most {settings.WORKSHOP_SNAPSHOT_MAX_MB} MB.",
                            fields={"file": ["too large"]})
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise RuleViolation("The snapshot is not a readable image.", fields={"file": ["not an image"]}) from exc
    if kind not in FORMATS:
        raise RuleViolation("Snapshots are JPEG or PNG.", fields={"file": [f"{kind} is not taken"]})
    return FORMATS[kind]


def difference(a: bytes, b: bytes) -> float:
    """Mean absolute difference of two images, grey and shrunk, 0 (same) to 1."""
    with Image.open(io.BytesIO(a)) as first, Image.open(io.BytesIO(b)) as second:
        small_a = first.convert("L").resize(COMPARE_SIZE)
        small_b = second.convert("L").resize(COMPARE_SIZE)
    return round(ImageStat.Stat(ImageChops.difference(small_a, small_b)).mean[0] / 255, 4)


def _store(camera: Camera, data: bytes, suffix: str, at=None, job: Job | None = None) -> Snapshot:
    if job is None:
        job = Job.objects.filter(machine_id=camera.machine_id, status__in=Job.ACTIVE).first()
    previous = camera.snapshots.order_by("-at", "-id").first()
    change = None
    if previous is not None:
        try:
            with previous.image.open("rb") as file:
                change = difference(file.read(), data)
        except (OSError, ValueError):
            change = None  # the previous file is gone (pruned); this one starts a new chain
    snapshot = Snapshot(camera=camera, job=job, at=at or timezone.now(), change=change)
    snapshot.image.save(f"snapshot{suffix}", ContentFile(data), save=False)
    snapshot.save()
    return snapshot


def read_mjpeg_frame(url: str, timeout: float | None = None) -> bytes:
    """Open an MJPEG stream, read its first whole JPEG (by Content-Length or boundary) and close it."""
    timeout = timeout or settings.WORKSHOP_CAMERA_TIMEOUT_SECONDS
    with httpx.stream("GET", url, timeout=timeout) as response:
        response.raise_for_status()
        boundary = boundary_of(response.headers.get("content-type", ""))
        reader = FrameReader(response.iter_bytes(), boundary,
                             max_bytes=settings.WORKSHOP_SNAPSHOT_MAX_MB * 1024 * 1024)
        return reader.next_frame()


def grab_frame(camera: Camera) -> bytes:
    """One image from the camera: a GET of its snapshot URL, else one frame of its MJPEG stream."""
    if not camera.snapshot_url and not camera.mjpeg_url:
        raise Conflict(f"{camera.name} has no snapshot or MJPEG URL; upload images instead.", code="no_url")
    try:
        if camera.snapshot_url:
            response = httpx.get(camera.snapshot_url, timeout=settings.WORKSHOP_CAMERA_TIMEOUT_SECONDS)
            response.raise_for_status()
            return response.content
        return read_mjpeg_frame(camera.mjpeg_url)
    except (httpx.HTTPError, StreamError) as exc:
        raise Conflict(f"{camera.name} did not give a snapshot: {exc}", code="camera_down") from exc


def fetch_snapshot(camera: Camera, at=None, job: Job | None = None) -> Snapshot:
    """Take one image from the camera and keep it ('take one now' and the gateway's capture)."""
    data = grab_frame(camera)
    return _store(camera, data, _checked_image(data), at, job)


def _numbers(words: list[str]) -> dict[str, float]:
    found = {}
    for word in words[1:]:
        try:
            found[word[0].upper()] = float(word[1:])
        except (ValueError, IndexError):
            continue
    return found


def first_layer_end(lines: list[str]) -> int | None:
    """How many lines of a job lie before its second layer: the Z rise after the first extrusion.

    A rise that comes back down before extruding again is a Z hop, not a layer change. None
    when the file never leaves its first layer (or never extrudes).
    """
    z = layer_z = rise = None
    relative_e, last_e = False, 0.0
    for index, line in enumerate(lines):
        words = line.split()
        code = words[0].upper()
        if code in ("M82", "M83"):
            relative_e = code == "M83"
            continue
        if code == "G92":
            last_e = _numbers(words).get("E", last_e)
            continue
        if code not in ("G0", "G1"):
            continue
        params = _numbers(words)
        if "Z" in params:
            z = params["Z"]
            if layer_z is not None:
                rise = (index if rise is None else rise) if z > layer_z + 1e-6 else None
        e = params.get("E")
        if e is not None:
            pushed = e > 0 if relative_e else e > last_e
            last_e = last_e if relative_e else e
            if pushed and ("X" in params or "Y" in params):
                if layer_z is None:
                    layer_z = z if z is not None else 0.0
                elif rise is not None:
                    return rise  # extruding on the higher Z: the first layer ended where Z rose
    return None


@lru_cache(maxsize=64)
def _first_layer_end_of(job_id: int, file_name: str) -> int | None:
    # A job's file never changes once uploaded, so each is read once per process.
    job = Job.objects.get(pk=job_id)
    with job.file.open("rb") as handle:
        return first_layer_end(gcode.command_lines(handle.read().decode("utf-8", "replace")))


def first_layer_done(job: Job) -> bool:
    """Whether the machine has acknowledged every line of the job's first layer."""
    try:
        end = _first_layer_end_of(job.pk, job.file.name)
    except (OSError, ValueError):
        return False  # the file is gone: no first-layer snapshot rather than a failed capture
    return end is not None and job.lines_acked >= end


def capture(camera: Camera, job: Job, at=None) -> Snapshot:
    """The gateway's snapshot of a printing job: kept for the job, the first one past the first layer marked,
    then the stall check."""
    snapshot = fetch_snapshot(camera, at=at, job=job)
    job.refresh_from_db(fields=["lines_acked", "status"])
    if first_layer_done(job) and not Snapshot.objects.filter(camera=camera, job=job, first_layer=True).exists():
        snapshot.first_layer = True
        snapshot.save(update_fields=["first_layer"])
    check_stall(camera, at)
    return snapshot


def take_snapshot(actor, camera: Camera) -> Snapshot:
    """Take a snapshot now (anyone who may drive the machine)."""
    require_driver(actor, camera.machine)
    return fetch_snapshot(camera)


def upload_snapshot(actor, camera: Camera, upload) -> Snapshot:
    """Keep an uploaded image as the camera's next snapshot (anyone who may drive the machine)."""
    require_driver(actor, camera.machine)
    if upload is None:
        raise RuleViolation("Attach the image as the multipart field 'file'.", fields={"file": ["required"]})
    data = upload.read()
    return _store(camera, data, _checked_image(data))


@transaction.atomic
def check_stall(camera: Camera, now=None) -> SafetyEvent | None:
    """Raise a stall warning when the machine prints but its camera saw no change for the stall window."""
    machine = camera.machine
    if machine.state != states.PRINTING:
        return None
    now = now or timezone.now()
    window = timedelta(minutes=settings.WORKSHOP_STALL_MINUTES)
    recent = list(camera.snapshots.filter(at__gte=now - window).order_by("at").values_list("at", "change"))
    older = camera.snapshots.filter(at__lt=now - window).exists()
    if not older or len(recent) < 2 or any(change is None for _, change in recent):
        return None  # not watched for the whole window yet
    if max(change for _, change in recent) >= settings.WORKSHOP_STALL_CHANGE:
        return None
    return raise_safety_event(machine, SafetyEvent.Level.WARNING, "camera_stall",
                              f"{camera.name} saw no change for {settings.WORKSHOP_STALL_MINUTES} minutes "
                              f"while {machine.name} is printing.", {"camera": camera.pk})


@transaction.atomic
def save_camera(actor, camera: Camera | None = None, **fields) -> Camera:
    """Add or change a machine's camera (operators)."""
    require_role(actor, OPERATOR, "set up cameras")
    camera = Camera.objects.select_for_update().get(pk=camera.pk) if camera and camera.pk else Camera()
    for name, value in fields.items():
        if name not in ("machine", "name", "snapshot_url", "mjpeg_url", "enabled"):
            raise RuleViolation(f"Unknown camera field {name!r}.")
        setattr(camera, name, value)
    for name in ("snapshot_url", "mjpeg_url"):
        if getattr(camera, name) and not getattr(camera, name).startswith(("http://", "https://")):
            raise RuleViolation(f"{name} must start with http:// or https://.", fields={name: ["bad"]})
    if Camera.objects.filter(machine_id=camera.machine_id, name=camera.name).exclude(pk=camera.pk).exists():
        raise Conflict(f"This machine already has a camera named {camera.name!r}.", fields={"name": ["taken"]})
    camera.full_clean(validate_unique=False, validate_constraints=False)
    camera.save()
    audit.record(actor, "camera.save", camera, {name: [None, str(value)] for name, value in fields.items()})
    return camera


def prune_snapshots(days: int | None = None) -> int:
    """Delete snapshots and timelapses (and their files) older than ``WORKSHOP_SNAPSHOT_KEEP_DAYS``;
    the number of rows removed."""
    cutoff = timezone.now() - timedelta(days=days if days is not None else settings.WORKSHOP_SNAPSHOT_KEEP_DAYS)
    removed = 0
    for snapshot in Snapshot.objects.filter(at__lt=cutoff).iterator():
        snapshot.image.delete(save=False)
        snapshot.delete()
        removed += 1
    for timelapse in Timelapse.objects.filter(rendered_at__lt=cutoff).iterator():
        timelapse.video.delete(save=False)
        timelapse.delete()
        removed += 1
    return removed
