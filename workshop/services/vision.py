"""Cameras: snapshots fetched or uploaded and kept per job, a stall check from frame differences, pruning.

A stall is a machine that says it is printing while its camera sees nothing change: every
snapshot over the last ``WORKSHOP_STALL_MINUTES`` differs from the one before by less than
``WORKSHOP_STALL_CHANGE`` (mean pixel difference, 0–1). It raises a warning safety event
through equipment's service (once while it stays open).
"""
import io
from datetime import timedelta

import httpx
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageChops, ImageStat, UnidentifiedImageError

from accounts.roles import OPERATOR, require_role
from core import audit
from core.errors import Conflict, RuleViolation
from equipment import states
from equipment.models import Job, SafetyEvent
from equipment.services import raise_safety_event, require_driver

from ..models import Camera, Snapshot

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


def _store(camera: Camera, data: bytes, suffix: str, at=None) -> Snapshot:
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


def fetch_snapshot(camera: Camera, at=None) -> Snapshot:
    """GET one image from the camera's snapshot URL and keep it (the periodic task and 'take one now')."""
    if not camera.snapshot_url:
        raise Conflict(f"{camera.name} has no snapshot URL; upload images instead.", code="no_url")
    try:
        response = httpx.get(camera.snapshot_url, timeout=settings.WORKSHOP_CAMERA_TIMEOUT_SECONDS)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise Conflict(f"{camera.name} did not give a snapshot: {exc}", code="camera_down") from exc
    return _store(camera, response.content, _checked_image(response.content), at)


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


def watch_cameras(now=None) -> int:
    """Snapshot every enabled camera whose machine runs a job, then check for a stall; snapshots taken."""
    taken = 0
    cameras = Camera.objects.filter(enabled=True).exclude(snapshot_url="").select_related("machine").filter(
        machine__jobs__status=Job.Status.RUNNING).distinct()
    for camera in cameras:
        try:
            fetch_snapshot(camera, at=now)
            taken += 1
        except Conflict:
            continue  # a camera that does not answer this time is tried again next time
        check_stall(camera, now)
    return taken


@transaction.atomic
def save_camera(actor, camera: Camera | None = None, **fields) -> Camera:
    """Add or change a machine's camera (operators)."""
    require_role(actor, OPERATOR, "set up cameras")
    camera = Camera.objects.select_for_update().get(pk=camera.pk) if camera and camera.pk else Camera()
    for name, value in fields.items():
        if name not in ("machine", "name", "snapshot_url", "enabled"):
            raise RuleViolation(f"Unknown camera field {name!r}.")
        setattr(camera, name, value)
    if camera.snapshot_url and not camera.snapshot_url.startswith(("http://", "https://")):
        raise RuleViolation("snapshot_url must start with http:// or https://.", fields={"snapshot_url": ["bad"]})
    if Camera.objects.filter(machine_id=camera.machine_id, name=camera.name).exclude(pk=camera.pk).exists():
        raise Conflict(f"This machine already has a camera named {camera.name!r}.", fields={"name": ["taken"]})
    camera.full_clean(validate_unique=False, validate_constraints=False)
    camera.save()
    audit.record(actor, "camera.save", camera, {name: [None, str(value)] for name, value in fields.items()})
    return camera


def prune_snapshots(days: int | None = None) -> int:
    """Delete snapshots (and their files) older than ``WORKSHOP_SNAPSHOT_KEEP_DAYS``; the number removed."""
    cutoff = timezone.now() - timedelta(days=days if days is not None else settings.WORKSHOP_SNAPSHOT_KEEP_DAYS)
    removed = 0
    for snapshot in Snapshot.objects.filter(at__lt=cutoff).iterator():
        snapshot.image.delete(save=False)
        snapshot.delete()
        removed += 1
    return removed
