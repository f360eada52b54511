"""Access rows for the projects API (see core.testing).

Most rows act on a project the caller is not on: members and viewers get 404 (a project they
may not see does not exist for them), operators and admins reach it. ``own_*`` rows act on a
project the caller belongs to, where viewers read and members also write.
"""
from core.testing import Row

_last = {}


def _world(user, *, member=False, archived=False):
    """A project of someone else (with the caller on it when ``member``), a task, a BOM line with
    allocated stock, a file with a version and a share link; ids are kept in ``_last``."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.tests.factories import UserFactory
    from inventory import services as inventory
    from inventory.tests.factories import LocationFactory, MaterialFactory
    from projects import services

    owner = UserFactory(role="member")
    project = services.create_project(owner, name="Elsewhere")
    task = services.create_task(owner, project, title="Card")
    link_target = UserFactory(role="member")
    services.add_member(owner, project, link_target)
    if member and user is not None:
        services.add_member(owner, project, user)
    material, shelf = MaterialFactory(), LocationFactory(kind="shelf")
    inventory.receive_stock(UserFactory(role="operator"), material, "10", location=shelf)
    line = services.add_bom_line(owner, project, material=material, required_quantity="5")
    services.allocate_bom_line(owner, line, "2")
    version = services.upload_file(owner, project, SimpleUploadedFile("a.txt", b"hello"))
    share, token = services.share_file(owner, version.file)
    comment = services.add_comment(owner, task, "first")
    from inventory.tests.factories import AssetFactory

    link = services.link_task(owner, task, asset=AssetFactory())
    if archived:
        services.archive_project(owner, project)
    _last.update(project=project.pk, task=task.pk, line=line.pk, file=version.file_id, share=share.pk, token=token,
                 member=link_target.pk, material=MaterialFactory().pk, comment=comment.pk, link=link.pk)
    return project.pk


def url(path, **world):
    """A URL under ``/api/projects/projects/<id>/`` of a fresh world; ``{task}``-style names filled in."""
    def build(user):
        pk = _world(user, **world)
        return f"/api/projects/projects/{pk}/" + path.format(**_last)

    build.__name__ = f"{'own' if world.get('member') else 'other'}_{path or 'project'}"
    return build


def body(**values):
    """A body whose ``"{name}"`` values are filled from the world built for the URL."""
    def fill(value):
        if isinstance(value, list):
            return [fill(item) for item in value]
        return _last[value[1:-1]] if isinstance(value, str) and value.startswith("{") else value

    def build(user):
        return {key: fill(value) for key, value in values.items()}

    return build


def team_url(path=""):
    def build(user):
        from accounts.tests.factories import UserFactory
        from projects import services

        lead, other = UserFactory(role="member"), UserFactory(role="member")
        team = services.create_team(lead, name=f"Team of {lead.username}")
        services.add_team_member(lead, team, other)
        _last.update(team=team.pk, member=other.pk, lead=lead.pk)
        return f"/api/projects/teams/{team.pk}/" + path.format(**_last)

    build.__name__ = f"team_{path or 'detail'}"
    return build


def share_url(user):
    _world(user)
    return f"/api/projects/share/{_last['token']}/"


def invitation_body(user):
    team_url()(user)
    return {"team": _last["team"], "email": "new.person@example.org"}


def invitation_url(user):
    from projects import services
    from projects.models import Team

    team_url()(user)
    team = Team.objects.get(pk=_last["team"])
    invitation, _ = services.invite(team.memberships.get(role="lead").user, team, email="someone@example.org")
    return f"/api/projects/invitations/{invitation.pk}/"


def _statuses(anonymous, viewer, member, operator, admin=None):
    return {"anonymous": anonymous, "viewer": viewer, "member": member, "operator": operator,
            "admin": operator if admin is None else admin}


HIDDEN = _statuses(401, 404, 404, 200)          # someone else's project: it does not exist for members
HIDDEN_CREATED = _statuses(401, 404, 404, 201)
HIDDEN_GONE = _statuses(401, 404, 404, 204)
OPEN = _statuses(401, 200, 200, 200)
OWN_READ = _statuses(401, 200, 200, 200)
OWN_WRITE = _statuses(401, 403, 201, 201)

ACCESS = [
    Row("GET", "/api/projects/projects/", OPEN),
    Row("POST", "/api/projects/projects/", _statuses(401, 403, 201, 201), body={"name": "New"}),
    Row("GET", "/api/projects/my-tasks/", OPEN),
    Row("GET", url(""), HIDDEN),
    Row("PATCH", url(""), HIDDEN, body={"description": "changed"}),
    Row("POST", url("archive/"), HIDDEN),
    Row("POST", url("restore/", archived=True), HIDDEN),
    Row("POST", url("duplicate/"), HIDDEN_CREATED, body={}),
    Row("GET", url("stats/"), HIDDEN),
    Row("GET", url("members/"), HIDDEN),
    Row("POST", url("members/"), HIDDEN_CREATED, body=lambda user: {"user": _new_user()}),
    Row("DELETE", url("members/{member}/"), HIDDEN_GONE),
    Row("GET", url("tasks/"), HIDDEN),
    Row("POST", url("tasks/"), HIDDEN_CREATED, body={"title": "Another"}),
    Row("GET", url("tasks/{task}/"), HIDDEN),
    Row("PATCH", url("tasks/{task}/"), HIDDEN, body={"priority": "high"}),
    Row("DELETE", url("tasks/{task}/"), HIDDEN_GONE),
    Row("POST", url("tasks/{task}/move/"), HIDDEN, body={"status": "done", "position": 0}),
    Row("POST", url("tasks/{task}/assign/"), HIDDEN, body=body(assignee="{member}")),
    Row("POST", url("tasks/bulk-update/"), HIDDEN, body=body(tasks=["{task}"], priority="low")),
    Row("GET", url("tasks/{task}/comments/"), HIDDEN),
    Row("POST", url("tasks/{task}/comments/"), HIDDEN_CREATED, body={"body": "Looks good"}),
    Row("GET", url("tasks/{task}/worklogs/"), HIDDEN),
    Row("POST", url("tasks/{task}/worklogs/"), HIDDEN_CREATED, body={"hours": "1.5", "note": "soldering"}),
    Row("GET", url("tasks/{task}/links/"), HIDDEN),
    Row("POST", url("tasks/{task}/links/"), HIDDEN_CREATED, body=lambda user: {"asset": _new_asset()}),
    Row("DELETE", url("tasks/{task}/links/{link}/"), HIDDEN_GONE),
    Row("GET", url("bom/"), HIDDEN),
    Row("POST", url("bom/"), HIDDEN_CREATED, body=body(material="{material}", required_quantity="3")),
    Row("GET", url("bom/{line}/"), HIDDEN),
    Row("PATCH", url("bom/{line}/"), HIDDEN, body={"critical": True}),
    Row("POST", url("bom/{line}/allocate/"), HIDDEN, body={"quantity": "1"}),
    Row("POST", url("bom/{line}/return/"), HIDDEN, body={"quantity": "1"}),
    Row("GET", url("bom/requirements/"), HIDDEN),
    Row("GET", url("bom/export.csv"), HIDDEN),
    Row("GET", url("files/"), HIDDEN),
    Row("POST", url("files/"), _statuses(401, 404, 404, 400), body={"folder": "no file attached"}),
    Row("GET", url("files/{file}/"), HIDDEN),
    Row("GET", url("files/{file}/versions/"), HIDDEN),
    Row("GET", url("files/{file}/download/"), HIDDEN),
    Row("GET", url("files/{file}/share/"), HIDDEN),
    Row("POST", url("files/{file}/share/"), HIDDEN_CREATED, body={"hours": 2}),
    Row("POST", url("files/{file}/share/{share}/revoke/"), HIDDEN),
    Row("GET", share_url, _statuses(200, 200, 200, 200)),
    # On a project the caller is a member of: viewers read, members write.
    Row("GET", url("tasks/", member=True), OWN_READ),
    Row("POST", url("tasks/", member=True), OWN_WRITE, body={"title": "Mine"}),
    Row("POST", url("tasks/{task}/move/", member=True), _statuses(401, 403, 200, 200),
        body={"status": "review", "position": 0}),
    Row("POST", url("bom/{line}/allocate/", member=True), _statuses(401, 403, 200, 200), body={"quantity": "1"}),
    Row("GET", url("files/{file}/download/", member=True), OWN_READ),
    # Teams: members see the teams they are in; leads and operators edit them.
    Row("GET", "/api/projects/teams/", OPEN),
    Row("POST", "/api/projects/teams/", _statuses(401, 403, 201, 201), body={"name": "Woodshop"}),
    Row("GET", team_url(), HIDDEN),
    Row("PATCH", team_url(), HIDDEN, body={"description": "renamed"}),
    Row("GET", team_url("members/"), HIDDEN),
    Row("POST", team_url("members/"), HIDDEN_CREATED, body=lambda user: {"user": _new_user(), "role": "member"}),
    Row("PATCH", team_url("members/{member}/"), HIDDEN, body={"role": "lead"}),
    Row("DELETE", team_url("members/{member}/"), HIDDEN_GONE),
    Row("GET", team_url("workload/"), HIDDEN),
    Row("GET", "/api/projects/invitations/", OPEN),
    Row("POST", "/api/projects/invitations/", HIDDEN_CREATED, body=invitation_body),
    Row("DELETE", invitation_url, _statuses(401, 404, 404, 204)),
    Row("POST", "/api/projects/invitations/accept/", _statuses(401, 404, 404, 404), body={"token": "forged"}),
]


def _new_user():
    from accounts.tests.factories import UserFactory

    return UserFactory(role="member").pk


def _new_asset():
    from inventory.tests.factories import AssetFactory

    return AssetFactory().pk
