"""Team pages: my teams, start one, and a team's members, roles, invitations and workload."""
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.pages import viewer_required
from core.parsing import as_id

from . import queries, services
from .models import TeamMembership
from .services.teams import may_edit_team


def _team(request, pk):
    team = queries.visible_teams(request.user).filter(pk=as_id(pk)).first()
    if team is None:
        raise Http404("No such team.")
    return team


@viewer_required
@require_http_methods(["GET", "POST"])
def team_list(request):
    """The teams I am in (operators: all), with a form to start one."""
    error = ""
    if request.method == "POST":
        try:
            team = services.create_team(request.user, name=request.POST.get("name", ""),
                                        description=request.POST.get("description", ""))
        except DomainError as exc:
            error = exc.detail
        else:
            return redirect("projects:team", team.pk)
    teams = queries.visible_teams(request.user).order_by("name")
    return render(request, "projects/teams.html", {"teams": teams, "error": error}, status=400 if error else 200)


def team_context(request, team, errors=None) -> dict:
    return {
        "team": team, "errors": errors or {}, "may_edit": may_edit_team(request.user, team),
        "members": queries.team_workload(team),
        "invitations": team.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).order_by(
            "-created_at")[:50],
        "roles": TeamMembership.Role.choices, "projects": team.projects.order_by("name"),
    }


@viewer_required
def team_page(request, pk):
    """One team: members with their role and workload; leads add, change and invite here."""
    team = _team(request, pk)
    return render(request, "projects/team.html", team_context(request, team))


@viewer_required
@require_POST
def team_action(request, pk, what):
    """The team page's forms post here; a refusal is shown beside the form that asked."""
    team = _team(request, pk)
    try:
        message = _act(request, team, what)
    except DomainError as exc:
        return render(request, "projects/team.html", team_context(request, team, {what: exc.detail}),
                      status=exc.status_code)
    messages.success(request, message)
    return redirect("projects:team", team.pk)


def _person(request, field="user"):
    value = request.POST.get(field, "").strip()
    users = get_user_model().objects
    person = users.filter(pk=as_id(value)).first() if as_id(value) else users.filter(username=value).first()
    if person is None:
        raise DomainError("There is nobody with that username.")
    return person


def _act(request, team, what) -> str:
    user = request.user
    if what == "add":
        person = _person(request)
        services.add_team_member(user, team, person, request.POST.get("role", "member"))
        return f"{person} joined the team."
    if what == "role":
        person = _person(request)
        services.change_team_role(user, team, person, request.POST.get("role", ""))
        return f"{person} is now {request.POST.get('role')}."
    if what == "remove":
        person = _person(request)
        services.remove_team_member(user, team, person)
        return f"{person} left the team."
    if what == "invite":
        invitation, _ = services.invite(user, team, email=request.POST.get("email", ""),
                                        role=request.POST.get("role", "member"))
        return f"Invitation emailed to {invitation.email}."
    raise Http404("No such action.")
