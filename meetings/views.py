"""Staff pages: meeting list, the meeting page (live transcription, transcript, review), search, analytics."""
import os
import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import MEMBER, has_role
from core.errors import DomainError
from core.models import Event
from core.pages import viewer_required

from . import charts, queries, services
from .access import visible_meetings
from .forms import CommentForm, ItemReviewForm, MeetingForm, UploadForm
from .models import ActionItem, Meeting, Recording

AUDIO_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg", "m4a": "audio/mp4", "ogg": "audio/ogg", "webm": "audio/webm"}
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@viewer_required
@require_GET
def meeting_list(request):
    """Meetings you may see, newest first, with the form that records a new one."""
    rows = visible_meetings(request.user).prefetch_related("attendees")
    kind = request.GET.get("kind")
    if kind in Meeting.Kind.values:
        rows = rows.filter(kind=kind)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "meetings/list.html", {
        "page": page, "form": MeetingForm(), "kinds": Meeting.Kind.choices, "kind": kind,
        "may_create": has_role(request.user, MEMBER)})


@viewer_required
@require_POST
def meeting_create(request):
    """Record a new meeting from the list page's form."""
    form = MeetingForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            meeting = services.create_meeting(request.user, **form.service_fields())
        except DomainError as exc:
            error = exc.detail
        else:
            return redirect("meetings:detail", meeting.pk)
    rows = visible_meetings(request.user).prefetch_related("attendees")
    return render(request, "meetings/list.html", {
        "page": Paginator(rows, 25).get_page(1), "form": form, "error": error, "kinds": Meeting.Kind.choices,
        "may_create": True}, status=400)


def _detail(request, pk, *, status=200, error="", error_at="", **forms):
    try:
        meeting = services.meeting_for(request.user, pk)
    except DomainError as exc:
        raise Http404(exc.detail) from exc
    recordings = list(meeting.recordings.all())
    items = list(queries.with_task_status(meeting.action_items.select_related("owner_user")).order_by("start", "id"))
    proposed = [(item, ItemReviewForm(initial={"task": item.task, "owner_name": item.owner_label, "due": item.due,
                                               "priority": item.priority}, prefix=f"item{item.pk}"))
                for item in items if item.status == ActionItem.Status.PROPOSED]
    attendees = list(meeting.attendees.all())
    edit = forms.get("edit_form") or MeetingForm(initial={
        "title": meeting.title, "kind": meeting.kind, "starts_at": meeting.starts_at,
        "duration_minutes": meeting.duration_minutes, "agenda": meeting.agenda, "notes": meeting.notes,
        "attendees": "\n".join(a.user.username if a.user_id else (f"{a.name} <{a.email}>" if a.email else a.name)
                               for a in attendees)})
    last_event = Event.objects.filter(topic=f"meeting:{meeting.pk}", position__isnull=False).order_by(
        "-position").values_list("position", flat=True).first()
    return render(request, "meetings/detail.html", {
        "meeting": meeting, "attendees": attendees, "recordings": recordings,
        "audio": next((r for r in recordings if r.status == Recording.Status.DONE), None),
        "segments": services.transcript_segments(meeting),
        "proposed": proposed, "items": [i for i in items if i.status != ActionItem.Status.PROPOSED],
        "comments": list(meeting.comments.select_related("author")),
        "may_edit": services.may_edit(request.user, meeting), "edit_form": edit,
        "upload_form": forms.get("upload_form") or UploadForm(), "comment_form": CommentForm(),
        "statuses": Meeting.Status.choices, "error": error, "error_at": error_at, "last_event": last_event or 0,
    }, status=status)


@viewer_required
@require_GET
def meeting_detail(request, pk):
    """The meeting page: minutes, recordings with live progress, transcript, items to review, comments."""
    return _detail(request, pk)


def _refused(request, pk, exc: DomainError, where: str, **forms):
    status = 404 if exc.status_code == 404 else exc.status_code
    if status == 404:
        raise Http404(exc.detail)
    return _detail(request, pk, status=status, error=exc.detail, error_at=where, **forms)


@viewer_required
@require_POST
def meeting_edit(request, pk):
    """Save the edit form (a new version each time)."""
    form = MeetingForm(request.POST)
    if not form.is_valid():
        return _detail(request, pk, status=400, error="Check the fields marked below.", error_at="edit",
                       edit_form=form)
    try:
        services.update_meeting(request.user, pk, **form.service_fields())
    except DomainError as exc:
        return _refused(request, pk, exc, "edit", edit_form=form)
    messages.success(request, "Meeting saved.")
    return redirect("meetings:detail", pk)


@viewer_required
@require_POST
def meeting_status(request, pk):
    """Publish, archive, return to draft, delete or restore."""
    wanted = request.POST.get("status", "")
    try:
        if wanted == "deleted":
            services.delete_meeting(request.user, pk)
            messages.success(request, "Meeting deleted; an operator or its editors can restore it.")
            return redirect("meetings:list")
        if wanted == "restored":
            services.restore_meeting(request.user, pk)
        else:
            services.set_meeting_status(request.user, pk, wanted)
    except DomainError as exc:
        return _refused(request, pk, exc, "status")
    return redirect("meetings:detail", pk)


@viewer_required
@require_POST
def upload(request, pk):
    """Upload a recording; it is transcribed and analyzed in the background."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, pk, status=400, error="Choose an audio file to upload.", error_at="upload",
                       upload_form=form)
    try:
        services.upload_recording(request.user, pk, form.cleaned_data["file"])
    except DomainError as exc:
        return _refused(request, pk, exc, "upload", upload_form=form)
    return redirect(reverse("meetings:detail", args=[pk]) + "#recordings")


@viewer_required
@require_POST
def transcribe(request, pk):
    """Transcribe a recording again."""
    recording = Recording.objects.filter(pk=pk, meeting__in=visible_meetings(request.user)).first()
    if recording is None:
        raise Http404("No such recording.")
    try:
        services.start_transcription(request.user, recording.pk)
    except DomainError as exc:
        return _refused(request, recording.meeting_id, exc, "recordings")
    return redirect(reverse("meetings:detail", args=[recording.meeting_id]) + "#recordings")


@viewer_required
@require_POST
def analyze(request, pk):
    """Analyze the meeting again."""
    try:
        services.start_analysis(request.user, pk)
    except DomainError as exc:
        return _refused(request, pk, exc, "analysis")
    return redirect(reverse("meetings:detail", args=[pk]) + "#minutes")


@viewer_required
@require_POST
def comment(request, pk):
    """Comment on the meeting or reply to a comment."""
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _detail(request, pk, status=400, error="Write something to comment.", error_at="comments")
    try:
        services.add_comment(request.user, pk, body=form.cleaned_data["body"], parent=form.cleaned_data["parent"])
    except DomainError as exc:
        return _refused(request, pk, exc, "comments")
    return redirect(reverse("meetings:detail", args=[pk]) + "#comments")


def _item(request, pk) -> ActionItem:
    try:
        return services.item_for(request.user, pk)
    except DomainError as exc:
        raise Http404(exc.detail) from exc


@viewer_required
@require_POST
def item_accept(request, pk):
    """Accept a proposed action item with the edits made in its review form."""
    item = _item(request, pk)
    form = ItemReviewForm(request.POST, prefix=f"item{item.pk}")
    if not form.is_valid():
        return _detail(request, item.meeting_id, status=400, error="Check the item's task and due date.",
                       error_at=f"item{item.pk}")
    edits = dict(form.cleaned_data)
    if edits["owner_name"] == item.owner_label:
        edits.pop("owner_name")
    try:
        services.accept_item(request.user, item.pk, **edits)
    except DomainError as exc:
        return _refused(request, item.meeting_id, exc, f"item{item.pk}")
    return redirect(reverse("meetings:detail", args=[item.meeting_id]) + "#items")


@viewer_required
@require_POST
def item_status(request, pk):
    """Drop, complete or reopen an action item."""
    item = _item(request, pk)
    try:
        services.set_item_status(request.user, item.pk, request.POST.get("status", ""))
    except DomainError as exc:
        return _refused(request, item.meeting_id, exc, "items")
    return redirect(reverse("meetings:detail", args=[item.meeting_id]) + "#items")


@viewer_required
@require_POST
def item_task(request, pk):
    """Turn an open action item into a task of the meeting's project."""
    item = _item(request, pk)
    try:
        services.convert_to_task(request.user, item.pk)
    except DomainError as exc:
        return _refused(request, item.meeting_id, exc, "items")
    return redirect(reverse("meetings:detail", args=[item.meeting_id]) + "#items")


@viewer_required
@require_GET
def audio(request, pk):
    """A recording's audio for the page's player, to those who may see the meeting; byte ranges for seeking."""
    recording = Recording.objects.filter(pk=pk, meeting__in=visible_meetings(request.user)).first()
    if recording is None or not recording.file or not os.path.exists(recording.file.path):
        raise Http404("No such recording.")
    content_type = AUDIO_TYPES.get(recording.audio_format, "application/octet-stream")
    size = os.path.getsize(recording.file.path)
    wanted = RANGE.match(request.headers.get("Range", ""))
    if not wanted or (not wanted[1] and not wanted[2]):
        response = FileResponse(open(recording.file.path, "rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    first = int(wanted[1]) if wanted[1] else max(size - int(wanted[2]), 0)
    last = min(int(wanted[2]), size - 1) if wanted[1] and wanted[2] else size - 1
    if first >= size or first > last:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    with open(recording.file.path, "rb") as handle:
        handle.seek(first)
        body = handle.read(last - first + 1)
    response = HttpResponse(body, status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response


@viewer_required
@require_GET
def search(request):
    """Search meetings by words in their title, agenda, notes and transcript."""
    text = request.GET.get("q", "").strip()
    results, error = [], ""
    if text:
        try:
            results = services.search_meetings(request.user, text)
        except DomainError as exc:
            error = exc.detail
    return render(request, "meetings/search.html", {"q": text, "results": results, "error": error},
                  status=400 if error else 200)


@viewer_required
@require_GET
def analytics(request):
    """Meetings per week, action items by status, completion, overdue and time to close, as charts."""
    figures = queries.analytics(request.user)
    return render(request, "meetings/analytics.html", {
        "figures": figures,
        "weeks_chart": charts.bars([(row["week"][5:], row["count"]) for row in figures["meetings_per_week"]],
                                   title="Meetings per week"),
        "status_chart": charts.bars(list(figures["action_items_by_status"].items()), title="Action items by status"),
        "overdue": queries.overdue(queries.visible_items(request.user)).select_related("meeting")[:20],
    })
