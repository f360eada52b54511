"""An action item becomes a project task in one call; each keeps the way to the other."""
import pytest
from django.urls import reverse

from projects.models import Task
from projects.tests.factories import ProjectFactory, ProjectMemberFactory

from .factories import ActionItemFactory, meeting_with

pytestmark = pytest.mark.django_db
API = "/api/meetings/action-items/"


@pytest.fixture
def setup(client_as, make_user):
    client = client_as("member")
    owner = make_user("member")
    project = ProjectFactory(owner=client.user)
    ProjectMemberFactory(project=project, user=owner)
    meeting = meeting_with(client.user, project_id=project.pk, title="Sprint planning")
    item = ActionItemFactory(meeting=meeting, owner_user=owner, owner_name="Priya Shah", task="Order gloves",
                             source_text="Priya will order gloves.", priority="high")
    return client, project, item, owner


def test_an_open_item_becomes_a_task_of_the_meetings_project_linked_both_ways(setup):
    client, project, item, owner = setup
    response = client.post(f"{API}{item.pk}/convert-to-task/", {}, format="json")
    assert response.status_code == 200, response.data
    task = Task.objects.get(pk=response.data["project_task_id"])
    assert (task.project, task.title, task.priority, task.assignee) == (project, "Order gloves", "high", owner)
    assert f"Action item #{item.pk}" in task.description and "Sprint planning" in task.description
    assert response.data["task_status"] == "todo"
    again = client.post(f"{API}{item.pk}/convert-to-task/", {}, format="json")
    assert again.status_code == 409 and "already" in again.data["detail"]


def test_the_items_page_shows_the_tasks_status(setup, client):
    member, project, item, owner = setup
    from meetings import services
    from projects import services as project_services

    services.convert_to_task(member.user, item)
    item.refresh_from_db()
    project_services.update_task(member.user, Task.objects.get(pk=item.project_task_id), status="done")
    assert member.get(f"{API}{item.pk}/").data["task_status"] == "done"
    client.force_login(member.user)
    page = client.get(reverse("meetings:detail", args=[item.meeting_id])).content.decode()
    assert "task #" in page.lower() and "Done" in page


def test_proposals_and_meetings_without_a_project_are_refused_with_a_reason(client_as):
    client = client_as("member")
    proposal = ActionItemFactory(meeting=meeting_with(client.user), status="proposed")
    refused = client.post(f"{API}{proposal.pk}/convert-to-task/", {}, format="json")
    assert refused.status_code == 409 and "Accept it first" in refused.data["detail"]
    open_item = ActionItemFactory(meeting=meeting_with(client.user))
    refused = client.post(f"{API}{open_item.pk}/convert-to-task/", {}, format="json")
    assert refused.status_code == 400 and "which project" in refused.data["detail"]
    hidden = ProjectFactory()
    refused = client.post(f"{API}{open_item.pk}/convert-to-task/", {"project": hidden.pk}, format="json")
    assert refused.status_code == 404
    assert Task.objects.count() == 0


def test_the_page_button_converts_through_the_same_service(setup, client):
    member, project, item, owner = setup
    client.force_login(member.user)
    response = client.post(reverse("meetings:item-task", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert Task.objects.filter(pk=item.project_task_id, project=project).exists()


def test_members_of_the_linked_project_see_the_meeting(client_as, make_user):
    from projects.tests.factories import ProjectMemberFactory as Member

    client = client_as("member")
    project = ProjectFactory()
    Member(project=project, user=client.user)
    meeting = meeting_with(None, project_id=project.pk)
    assert client.get(f"/api/meetings/meetings/{meeting.pk}/").status_code == 200


def test_a_meeting_names_only_a_project_its_editor_can_see(client_as):
    client = client_as("member")
    hidden = ProjectFactory()
    response = client.post("/api/meetings/meetings/", {"title": "Sync", "starts_at": "2026-12-01T10:00:00Z",
                                                       "project_id": hidden.pk}, format="json")
    assert response.status_code == 400 and f"no project {hidden.pk}" in response.data["detail"]


def test_the_admin_action_makes_tasks_and_reports_refusals(client, make_user):
    operator = make_user("operator")
    project = ProjectFactory(owner=operator)
    item = ActionItemFactory(meeting=meeting_with(None, project_id=project.pk))
    loose = ActionItemFactory()
    client.force_login(operator)
    response = client.post("/admin/meetings/actionitem/", {"action": "make_tasks",
                                                           "_selected_action": [item.pk, loose.pk]}, follow=True)
    item.refresh_from_db()
    assert Task.objects.filter(pk=item.project_task_id, project=project).exists()
    assert "which project" in response.content.decode()
