"""Who sees a project: its owner, named members, its team, operators and admins; nobody else."""
import pytest

from projects import services
from projects.queries import visible_projects

from .factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


def test_owner_members_team_and_operators_see_a_project_and_others_do_not(make_user):
    owner, named, teammate, stranger = (make_user("member") for _ in range(4))
    operator, admin = make_user("operator"), make_user("admin")
    team = TeamFactory()
    TeamMembershipFactory(team=team, user=owner)
    TeamMembershipFactory(team=team, user=teammate)
    project = services.create_project(owner, name="Shared", team=team)
    services.add_member(owner, project, named)
    for user in (owner, named, teammate, operator, admin):
        assert list(visible_projects(user)) == [project], user
    assert list(visible_projects(stranger)) == []


def test_a_project_can_only_be_shared_with_ones_own_team(make_user):
    from core.errors import RuleViolation

    owner = make_user("member")
    with pytest.raises(RuleViolation, match="not in that team"):
        services.create_project(owner, name="X", team=TeamFactory())
