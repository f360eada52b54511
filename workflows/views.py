"""Staff pages: the run timeline, a run with its log tail, the agent board and the suggestion inbox.

Every page opens with what is stored and follows its topics over ``/ws/`` from the newest
event it already shows (``live_after``), so nothing is polled and nothing is missed.
"""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import MEMBER, OPERATOR, has_role
from core.errors import DomainError
from core.events import latest_position
from core.pages import role_required, viewer_required

from . import services
from .forms import AgentForm, CommentForm, DecisionForm, StartForm
from .models import Agent, LogLine, Run, Suggestion

TAIL = 200


def _live(request, topics: list[str]) -> dict:
    """Template context for live parts: the topics and the newest stored event position among them."""
    newest = latest_position(*topics)
    # Live rows format times in the same zone as the server-rendered ones (the user's, else the site's).
    return {"live_topics": ",".join(topics), "live_after": newest,
            "zone_name": timezone.get_current_timezone_name()}


def _page(request, template, context, topics, status=200):
    # A view that read rows already took the live position first; the others' querysets are read
    # while the template renders, after this (see core.events.latest_position).
    for key, value in _live(request, topics).items():
        context.setdefault(key, value)
    context.update(is_member=has_role(request.user, MEMBER), is_operator=has_role(request.user, OPERATOR))
    return render(request, template, context, status=status)


@viewer_required
def timeline(request, form=None, error=""):
    """The one timeline: workflow runs and other apps' activities, newest first, updated live."""
    runs = Run.objects.select_related("workflow", "started_by")[:50]
    form = form or StartForm()
    return _page(request, "workflows/timeline.html", {"runs": runs, "form": form, "error": error},
                 ["workflows"], status=400 if error else 200)


@role_required(MEMBER)
@require_POST
def start(request):
    """Start a run from the timeline's form; a refusal is shown in place."""
    form = StartForm(request.POST)
    if not form.is_valid():
        return timeline(request, form=form, error="Choose a workflow to start.")
    try:
        run = services.start_workflow(request.user, form.cleaned_data["workflow"])
    except DomainError as exc:
        return timeline(request, form=form, error=exc.detail)
    return redirect("workflows:run", run_id=run.pk)


def _run_context(run_id):
    run = get_object_or_404(Run.objects.select_related("workflow", "started_by"), pk=run_id)
    tasks = list(run.tasks.select_related("agent").order_by("position"))
    lines = list(LogLine.objects.filter(task__run=run).select_related("task").order_by("-id")[:TAIL])[::-1]
    comments = run.comments.select_related("author", "agent")
    return {"run": run, "tasks": tasks, "lines": lines, "comments": comments, "comment_form": CommentForm()}


@viewer_required
def run_page(request, run_id, error="", status=200):
    """One run: its steps, the live log tail, comments, and cancel / pause / resume / retry."""
    live = _live(request, [f"run:{run_id}"])  # before the run is read
    context = {**_run_context(run_id), **live}
    context["error"] = error
    return _page(request, "workflows/run.html", context, [f"run:{run_id}"], status=status)


RUN_ACTIONS = {"cancel": services.cancel_run, "pause": services.pause_run, "resume": services.resume_run,
               "retry": services.retry_run}


@role_required(MEMBER)
@require_POST
def run_action(request, run_id, verb):
    """Cancel, pause, resume or retry a run, or comment on it; a refusal is shown on the run page."""
    run = get_object_or_404(Run, pk=run_id)
    try:
        if verb == "comment":
            form = CommentForm(request.POST)
            if not form.is_valid():
                return run_page(request, run_id, error="Write a comment first.", status=400)
            services.comment_on_run(request.user, run, body=form.cleaned_data["body"])
        elif verb in RUN_ACTIONS:
            RUN_ACTIONS[verb](request.user, run)
        else:
            raise Http404("No such action.")
    except DomainError as exc:
        return run_page(request, run_id, error=exc.detail, status=exc.status_code)
    return redirect("workflows:run", run_id=run_id)


@viewer_required
def agent_board(request, form=None, error="", new_key=None, status=200):
    """Every agent's status, capabilities, last heartbeat and success rate, updated live."""
    agents = Agent.objects.select_related("api_key")
    if request.method == "POST":
        if not has_role(request.user, OPERATOR):
            error, status = "Only an operator or above may create agents.", 403
        else:
            form = AgentForm(request.POST)
            if form.is_valid():
                try:
                    agent, secret = services.create_agent(request.user, **form.cleaned_data)
                    new_key, form = {"agent": agent, "secret": secret}, None
                except DomainError as exc:
                    error, status = exc.detail, exc.status_code
            else:
                error, status = "Check the fields below.", 400
    context = {"agents": agents, "form": form or AgentForm(), "error": error, "new_key": new_key}
    return _page(request, "workflows/agents.html", context, ["agents"], status=status)


@role_required(OPERATOR)
@require_POST
def rotate_key(request, agent_id):
    """Give an agent a new key, shown once on the board; the old one stops working at once."""
    agent = get_object_or_404(Agent, pk=agent_id)
    try:
        agent, secret = services.rotate_agent_key(request.user, agent)
    except DomainError as exc:
        return agent_board(request, error=exc.detail, status=exc.status_code)
    request.method = "GET"
    return agent_board(request, new_key={"agent": agent, "secret": secret})


@viewer_required
def inbox(request, error="", status=200):
    """Agents' suggestions: pending ones with approve and reject forms, then the decided ones."""
    suggestions = Suggestion.objects.select_related("agent", "workflow", "run", "decided_by", "started_run")
    context = {"pending": suggestions.filter(state=Suggestion.State.PENDING),
               "decided": suggestions.exclude(state=Suggestion.State.PENDING)[:50],
               "form": DecisionForm(), "error": error}
    return _page(request, "workflows/suggestions.html", context, ["workflows"], status=status)


@role_required(OPERATOR)
@require_POST
def decide(request, suggestion_id, verb):
    """Approve or reject a pending suggestion; a refusal (already decided) is shown in the inbox."""
    suggestion = get_object_or_404(Suggestion, pk=suggestion_id)
    if verb not in ("approve", "reject"):
        raise Http404("No such decision.")
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    service = services.approve_suggestion if verb == "approve" else services.reject_suggestion
    try:
        suggestion = service(request.user, suggestion, note=note)
    except DomainError as exc:
        return inbox(request, error=exc.detail, status=exc.status_code)
    messages.success(request, f"Suggestion {verb}d" + (f"; run #{suggestion.started_run_id} started."
                                                        if suggestion.started_run_id else "."))
    return redirect(reverse("workflows:suggestions"))


