"""The kanban board page and the task page (comments, work, links with live booking status)."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError
from core.pages import viewer_required
from core.parsing import as_id

from . import forms, queries, services
from .models import Task
from .views import live_after, visible_project


def board_context(project) -> dict:
    """The five columns with their cards in order (two queries)."""
    tasks = Task.objects.filter(project=project).select_related("assignee").order_by("position")
    columns = {status: [] for status in Task.Status.values}
    for task in tasks:
        columns[task.status].append(task)
    return {"project": project, "columns": [
        {"status": status, "label": label, "tasks": columns[status]} for status, label in Task.Status.choices]}


@viewer_required
@require_http_methods(["GET", "POST"])
def board(request, pk):
    """The board: drag cards between and within columns; a form adds a task; others' moves arrive live."""
    project = visible_project(request, pk)
    people = queries.project_people(project)
    form, error = forms.TaskForm(request.POST or None, people=people), ""
    if request.method == "POST":
        if form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            try:
                services.create_task(request.user, project, **fields)
            except DomainError as exc:
                error = exc.detail
            else:
                return redirect("projects:kanban", project.pk)
        else:
            error = "Check the task's fields: " + "; ".join(f"{k}: {v[0]}" for k, v in form.errors.items())
    topic = f"project:{project.pk}"
    newest = live_after(topic)  # before the board is read (see core.events.latest_position)
    context = board_context(project)
    context.update(form=form, error=error, topic=topic, live_after=newest,
                   move_url=reverse("projects-api:task-list", args=[project.pk]))
    return render(request, "projects/board.html", context, status=400 if error else 200)


@viewer_required
@require_GET
def columns(request, pk):
    """Only the columns, for the board to swap in after someone else's change."""
    return render(request, "projects/_columns.html", board_context(visible_project(request, pk)))


def _task(project, task_id) -> Task:
    task = Task.objects.filter(project=project, pk=as_id(task_id)).select_related("assignee", "parent").first()
    if task is None:
        raise Http404("No such task.")
    return task


def task_context(project, task, errors=None) -> dict:
    links = list(task.links.select_related("booking__device", "asset"))
    devices = sorted({link.booking.device_id for link in links if link.booking_id})
    newest = live_after(f"project:{project.pk}", *devices)  # before the rest is read
    task.refresh_from_db()
    return {
        "project": project, "task": task, "errors": errors or {},
        "comments": task.comments.select_related("author"), "worklogs": task.worklogs.select_related("user")[:100],
        "subtasks": task.subtasks.order_by("status", "position"), "links": links,
        "comment_form": forms.CommentForm(), "worklog_form": forms.WorkLogForm(), "link_form": forms.LinkForm(),
        "edit_form": forms.TaskEditForm(people=queries.project_people(project), initial={
            "title": task.title, "priority": task.priority, "assignee": task.assignee_id, "due_date": task.due_date,
            "estimated_hours": task.estimated_hours}),
        "topics": ",".join([f"project:{project.pk}", *(f"device:{pk}" for pk in devices)]),
        "statuses": Task.Status.choices, "live_after": newest,
        "machine_jobs": task.machine_jobs.select_related("machine", "user", "worklog").order_by("-created_at")[:50],
    }


@viewer_required
@require_GET
def task_page(request, pk, task_id):
    """One task: details, subtasks, comments, worklogs, and its bookings with their live status."""
    project = visible_project(request, pk)
    return render(request, "projects/task.html", task_context(project, _task(project, task_id)))


@viewer_required
@require_POST
def task_action(request, pk, task_id, what):
    """The task page's forms post here; a refusal is shown beside the form that asked."""
    project = visible_project(request, pk)
    task = _task(project, task_id)
    try:
        message = _act(request, task, what)
    except DomainError as exc:
        return render(request, "projects/task.html", task_context(project, task, {what: exc.detail}),
                      status=exc.status_code)
    messages.success(request, message)
    if what == "delete":
        return redirect("projects:kanban", project.pk)
    return redirect("projects:task", project.pk, task.pk)


def _form(form_class, request):
    form = form_class(request.POST)
    if not form.is_valid():
        raise DomainError("Check the form: " + "; ".join(f"{k}: {v[0]}" for k, v in form.errors.items()))
    return form.cleaned_data


def _act(request, task, what) -> str:
    user = request.user
    if what == "comment":
        services.add_comment(user, task, _form(forms.CommentForm, request)["body"])
        return "Comment added."
    if what == "worklog":
        data = _form(forms.WorkLogForm, request)
        services.log_work(user, task, hours=data["hours"], note=data["note"], date=data["date"])
        return "Work logged."
    if what == "link":
        data = _form(forms.LinkForm, request)
        services.link_task(user, task, booking=data["booking"], asset=data["asset"])
        return "Linked."
    if what == "edit":
        form = forms.TaskEditForm(request.POST, people=queries.project_people(task.project))
        if not form.is_valid():
            raise DomainError("Check the task's fields: " + "; ".join(f"{k}: {v[0]}" for k, v in form.errors.items()))
        services.update_task(user, task, **form.cleaned_data)
        return "Task saved."
    if what == "status":
        services.move_task(user, task, request.POST.get("status", ""), 10**6)
        return "Moved."
    if what == "delete":
        services.delete_task(user, task)
        return "Task deleted."
    raise Http404("No such action.")
