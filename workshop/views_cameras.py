"""Camera pages: a machine's cameras live (the MJPEG stream relayed) or their latest snapshot, and a job's page
with its timelapse, its first-layer snapshot and its latest frames. Images are served to members only."""
import httpx
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import MEMBER, has_role
from core.errors import DomainError
from core.pages import role_required
from equipment.models import Job, Machine
from equipment.services import refusal

from .files import kept_file
from .mjpeg import StreamError, boundary_of
from .models import Camera, Snapshot, Timelapse
from .queries import job_vision, latest_snapshots
from .services.timelapse import request_timelapse
from .services.vision import take_snapshot

member_required = role_required(MEMBER)


def _machine_context(request, machine: Machine, **extra) -> dict:
    cameras = list(Camera.objects.filter(machine=machine))
    job = Job.objects.filter(machine=machine, status__in=Job.ACTIVE).first()
    recent = Job.objects.filter(machine=machine).exclude(status__in=Job.OPEN).order_by("-finished_at", "-id")[:10]
    latest = latest_snapshots(cameras)
    rows = [{"camera": camera, "latest": latest.get(camera.pk)} for camera in cameras]
    return {"machine": machine, "rows": rows, "job": job,
            "recent": recent, "may_drive": not refusal(request.user, machine), "error": "", "message": "", **extra}


@member_required
@require_http_methods(["GET", "POST"])
def machine_cameras(request, pk: int):
    """A machine's cameras: live where there is a stream, else the latest snapshot; 'take one now'."""
    machine = get_object_or_404(Machine, pk=pk)
    message, error, status = "", "", 200
    if request.method == "POST":
        camera = get_object_or_404(Camera, pk=request.POST.get("camera") or 0, machine=machine)
        try:
            take_snapshot(request.user, camera)
            message = f"{camera.name}: snapshot taken."
        except DomainError as exc:
            error, status = exc.detail, exc.status_code
    return render(request, "workshop/cameras.html", _machine_context(request, machine, message=message,
                                                                       error=error), status=status)


@member_required
@require_http_methods(["GET", "POST"])
def job_page(request, pk: int):
    """One job as the cameras saw it: the timelapse, the first-layer snapshot, the latest frame, live if it runs."""
    job = get_object_or_404(Job.objects.select_related("machine", "user"), pk=pk)
    message, error, status = "", "", 200
    if request.method == "POST":
        try:
            made = request_timelapse(request.user, job)
            message = f"Timelapse rendered ({sum(t.frames for t in made)} frames)."
        except DomainError as exc:
            error, status = exc.detail, exc.status_code
    context = {**job_vision(job), "message": message, "error": error,
               "running": job.status in Job.ACTIVE, "may_drive": not refusal(request.user, job.machine)}
    return render(request, "workshop/job.html", context, status=status)


@member_required
@require_GET
def snapshot_image(request, pk: int):
    """One snapshot's image."""
    snapshot = get_object_or_404(Snapshot, pk=pk)
    return kept_file(snapshot.image)


@member_required
@require_GET
def timelapse_video(request, pk: int):
    """One timelapse's video (MP4) or animated GIF."""
    timelapse = get_object_or_404(Timelapse, pk=pk)
    return kept_file(timelapse.video)


async def live(request, pk: int):
    """The camera's MJPEG stream relayed to a member's browser (the camera need not be reachable from it)."""
    user = await request.auser()
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not await sync_to_async(has_role)(user, MEMBER):
        return HttpResponse("This stream needs the member role or above.", status=403)
    camera = await Camera.objects.filter(pk=pk).afirst()
    if camera is None or not camera.mjpeg_url:
        raise Http404("This camera has no MJPEG stream.")
    client = httpx.AsyncClient(timeout=httpx.Timeout(settings.WORKSHOP_CAMERA_TIMEOUT_SECONDS, read=None))
    try:
        upstream = await client.send(client.build_request("GET", camera.mjpeg_url), stream=True)
        upstream.raise_for_status()
        content_type = upstream.headers.get("content-type", "")
        boundary_of(content_type)
    except (httpx.HTTPError, StreamError) as exc:
        await client.aclose()
        return HttpResponse(f"{camera.name} gives no stream: {exc}", status=502, content_type="text/plain")

    async def relay():
        try:
            async for chunk in upstream.aiter_raw():
                yield chunk
        finally:
            await upstream.aclose()
            await client.aclose()

    return StreamingHttpResponse(relay(), content_type=content_type, headers={"Cache-Control": "no-store"})
