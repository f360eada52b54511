"""Teams: people who work on projects together, and invitations to join one."""
from django.conf import settings
from django.db import models

from core.models import PublicIdModel, TimeStampedModel


class Team(PublicIdModel):
    """A group of people; a project shared with a team is seen by all its members."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class TeamMembership(TimeStampedModel):
    """One person in one team, with their role there (leads and admins edit the member list)."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        LEAD = "lead", "Lead"
        ADMIN = "admin", "Admin"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["team_id", "user__username"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="projects_team_member_once")]

    def __str__(self):
        return f"{self.user} in {self.team} ({self.role})"


class Invitation(TimeStampedModel):
    """An emailed invitation to join a team; the link carries a signed token that expires."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=TeamMembership.Role.choices, default=TeamMembership.Role.MEMBER)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.email} to {self.team}"
