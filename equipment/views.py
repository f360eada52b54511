"""Staff pages: the machine list (live states) and the machine page (live chart, job queue, controls).

Every form posts to a view that calls the same service as the API; a refusal is shown
in place on the re-rendered page, with the refusal's status code.
"""
from datetime import timedelta

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import MEMBER, OPERATOR, has_role
from core.errors import DomainError, RuleViolation
from core.events import latest_position
from core.pages import role_required

from . import services, states
from .api.views import machine_queryset
from .forms import CommandForm, UploadForm
from .models import Job, Machine, SafetyEvent

member_required = role_required(MEMBER)


@member_required
@require_GET
def machines(request):
    """Every machine with its state, updated live from the ``equipment`` topic."""
    live_after = latest_position("equipment")  # before the states are read (see latest_position)
    return render(request, "equipment/machines.html", {
        "machines": list(machine_queryset().order_by("name")),
        "is_operator": has_role(request.user, OPERATOR),
        "live_after": live_after,
        "open_events": SafetyEvent.objects.exclude(status=SafetyEvent.Status.RESOLVED).select_related("machine")[:20],
    })


def _page(request, machine: Machine, error: str = "", status: int = 200):
    # The live feed's starting point first, then the machine as of now (see latest_position).
    live_after = latest_position(f"machine:{machine.pk}")
    machine.refresh_from_db()
    since = timezone.now() - timedelta(minutes=10)
    chart = [{"at": s["at"].isoformat(), "hotend": (s.get("hotend") or {}).get("actual"),
              "bed": (s.get("bed") or {}).get("actual")} for s in services.series(machine, since, None)][-300:]
    jobs = list(machine.jobs.select_related("user", "task").filter(status__in=Job.OPEN).order_by("position", "id"))
    recent = list(machine.jobs.select_related("user", "task", "worklog").exclude(status__in=Job.OPEN)
                  .order_by("-finished_at")[:10])
    _mark_visible_tasks(request.user, jobs + recent)
    return render(request, "equipment/machine.html", {
        "machine": machine,
        "jobs": jobs,
        "recent": recent,
        "may_drive": not services.refusal(request.user, machine),
        "refusal": services.refusal(request.user, machine),
        "is_operator": has_role(request.user, OPERATOR),
        "online": machine.state in states.ONLINE,
        "chart": chart,
        "error": error,
        "upload_form": UploadForm(user=request.user),
        "command_form": CommandForm(),
        "live_after": live_after,
        "safety": machine.safety_events.exclude(status=SafetyEvent.Status.RESOLVED)[:10],
    }, status=status)


def _mark_visible_tasks(user, jobs) -> None:
    """Set ``task_shown`` on jobs whose task the viewer may see: others show only that a task is linked."""
    from projects.queries import visible_projects  # read only: whose project titles this viewer may read

    project_ids = {job.task.project_id for job in jobs if job.task_id}
    seen = set(visible_projects(user).filter(pk__in=project_ids).values_list("pk", flat=True)) if project_ids else set()
    for job in jobs:
        job.task_shown = job.task if job.task_id and job.task.project_id in seen else None


@member_required
@require_GET
def machine(request, pk: int):
    """One machine: live telemetry chart, job queue and the controls the user may use."""
    return _page(request, get_object_or_404(Machine, pk=pk))


def _after(request, machine: Machine, call):
    try:
        call()
    except DomainError as exc:
        return _page(request, Machine.objects.get(pk=machine.pk), exc.detail, exc.status_code)
    return redirect("equipment:machine", pk=machine.pk)


@member_required
@require_POST
def machine_action(request, pk: int, verb: str):
    """Connect, disconnect, a command, or an emergency stop, from the machine page."""
    machine = get_object_or_404(Machine, pk=pk)
    user = request.user

    def call():
        if verb == "connect":
            services.connect_machine(user, machine)
        elif verb == "disconnect":
            services.disconnect_machine(user, machine)
        elif verb == "stop":
            services.emergency_stop(user, machine)
        elif verb == "command":
            form = CommandForm(request.POST)
            if not form.is_valid():
                raise RuleViolation("; ".join(f"{k}: {v[0]}" for k, v in form.errors.items()))
            data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            services.send_command(user, machine, data.pop("command"), **data)
        else:
            raise RuleViolation(f"Unknown action {verb!r}.")

    return _after(request, machine, call)


@member_required
@require_POST
def upload(request, pk: int):
    """Upload a G-code file into the machine's queue."""
    machine = get_object_or_404(Machine, pk=pk)
    form = UploadForm(request.POST, request.FILES, user=request.user)

    def call():
        if not form.is_valid():
            if "task" in form.errors:
                raise RuleViolation("The task must be chosen from the list.", fields={"task": form.errors["task"]})
            raise RuleViolation("Choose a G-code file to upload.")
        services.upload_job(request.user, machine, form.cleaned_data["file"], task=form.cleaned_data.get("task"))

    return _after(request, machine, call)


JOB_VERBS = {"start": services.start_job, "pause": services.pause_job, "resume": services.resume_job,
             "cancel": services.cancel_job}


@member_required
@require_POST
def job_action(request, pk: int, verb: str):
    """Start, pause, resume or cancel a job from the machine page."""
    job = get_object_or_404(Job.objects.select_related("machine"), pk=pk)

    def call():
        if verb not in JOB_VERBS:
            raise RuleViolation(f"Unknown job action {verb!r}.")
        JOB_VERBS[verb](request.user, job)

    return _after(request, job.machine, call)


@member_required
@require_POST
def stop_all(request):
    """Stop every machine (operators); refusals show on the list."""
    try:
        services.emergency_stop_all(request.user)
    except DomainError as exc:
        return render(request, "equipment/machines.html", {
            "machines": machine_queryset().order_by("name"), "error": exc.detail,
            "is_operator": has_role(request.user, OPERATOR)}, status=exc.status_code)
    return redirect("equipment:machines")
