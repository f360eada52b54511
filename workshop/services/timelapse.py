"""Timelapses: a finished job's snapshots from each camera rendered as one video.

ffmpeg renders an MP4 (H.264) where it is installed; without it, or when it fails, Pillow
writes an animated GIF of the same frames. Frames are scaled to the first one's size (even
sides, as H.264 wants), so a camera that changed resolution mid-job still renders.
"""
import io
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from core import audit
from core.errors import Conflict, NotFound, RuleViolation
from equipment.models import Job
from equipment.services import require_driver

from ..models import Camera, Snapshot, Timelapse

log = logging.getLogger(__name__)
RENDERERS = ("ffmpeg", "pillow")


def _frames(snapshots) -> list[Image.Image]:
    frames, size = [], None
    for snapshot in snapshots:
        try:
            with snapshot.image.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as image:
                picture = image.convert("RGB")
        except (OSError, ValueError):
            continue  # a pruned or unreadable file: the timelapse skips that moment
        if size is None:
            width, height = picture.size
            size = (max(2, width - width % 2), max(2, height - height % 2))
        frames.append(picture if picture.size == size else picture.resize(size))
    return frames


def with_ffmpeg(frames: list[Image.Image], fps: float) -> bytes:
    """An MP4 of the frames (raises OSError or CalledProcessError when ffmpeg cannot)."""
    binary = shutil.which("ffmpeg")
    if binary is None:
        raise OSError("ffmpeg is not installed")
    with tempfile.TemporaryDirectory() as folder:
        for index, picture in enumerate(frames):
            picture.save(Path(folder) / f"frame{index:05d}.jpg", "JPEG", quality=90)
        out = Path(folder) / "timelapse.mp4"
        subprocess.run([binary, "-y", "-loglevel", "error", "-framerate", str(fps), "-i",
                        str(Path(folder) / "frame%05d.jpg"), "-c:v", "libx264", "-pix_fmt", "yuv420p",
                        "-movflags", "+faststart", str(out)], check=True, capture_output=True, timeout=300)
        return out.read_bytes()


def with_pillow(frames: list[Image.Image], fps: float) -> bytes:
    """An animated GIF of the frames, looping."""
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=max(20, round(1000 / fps)),
                   loop=0)
    return out.getvalue()


def _render(frames, renderer: str) -> tuple[bytes, str, str]:
    fps = settings.WORKSHOP_TIMELAPSE_FPS
    if renderer == "ffmpeg":
        try:
            return with_ffmpeg(frames, fps), "ffmpeg", ".mp4"
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("ffmpeg could not render a timelapse (%s); writing an animated GIF instead", exc)
    return with_pillow(frames, fps), "pillow", ".gif"


def _job(job: Job | int) -> Job:
    job_id = job.pk if isinstance(job, Job) else job
    found = Job.objects.filter(pk=job_id).select_related("machine").first()
    if found is None:
        raise NotFound(f"There is no job {job_id}.")
    return found


def render_timelapse(job: Job | int, renderer: str = "ffmpeg") -> list[Timelapse]:
    """Render each camera's snapshots of an ended job into its timelapse (again, replacing an older one).

    The task queued when the gateway sees a job end, ``manage.py render_timelapse`` and the
    job page's button all come here.
    """
    job = _job(job)
    if job.status in Job.OPEN:
        raise Conflict(f"Job {job.pk} is still {job.status}; its timelapse is rendered when it ends.",
                       code="job_open")
    if renderer not in RENDERERS:
        raise RuleViolation(f"renderer must be one of {', '.join(RENDERERS)}.", fields={"renderer": list(RENDERERS)})
    cameras = Camera.objects.filter(pk__in=Snapshot.objects.filter(job=job).values("camera"))
    made = []
    for camera in cameras:
        frames = _frames(Snapshot.objects.filter(job=job, camera=camera).order_by("at", "id"))
        if not frames:
            continue
        data, used, suffix = _render(frames, renderer)
        with transaction.atomic():
            timelapse = Timelapse.objects.select_for_update().filter(camera=camera, job=job).first() or \
                Timelapse(camera=camera, job=job)
            old = timelapse.video.name if timelapse.pk else ""
            timelapse.frames, timelapse.renderer, timelapse.rendered_at = len(frames), used, timezone.now()
            timelapse.video.save(f"timelapse{suffix}", ContentFile(data), save=False)
            timelapse.save()
            if old and old != timelapse.video.name:
                timelapse.video.storage.delete(old)
        made.append(timelapse)
    if not made:
        raise Conflict(f"Job {job.pk} has no snapshots to make a timelapse of.", code="no_snapshots")
    return made


def request_timelapse(actor, job: Job | int) -> list[Timelapse]:
    """Render a job's timelapse now (anyone who may drive the machine), from the job page or the API."""
    job = _job(job)
    require_driver(actor, job.machine)
    made = render_timelapse(job)
    for timelapse in made:
        audit.record(actor, "timelapse.render", timelapse, {"frames": [None, timelapse.frames]})
    return made
