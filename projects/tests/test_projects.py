"""Projects: archive, restore, duplicate and stats through the API, the pages and the admin."""
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEntry
from inventory.tests.factories import MaterialFactory
from projects import services
from projects.models import Project, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(make_user):
    owner = make_user("member")
    project = services.create_project(owner, name="Loom", tags=["textiles"])
    return owner, project


def test_archive_makes_a_project_read_only_until_restored_through_api_and_page(project, client_as, client):
    owner, loom = project
    api = client_as("member", user=owner)
    assert api.post(f"/api/projects/projects/{loom.pk}/archive/").data["status"] == "archived"
    refused = api.post(f"/api/projects/projects/{loom.pk}/tasks/", {"title": "x"})
    assert refused.status_code == 409 and "restore" in refused.data["detail"]
    client.force_login(owner)
    page = client.post(f"/projects/{loom.pk}/act/archive/")
    assert page.status_code == 409 and b"archived already" in page.content
    assert client.post(f"/projects/{loom.pk}/act/restore/").status_code == 302
    assert Project.objects.get(pk=loom.pk).status == "active"


def test_only_managers_archive(project, make_user):
    owner, loom = project
    member = make_user("member")
    services.add_member(owner, loom, member)
    from core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.archive_project(member, loom)


def test_duplicate_copies_tasks_in_order_and_the_bom_but_not_files(project, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    owner, loom = project
    parent = services.create_task(owner, loom, title="Warp")
    services.create_task(owner, loom, title="Weft", parent=parent)
    services.create_task(owner, loom, title="Finish", status="done")
    services.add_bom_line(owner, loom, material=MaterialFactory(), required_quantity="4")
    services.upload_file(owner, loom, SimpleUploadedFile("a.txt", b"x"))
    response = client_as("member", user=owner).post(f"/api/projects/projects/{loom.pk}/duplicate/", {"name": "Loom 2"})
    assert response.status_code == 201
    copy = Project.objects.get(pk=response.data["id"])
    assert list(copy.tasks.order_by("status", "position").values_list("title", "status", "position")) == [
        ("Finish", "done", 0), ("Warp", "todo", 0), ("Weft", "todo", 1)]
    assert copy.tasks.get(title="Weft").parent.title == "Warp"
    assert copy.bom_lines.get().allocated_quantity == 0
    assert not copy.files.exists()


def test_stats_count_tasks_overdue_hours_and_material_cost(project, client_as):
    owner, loom = project
    yesterday = timezone.localdate() - timedelta(days=1)
    late = services.create_task(owner, loom, title="late", due_date=yesterday, estimated_hours="2")
    services.create_task(owner, loom, title="done", status="done", due_date=yesterday, estimated_hours="1")
    services.log_work(owner, late, hours="1.25")
    services.add_bom_line(owner, loom, material=MaterialFactory(cost_per_unit="2.5"), required_quantity="4")
    stats = client_as("member", user=owner).get(f"/api/projects/projects/{loom.pk}/stats/").data
    assert stats["tasks"]["todo"] == 1 and stats["tasks"]["done"] == 1
    assert stats["overdue_tasks"] == 1
    assert (stats["estimated_hours"], stats["actual_hours"]) == ("3.00", "1.25")
    assert stats["material_cost"] == "10.00"


def test_the_admin_moves_a_task_through_the_service(project, client, make_user):
    owner, loom = project
    services.create_task(owner, loom, title="first")
    second = services.create_task(owner, loom, title="second")
    client.force_login(make_user("admin", is_superuser=True))
    response = client.post(f"/admin/projects/task/{second.pk}/change/", {
        "title": "second", "description": "", "status": "done", "priority": "medium", "parent": "",
        "assignee": "", "due_date": "", "estimated_hours": "", "tags": "[]"})
    assert response.status_code == 302, response.content[:400]
    moved = Task.objects.get(pk=second.pk)
    assert (moved.status, moved.position) == ("done", 0) and moved.completed_at
    assert AuditEntry.objects.filter(action="task.move", object_id=str(second.pk)).exists()


def test_the_admin_archive_action_goes_through_the_service(project, client, make_user):
    owner, loom = project
    client.force_login(make_user("operator"))
    response = client.post("/admin/projects/project/", {"action": "archive_selected", "_selected_action": [loom.pk]})
    assert response.status_code == 302
    assert Project.objects.get(pk=loom.pk).status == "archived"
    assert AuditEntry.objects.filter(action="project.archive").count() == 1


def test_pages_show_the_overview_board_and_my_tasks(project, client):
    owner, loom = project
    services.create_task(owner, loom, title="Thread", assignee=owner)
    client.force_login(owner)
    assert b"Loom" in client.get("/projects/").content
    assert b"Thread" in client.get(f"/projects/{loom.pk}/board/").content
    assert b"Bill of materials" in client.get(f"/projects/{loom.pk}/").content
    assert b"Thread" in client.get("/projects/mine/").content
    created = client.post("/projects/", {"name": "From the page"})
    assert created.status_code == 302 and Project.objects.filter(name="From the page", owner=owner).exists()


def test_demo_data_loads_twice_without_change():
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    counts = (Project.objects.count(), Task.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert counts == (Project.objects.count(), Task.objects.count()) and counts[0] >= 2


@pytest.mark.parametrize("path", ["tasks/99999999999999999999/", "files/99999999999999999999/preview/?version=²",
                                  "files/1/preview/?version=99999999999999999999"])
def test_pages_answer_404_not_500_for_impossible_ids(project, client, path):
    owner, loom = project
    client.force_login(owner)
    assert client.get(f"/projects/{loom.pk}/{path}").status_code == 404


def test_a_bad_line_or_quantity_on_the_overview_is_shown_in_place(project, client):
    owner, loom = project
    client.force_login(owner)
    response = client.post(f"/projects/{loom.pk}/act/allocate/", {"line": "abc", "quantity": "x"})
    assert response.status_code == 400 and b"role=\"alert\"" in response.content
    assert b"Give a quantity" in response.content or b"Choose a line" in response.content


def test_the_task_page_edits_a_task_through_the_service(project, client, make_user):
    owner, loom = project
    helper = make_user("member")
    services.add_member(owner, loom, helper)
    task = services.create_task(owner, loom, title="Spin")
    client.force_login(owner)
    response = client.post(f"/projects/{loom.pk}/tasks/{task.pk}/act/edit/", {
        "title": "Spin yarn", "priority": "critical", "assignee": helper.pk, "due_date": "", "estimated_hours": "2"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.priority, task.assignee_id) == ("Spin yarn", "critical", helper.pk)
    assert AuditEntry.objects.filter(action="task.update", object_id=str(task.pk)).exists()


def test_the_overview_edits_the_project_and_refuses_a_due_date_before_the_start(project, client):
    owner, loom = project
    client.force_login(owner)
    saved = client.post(f"/projects/{loom.pk}/act/edit/", {"name": "Loom II", "description": "", "status": "paused",
                                                          "start_date": "2026-01-10", "due_date": "2026-02-01"})
    assert saved.status_code == 302
    assert Project.objects.get(pk=loom.pk).status == "paused"
    refused = client.post(f"/projects/{loom.pk}/act/edit/", {"name": "Loom II", "description": "", "status": "active",
                                                            "start_date": "2026-03-10", "due_date": "2026-02-01"})
    assert refused.status_code == 400 and b"due date must not be before" in refused.content
    assert Project.objects.get(pk=loom.pk).status == "paused"
