"""Staff pages: project list, overview (stats, BOM, files, team), my tasks, invitations, previews."""
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError, NotFound
from core.pages import viewer_required
from core.parsing import as_id

from . import forms, queries, services
from .models import BomLine, FileVersion, ProjectFile, Task
from .services.files import IMAGE_TYPES, TEXT_TYPE, version_for
from .services.teams import invitation_from_token

PREVIEW_BYTES = 64 * 1024


def live_after(*topics) -> int:
    """The newest event position of ``topics`` (a device given by id): take it before reading what the page shows."""
    from core.events import latest_position

    return latest_position(*(t if isinstance(t, str) else f"device:{t}" for t in topics))


def visible_project(request, pk):
    """The project for a page, or 404 (the same whether it is missing or hidden from this user)."""
    try:
        return queries.get_project(request.user, pk)
    except NotFound:
        raise Http404("No such project.")


@viewer_required
@require_http_methods(["GET", "POST"])
def project_list(request):
    """Projects I can see, with a form to start one."""
    form, error = forms.ProjectForm(request.POST or None), ""
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(request.user, **{k: v for k, v in form.cleaned_data.items() if v})
        except DomainError as exc:
            error = exc.detail
        else:
            return redirect("projects:kanban", project.pk)
    projects = queries.visible_projects(request.user).select_related("owner", "team").annotate(
        open_tasks=queries.open_task_count()).order_by("status", "name")
    return render(request, "projects/list.html", {"projects": projects[:200], "form": form, "error": error},
                  status=400 if error else 200)


@viewer_required
@require_GET
def my_tasks(request):
    """Open tasks assigned to me across projects, soonest due first."""
    return render(request, "projects/my_tasks.html", {"tasks": queries.my_tasks(request.user)[:300]})


def overview_context(request, project, errors=None, forms_in=None) -> dict:
    """What the overview shows: stats, BOM requirements, files with their versions, people."""
    newest = live_after(f"project:{project.pk}")  # before anything shown is read (see core.events.latest_position)
    versions = FileVersion.objects.select_related("uploaded_by").order_by("-number")
    files = ProjectFile.objects.filter(project=project).prefetch_related(Prefetch("versions", queryset=versions))
    people = queries.project_people(project)
    forms_in = forms_in or {}
    stats = queries.project_stats(project)
    return {
        "project": project, "stats": stats, "requirements": queries.requirements(project),
        "files": files, "people": people, "errors": errors or {},
        "named_members": set(project.members.values_list("user_id", flat=True)),
        "status_counts": [(label, stats["tasks"][value]) for value, label in Task.Status.choices],
        "may_manage": services.common.may_manage(request.user, project) if request.user.is_authenticated else False,
        "upload_form": forms_in.get("upload") or forms.UploadForm(),
        "bom_form": forms_in.get("bom_add") or forms.BomLineForm(),
        "member_form": forms_in.get("member_add") or forms.MemberForm(),
        "edit_form": forms_in.get("edit") or forms.ProjectEditForm(initial={
            "name": project.name, "description": project.description, "status": project.status,
            "start_date": project.start_date, "due_date": project.due_date}),
        "bom_lines": {line.pk: line for line in BomLine.objects.filter(project=project)},
        "topic": f"project:{project.pk}", "live_after": newest,
    }


@viewer_required
@require_GET
def overview(request, pk):
    """One project: stats, BOM shortages, files with versions, team; forms for each."""
    project = visible_project(request, pk)
    return render(request, "projects/overview.html", overview_context(request, project))


def _quantity(request):
    form = forms.QuantityForm(request.POST)
    if not form.is_valid():
        raise DomainError("Give a quantity such as 2 or 0.5.")
    return form.cleaned_data["quantity"]


def _line(project, request) -> BomLine:
    line = BomLine.objects.filter(project=project, pk=as_id(request.POST.get("line"))).first()
    if line is None:
        raise DomainError("Choose a line of this project's BOM.")
    return line


@viewer_required
@require_POST
def project_action(request, pk, what):
    """Every overview form posts here; the service's refusal is shown beside the form that asked."""
    project = visible_project(request, pk)
    bound = {}
    try:
        done = _act(request, project, what, bound)
    except DomainError as exc:
        context = overview_context(request, project, errors={what: exc.detail}, forms_in=bound)
        return render(request, "projects/overview.html", context, status=exc.status_code)
    if isinstance(done, str):
        messages.success(request, done)
    target = done if not isinstance(done, str) else reverse("projects:project", args=[project.pk])
    return redirect(target)


def _act(request, project, what, bound):
    user = request.user
    if what == "upload":
        form = bound["upload"] = forms.UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            raise DomainError("Choose a file to upload.")
        data = form.cleaned_data
        version = services.upload_file(user, project, data["file"], folder=data["folder"],
                                       change_notes=data["change_notes"])
        return f"Uploaded {version.file.name} as version {version.number}."
    if what == "bom_add":
        form = bound["bom_add"] = forms.BomLineForm(request.POST)
        if not form.is_valid():
            raise DomainError("Choose a material and give the quantity needed.")
        services.add_bom_line(user, project, **form.cleaned_data)
        return "Added to the BOM."
    if what == "allocate":
        line = services.allocate_bom_line(user, _line(project, request), _quantity(request))
        return f"Allocated; {line.allocated_quantity.normalize()} now set aside."
    if what == "return":
        services.return_bom_line(user, _line(project, request), _quantity(request))
        return "Returned to stock."
    if what == "member_add":
        form = bound["member_add"] = forms.MemberForm(request.POST)
        person = get_user_model().objects.filter(username=request.POST.get("username", "").strip()).first()
        if person is None:
            raise DomainError("There is nobody with that username.")
        services.add_member(user, project, person)
        return f"{person} is on the project."
    if what == "member_remove":
        person = get_user_model().objects.filter(pk=as_id(request.POST.get("user"))).first()
        if person is None:
            raise DomainError("Choose someone on the project.")
        services.remove_member(user, project, person)
        return f"{person} is off the project."
    if what == "edit":
        form = bound["edit"] = forms.ProjectEditForm(request.POST)
        if not form.is_valid():
            raise DomainError("Check the fields: " + "; ".join(f"{k}: {v[0]}" for k, v in form.errors.items()))
        services.update_project(user, project, **form.cleaned_data)
        return "Project saved."
    if what == "archive":
        services.archive_project(user, project)
        return "Archived: nothing changes until it is restored."
    if what == "restore":
        services.restore_project(user, project)
        return "Restored."
    if what == "duplicate":
        copy = services.duplicate_project(user, project)
        return reverse("projects:project", args=[copy.pk])
    raise Http404("No such action.")


@viewer_required
@require_GET
def preview(request, pk, file_id):
    """An image shown in the page, or the start of a text file; other kinds offer the download."""
    project = visible_project(request, pk)
    document = ProjectFile.objects.filter(project=project, pk=as_id(file_id)).first()
    if document is None:
        raise Http404("No such file.")
    number = request.GET.get("version")
    try:
        version = version_for(project, document, as_id(number))
    except NotFound:
        raise Http404("No such version.")
    text = ""
    if version.content_type == TEXT_TYPE:
        with version.content.open("rb") as handle:
            text = handle.read(PREVIEW_BYTES).decode("utf-8", errors="replace")
    download = reverse("projects-api:file-download", args=[project.pk, document.pk]) + f"?version={version.number}"
    return render(request, "projects/preview.html", {
        "project": project, "document": document, "version": version, "text": text,
        "is_image": version.content_type in IMAGE_TYPES, "download": download,
        "truncated": version.size > PREVIEW_BYTES,
    })


@viewer_required
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    """The page an invitation email links to: shows the team and joins it on a click."""
    error = ""
    try:
        invitation = invitation_from_token(token)
    except NotFound as exc:
        return render(request, "projects/invitation.html", {"error": exc.detail}, status=404)
    if request.method == "POST":
        try:
            services.accept_invitation(request.user, token)
        except DomainError as exc:
            error = exc.detail
        else:
            messages.success(request, f"You are now in team {invitation.team}.")
            return redirect("projects:board")
    return render(request, "projects/invitation.html", {"invitation": invitation, "error": error},
                  status=403 if error else 200)
