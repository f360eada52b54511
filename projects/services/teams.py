"""Teams: create, change members and their roles, invite by email, accept an invitation."""
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import MEMBER, OPERATOR, VIEWER, has_role, require_role
from core import audit, events
from core.errors import Conflict, NotFound, PermissionDenied, RuleViolation, check_fields

from .. import events as types
from ..models import Invitation, Team, TeamMembership

INVITATION_SALT = "projects.invitation"
ROLES = TeamMembership.Role


def team_topics(team) -> list[str]:
    """A team's events go to ``team:<id>``."""
    return [f"team:{team.pk}"]


def _lock_team(actor, team) -> Team:
    from ..queries import visible_teams

    pk = team.pk if isinstance(team, Team) else team
    locked = visible_teams(actor).select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound(f"There is no team {pk}.")
    return locked


def may_edit_team(actor, team: Team) -> bool:
    """A team's leads and admins, and operators, edit its members."""
    return has_role(actor, OPERATOR) or (has_role(actor, MEMBER) and TeamMembership.objects.filter(
        team=team, user=actor, role__in=[ROLES.LEAD, ROLES.ADMIN]).exists())


def _require_editor(actor, team: Team, doing: str) -> None:
    if not may_edit_team(actor, team):
        raise PermissionDenied(f"Only a lead or admin of team '{team}' (or an operator) may {doing}.")


def _role(role) -> str:
    if role not in ROLES.values:
        raise RuleViolation(f"role must be one of {', '.join(ROLES.values)}.", fields={"role": ["Unknown role."]})
    return role


def _changed(actor, team: Team, what: str, changes: dict) -> None:
    audit.record(actor, f"team.{what}", team, changes)
    events.publish(team_topics(team), types.TEAM_CHANGED, {"team": team.pk, "name": team.name, "change": what})


@transaction.atomic
def create_team(actor, *, name: str, description: str = "") -> Team:
    """Start a team (members and above); its creator becomes its lead."""
    require_role(actor, MEMBER, "create teams")
    name = (name or "").strip()
    if not name:
        raise RuleViolation("Give the team a name.", fields={"name": ["Required."]})
    if Team.objects.filter(name__iexact=name).exists():
        raise Conflict(f"A team called '{name}' exists already.", fields={"name": ["Taken."]})
    team = Team(name=name, description=description or "", created_by=actor)
    check_fields(team)
    team.save()
    TeamMembership.objects.create(team=team, user=actor, role=ROLES.LEAD)
    audit.record(actor, "team.create", team, {"name": [None, name], "lead": [None, actor.get_username()]})
    events.publish(team_topics(team), types.TEAM_CHANGED, {"team": team.pk, "name": team.name, "change": "create"})
    return team


@transaction.atomic
def update_team(actor, team: Team, **fields) -> Team:
    """Rename a team or change its description (its leads and admins, operators)."""
    team = _lock_team(actor, team)
    _require_editor(actor, team, "change the team")
    unknown = set(fields) - {"name", "description"}
    if unknown:
        raise RuleViolation(f"Unknown team field(s): {', '.join(sorted(unknown))}.")
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            raise RuleViolation("Give the team a name.", fields={"name": ["Required."]})
        if Team.objects.filter(name__iexact=fields["name"]).exclude(pk=team.pk).exists():
            raise Conflict(f"A team called '{fields['name']}' exists already.", fields={"name": ["Taken."]})
    before = audit.snapshot(team, fields)
    for name, value in fields.items():
        setattr(team, name, value)
    check_fields(team)
    team.save()
    changes = audit.diff(before, team)
    if changes:
        _changed(actor, team, "update", changes)
    return team


@transaction.atomic
def add_team_member(actor, team: Team, user, role: str = ROLES.MEMBER) -> TeamMembership:
    """Put a person in a team with a role (leads, admins, operators)."""
    team = _lock_team(actor, team)
    _require_editor(actor, team, "add members")
    _role(role)
    if TeamMembership.objects.filter(team=team, user=user).exists():
        raise Conflict(f"{user} is in team '{team}' already.", fields={"user": ["Already a member."]})
    membership = TeamMembership.objects.create(team=team, user=user, role=role)
    _changed(actor, team, "add_member", {"member": [None, user.get_username()], "role": [None, role]})
    return membership


@transaction.atomic
def change_team_role(actor, team: Team, user, role: str) -> TeamMembership:
    """Make a member a lead, an admin or a plain member; a team always keeps one lead or admin."""
    team = _lock_team(actor, team)
    _require_editor(actor, team, "change roles")
    _role(role)
    membership = TeamMembership.objects.select_for_update().filter(team=team, user=user).first()
    if membership is None:
        raise NotFound(f"{user} is not in team '{team}'.")
    old = membership.role
    if old != role and role == ROLES.MEMBER:
        _keep_a_lead(team, membership)
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    if old != role:
        _changed(actor, team, "change_role", {"member": [user.get_username(), user.get_username()],
                                              "role": [old, role]})
    return membership


@transaction.atomic
def remove_team_member(actor, team: Team, user) -> None:
    """Take a person out of a team (leads, admins, operators; anyone may leave on their own)."""
    team = _lock_team(actor, team)
    if user.pk != actor.pk:
        _require_editor(actor, team, "remove members")
    membership = TeamMembership.objects.filter(team=team, user=user).first()
    if membership is None:
        raise NotFound(f"{user} is not in team '{team}'.")
    _keep_a_lead(team, membership)
    membership.delete()
    _changed(actor, team, "remove_member", {"member": [user.get_username(), None]})


def _keep_a_lead(team: Team, leaving: TeamMembership) -> None:
    if leaving.role == ROLES.MEMBER:
        return
    others = TeamMembership.objects.filter(team=team, role__in=[ROLES.LEAD, ROLES.ADMIN]).exclude(pk=leaving.pk)
    if not others.exists():
        raise Conflict(f"{leaving.user} is the last lead of team '{team}': make someone else lead first.",
                       code="last_lead")


# --- invitations -------------------------------------------------------------------------------

def invitation_token(invitation: Invitation) -> str:
    """The signed token an invitation link carries (it names the invitation; expiry is checked too)."""
    return signing.dumps({"invitation": invitation.pk, "email": invitation.email.lower()}, salt=INVITATION_SALT)


@transaction.atomic
def invite(actor, team: Team, *, email: str, role: str = ROLES.MEMBER) -> tuple[Invitation, str]:
    """Email someone a link to join a team; answers the invitation and its token (leads, operators)."""
    team = _lock_team(actor, team)
    _require_editor(actor, team, "invite people")
    _role(role)
    email = (email or "").strip()
    invitation = Invitation(team=team, email=email, role=role, invited_by=actor,
                            expires_at=timezone.now() + timedelta(hours=settings.PROJECTS_INVITATION_HOURS))
    check_fields(invitation, exclude=["team", "invited_by", "accepted_by"])
    if TeamMembership.objects.filter(team=team, user__email__iexact=email).exists():
        raise Conflict(f"{email} is in team '{team}' already.", fields={"email": ["Already a member."]})
    invitation.save()
    token = invitation_token(invitation)
    link = settings.SITE_URL.rstrip("/") + reverse("projects:accept-invitation", args=[token])
    transaction.on_commit(lambda: send_mail(
        f"Join team {team.name} on Benchtop",
        f"{actor} invited you to team {team.name} as {role}.\n\nOpen this link to join (valid until "
        f"{timezone.localtime(invitation.expires_at):%Y-%m-%d %H:%M %Z}):\n{link}\n",
        None, [email], fail_silently=True))
    audit.record(actor, "team.invite", team, {"invited": [None, email], "role": [None, role]})
    events.publish(team_topics(team), types.INVITATION_SENT, {"team": team.pk, "invitation": invitation.pk})
    return invitation, token


@transaction.atomic
def revoke_invitation(actor, invitation: Invitation) -> Invitation:
    """Withdraw an invitation that has not been accepted yet (the team's leads, operators)."""
    team = _lock_team(actor, invitation.team_id)
    _require_editor(actor, team, "withdraw invitations")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise Conflict(f"{invitation.email} accepted already; remove them from the team instead.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        audit.record(actor, "team.revoke_invitation", team, {"invited": [invitation.email, None]})
        events.publish(team_topics(team), types.INVITATION_REVOKED, {"team": team.pk, "invitation": invitation.pk})
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The invitation a token names; NotFound when it was tampered with, used, revoked or expired."""
    try:
        payload = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        raise NotFound("This invitation link is not valid; ask for a new one.")
    invitation = Invitation.objects.select_related("team").filter(pk=payload.get("invitation")).first()
    if invitation is None or invitation.revoked_at or invitation.accepted_at:
        raise NotFound("This invitation was used or withdrawn; ask for a new one.")
    if invitation.expires_at <= timezone.now():
        raise NotFound("This invitation has expired; ask for a new one.", code="expired")
    return invitation


@transaction.atomic
def accept_invitation(actor, token: str) -> TeamMembership:
    """Join the team an invitation names; the logged-in user's email must be the one invited."""
    require_role(actor, VIEWER, "accept invitations")
    invitation = invitation_from_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise NotFound("This invitation was used already.")
    if (actor.email or "").lower() != invitation.email.lower():
        raise PermissionDenied(f"This invitation is for {invitation.email}; log in as that person to accept it.")
    membership, created = TeamMembership.objects.get_or_create(team=invitation.team, user=actor,
                                                               defaults={"role": invitation.role})
    invitation.accepted_at, invitation.accepted_by = timezone.now(), actor
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit.record(actor, "team.accept_invitation", invitation.team, {"member": [None, actor.get_username()]})
    events.publish(team_topics(invitation.team), types.INVITATION_ACCEPTED,
                   {"team": invitation.team_id, "user": actor.pk})
    return membership

