"""List endpoints of projects for the query-count table (see core.testing.ListCase)."""
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.testing import ListCase
from inventory.tests.factories import AssetFactory
from projects.models import FileVersion, Invitation, Project, ProjectFile, Task, TaskComment, TaskLink, Team, WorkLog

from .factories import (
    BomLineFactory,
    FileVersionFactory,
    ProjectFactory,
    ProjectFileFactory,
    ShareLinkFactory,
    TaskFactory,
    TeamFactory,
    TeamMembershipFactory,
)


def _listed_project(user):
    """The user's own project the project-scoped lists read."""
    return Project.objects.filter(name="Listed").first() or ProjectFactory(name="Listed", owner=user)


def _listed_task(user):
    project = _listed_project(user)
    return project.tasks.filter(title="Listed").first() or TaskFactory(project=project, title="Listed")


def _listed_file(user):
    project = _listed_project(user)
    return (ProjectFile.objects.filter(project=project, name="listed.txt").first()
            or ProjectFileFactory(project=project, name="listed.txt"))


def _listed_team(user):
    team = Team.objects.filter(name="Listed").first()
    if team is None:
        team = TeamFactory(name="Listed")
        TeamMembershipFactory(team=team, user=user, role="lead")
    return team


def _project_with_an_open_task(user):
    project = ProjectFactory(owner=user, team=TeamFactory(), tags=["laser", "jig"], due_date=date(2031, 5, 1))
    TaskFactory(project=project)
    return project


def _task(user):
    project = _listed_project(user)
    parent = project.tasks.filter(title="Parent").first() or TaskFactory(project=project, title="Parent",
                                                                        position=1000)
    task = TaskFactory(project=project, position=project.tasks.count(), parent=parent, tags=["cut"],
                       assignee=UserFactory(display_name="" if project.tasks.count() % 2 else "Ada L."),
                       estimated_hours=Decimal("1.50"), due_date=date(2031, 1, 2))
    TaskComment.objects.create(task=task, author=user, body="On it.")
    return task


def _my_task(user):
    return TaskFactory(project=ProjectFactory(owner=user), assignee=user, status=Task.Status.IN_PROGRESS,
                       due_date=timezone.localdate() + timedelta(days=3))


def _comment(user):
    author = None if TaskComment.objects.count() % 2 else user  # a comment of someone since removed, too
    return TaskComment.objects.create(task=_listed_task(user), author=author, body="Cut the second sheet first.")


def _worklog(user):
    return WorkLog.objects.create(task=_listed_task(user), user=user, hours=Decimal("0.75"), note="jig",
                                  date=date(2030, 3, 4))


def _link(user):
    return TaskLink.objects.create(task=_listed_task(user), asset=AssetFactory(), created_by=user)


def _file_with_two_versions(user):
    document = ProjectFileFactory(project=_listed_project(user), folder="drawings")
    FileVersionFactory(file=document, number=1, is_current=False)
    return FileVersionFactory(file=document, number=2, is_current=True, uploaded_by=None)


def _version(user):
    document = _listed_file(user)
    return FileVersionFactory(file=document, number=FileVersion.objects.filter(file=document).count() + 1,
                              is_current=False)


def _invitation(user):
    return Invitation.objects.create(team=_listed_team(user), email=f"guest{Invitation.objects.count()}@example.org",
                                     invited_by=user, expires_at=timezone.now() + timedelta(days=3))


def task_comments(user):
    return f"/api/projects/projects/{_listed_project(user).pk}/tasks/{_listed_task(user).pk}/comments/"


def task_worklogs(user):
    return f"/api/projects/projects/{_listed_project(user).pk}/tasks/{_listed_task(user).pk}/worklogs/"


def task_links(user):
    return f"/api/projects/projects/{_listed_project(user).pk}/tasks/{_listed_task(user).pk}/links/"


def file_versions(user):
    return f"/api/projects/projects/{_listed_project(user).pk}/files/{_listed_file(user).pk}/versions/"


def file_shares(user):
    return f"/api/projects/projects/{_listed_project(user).pk}/files/{_listed_file(user).pk}/share/"


def team_members(user):
    return f"/api/projects/teams/{_listed_team(user).pk}/members/"


LISTS = [
    ListCase("/api/projects/projects/", _project_with_an_open_task, name="projects"),
    ListCase(lambda user: f"/api/projects/projects/{_listed_project(user).pk}/tasks/", _task, name="tasks"),
    ListCase("/api/projects/my-tasks/", _my_task, name="my_tasks"),
    ListCase(task_comments, _comment),
    ListCase(task_worklogs, _worklog),
    ListCase(task_links, _link),
    ListCase(lambda user: f"/api/projects/projects/{_listed_project(user).pk}/bom/",
             lambda user: BomLineFactory(project=_listed_project(user), required_quantity=Decimal("2.500")),
             name="bom"),
    ListCase(lambda user: f"/api/projects/projects/{_listed_project(user).pk}/files/", _file_with_two_versions,
             name="files"),
    ListCase(file_versions, _version),
    ListCase(file_shares, lambda user: ShareLinkFactory(file=_listed_file(user), created_by=user)),
    ListCase("/api/projects/teams/", lambda user: TeamMembershipFactory(user=user).team, name="teams"),
    ListCase(team_members, lambda user: TeamMembershipFactory(team=_listed_team(user))),
    ListCase("/api/projects/invitations/", _invitation, name="invitations"),
]
