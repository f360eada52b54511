"""Tasks through the API (and the same rules through pages): fields, moves, bulk changes, lists."""
import pytest
from django.utils import timezone

from core.models import AuditEntry, Event
from core.testing import count_queries
from projects import services
from projects.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client_as):
    client = client_as("member")
    project = services.create_project(client.user, name="Bench")
    return client, project


def tasks_url(project, suffix=""):
    return f"/api/projects/projects/{project.pk}/tasks/{suffix}"


def test_create_move_and_complete_a_task_through_the_api(owner_client):
    client, project = owner_client
    first = client.post(tasks_url(project), {"title": "Solder", "priority": "high", "tags": ["Power", "power"]})
    assert first.status_code == 201, first.data
    assert first.data["position"] == 0 and first.data["tags"] == ["power"]
    second = client.post(tasks_url(project), {"title": "Test"}).data
    moved = client.post(tasks_url(project, f"{second['id']}/move/"), {"status": "done", "position": 0})
    assert moved.status_code == 200
    assert moved.data["status"] == "done" and moved.data["completed_at"]
    assert AuditEntry.objects.filter(action="task.move", object_id=str(second["id"])).exists()
    event = Event.objects.filter(topic=f"project:{project.pk}", type="task.moved").get()
    assert event.data["status"] == "done" and event.data["from_status"] == "todo"


def test_unknown_status_and_priority_are_refused_with_the_allowed_values(owner_client):
    client, project = owner_client
    response = client.post(tasks_url(project), {"title": "X", "priority": "urgent"})
    assert response.status_code == 400 and "priority" in response.data["fields"]
    task = services.create_task(client.user, project, title="Y")
    response = client.post(tasks_url(project, f"{task.pk}/move/"), {"status": "blocked", "position": 0})
    assert response.status_code == 400 and "status" in response.data["fields"]


def test_an_assignee_must_be_on_the_project_through_the_api_and_the_board_page(owner_client, make_user, client):
    api, project = owner_client
    outsider, insider = make_user("member"), make_user("member")
    services.add_member(api.user, project, insider)
    task = services.create_task(api.user, project, title="Wire")
    refused = api.post(tasks_url(project, f"{task.pk}/assign/"), {"assignee": outsider.pk})
    assert refused.status_code == 400 and "not on project" in refused.data["detail"]
    assert api.post(tasks_url(project, f"{task.pk}/assign/"), {"assignee": insider.pk}).data["assignee"] == insider.pk
    # The board page's form offers only project people; the service still says no to anyone else.
    client.force_login(api.user)
    page = client.post(f"/projects/{project.pk}/board/", {"title": "Z", "priority": "low", "status": "todo",
                                                         "assignee": outsider.pk})
    assert page.status_code == 400 and b"assignee" in page.content
    assert not Task.objects.filter(title="Z").exists()


def test_a_task_cannot_become_its_own_ancestor(owner_client):
    client, project = owner_client
    parent = services.create_task(client.user, project, title="Parent")
    child = services.create_task(client.user, project, title="Child", parent=parent)
    grandchild = services.create_task(client.user, project, title="Grandchild", parent=child)
    response = client.patch(tasks_url(project, f"{parent.pk}/"), {"parent": grandchild.pk})
    assert response.status_code == 400 and "cycle" in str(response.data["fields"])
    other = services.create_project(client.user, name="Other")
    stranger = services.create_task(client.user, other, title="Elsewhere")
    response = client.patch(tasks_url(project, f"{child.pk}/"), {"parent": stranger.pk})
    assert response.status_code == 400


def test_bulk_update_answers_per_task(owner_client, make_user):
    client, project = owner_client
    tasks = [services.create_task(client.user, project, title=f"T{n}") for n in range(3)]
    outsider_task = services.create_task(client.user, services.create_project(client.user, name="O"), title="X")
    response = client.post(tasks_url(project, "bulk-update/"),
                           {"tasks": [t.pk for t in tasks] + [outsider_task.pk], "status": "review"})
    assert response.status_code == 200
    assert response.data["updated"] == 3
    assert response.data["results"][-1]["ok"] is False and response.data["results"][-1]["status"] == 404
    assert list(Task.objects.filter(project=project, status="review").order_by("position")
                .values_list("title", flat=True)) == ["T0", "T1", "T2"]


def test_the_task_list_runs_the_same_queries_for_one_row_and_fifty(owner_client):
    client, project = owner_client
    services.create_task(client.user, project, title="only")
    one, _ = count_queries(client, tasks_url(project))
    for n in range(49):
        task = services.create_task(client.user, project, title=f"t{n}", assignee=client.user)
        services.add_comment(client.user, task, "note")
    many, response = count_queries(client, tasks_url(project))
    assert response.data["count"] == 50
    assert one == many


def test_the_project_list_runs_the_same_queries_for_one_row_and_many(client_as):
    client = client_as("member")
    services.create_project(client.user, name="P0")
    one, _ = count_queries(client, "/api/projects/projects/")
    for n in range(20):
        services.create_project(client.user, name=f"P{n + 1}")
    many, response = count_queries(client, "/api/projects/projects/?ordering=name")
    assert response.data["count"] == 21 and one == many


def test_task_list_filters_and_orders(owner_client):
    client, project = owner_client
    services.create_task(client.user, project, title="late", due_date=timezone.localdate(), priority="low")
    services.create_task(client.user, project, title="high", priority="high")
    data = client.get(tasks_url(project), {"priority": "high"}).data
    assert [t["title"] for t in data["results"]] == ["high"]
    assert client.get(tasks_url(project), {"priority": "nope"}).status_code == 400
    ordered = client.get(tasks_url(project), {"ordering": "-title"}).data["results"]
    assert [t["title"] for t in ordered] == ["late", "high"]


def test_someone_elses_project_is_not_found_through_api_page_and_websocket_check(owner_client, client_as, client):
    from core.topics import may_subscribe

    owner, project = owner_client
    stranger = client_as("member")
    task = services.create_task(owner.user, project, title="Hidden")
    assert stranger.get(f"/api/projects/projects/{project.pk}/").status_code == 404
    assert stranger.post(tasks_url(project, f"{task.pk}/move/"), {"status": "done", "position": 0}).status_code == 404
    client.force_login(stranger.user)
    for path in ["", "board/", f"tasks/{task.pk}/", "board/columns/"]:
        assert client.get(f"/projects/{project.pk}/{path}").status_code == 404, path
    assert client.post(f"/projects/{project.pk}/act/archive/").status_code == 404
    allowed, _ = may_subscribe(stranger.user, f"project:{project.pk}")
    assert not allowed
    assert may_subscribe(owner.user, f"project:{project.pk}")[0]


def test_my_tasks_lists_open_tasks_assigned_to_me_across_projects(client_as):
    client = client_as("member")
    a = services.create_project(client.user, name="A")
    b = services.create_project(client.user, name="B")
    services.create_task(client.user, a, title="mine-a", assignee=client.user)
    services.create_task(client.user, b, title="mine-b", assignee=client.user, due_date=timezone.localdate())
    services.create_task(client.user, b, title="done", assignee=client.user, status="done")
    services.create_task(client.user, b, title="nobody's")
    titles = [t["title"] for t in client.get("/api/projects/my-tasks/").data["results"]]
    assert titles == ["mine-b", "mine-a"]
