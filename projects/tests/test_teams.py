"""Teams: the creator leads, leads edit members, invitations by signed expiring link, workload."""
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import Conflict, PermissionDenied
from projects import services
from projects.models import Invitation, TeamMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(make_user):
    lead = make_user("member")
    return lead, services.create_team(lead, name="Woodshop")


def test_the_creator_becomes_lead_and_only_leads_edit_members(team, make_user, client_as):
    lead, workshop = team
    assert TeamMembership.objects.get(team=workshop, user=lead).role == "lead"
    member, newcomer = make_user("member"), make_user("member")
    services.add_team_member(lead, workshop, member)
    with pytest.raises(PermissionDenied):
        services.add_team_member(member, workshop, newcomer)
    api = client_as("member", user=member)
    response = api.post(f"/api/projects/teams/{workshop.pk}/members/", {"user": newcomer.pk})
    assert response.status_code == 403
    lead_api = client_as("member", user=lead)
    assert lead_api.post(f"/api/projects/teams/{workshop.pk}/members/", {"user": newcomer.pk}).status_code == 201
    assert lead_api.patch(f"/api/projects/teams/{workshop.pk}/members/{member.pk}/", {"role": "admin"}).data[
        "role"] == "admin"


def test_a_team_keeps_a_lead(team):
    lead, workshop = team
    with pytest.raises(Conflict, match="last lead"):
        services.remove_team_member(lead, workshop, lead)


def test_an_invitation_is_emailed_and_accepted_by_the_person_invited(team, make_user, client_as, client,
                                                                    django_capture_on_commit_callbacks):
    lead, workshop = team
    invited = make_user("member", email="pat@example.org")
    other = make_user("member")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("member", user=lead).post("/api/projects/invitations/",
                                                       {"team": workshop.pk, "email": "pat@example.org"})
    assert response.status_code == 201
    token = response.data["token"]
    assert len(mail.outbox) == 1 and token in mail.outbox[0].body
    wrong = client_as("member", user=other).post("/api/projects/invitations/accept/", {"token": token})
    assert wrong.status_code == 403
    client.force_login(invited)
    assert client.get(f"/projects/invitations/{token}/").status_code == 200
    joined = client.post(f"/projects/invitations/{token}/")
    assert joined.status_code == 302
    assert TeamMembership.objects.get(team=workshop, user=invited).role == "member"
    again = client_as("member", user=invited).post("/api/projects/invitations/accept/", {"token": token})
    assert again.status_code == 404


def test_an_expired_or_forged_invitation_is_refused(team, make_user, client_as):
    lead, workshop = team
    invited = make_user("member", email="late@example.org")
    invitation, token = services.invite(lead, workshop, email="late@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    api = client_as("member", user=invited)
    response = api.post("/api/projects/invitations/accept/", {"token": token})
    assert response.status_code == 404 and "expired" in response.data["detail"]
    assert api.post("/api/projects/invitations/accept/", {"token": token + "x"}).status_code == 404


def test_team_members_see_the_teams_projects_and_workload(team, make_user, client_as):
    lead, workshop = team
    member = make_user("member")
    services.add_team_member(lead, workshop, member)
    project = services.create_project(lead, name="Bench", team=workshop)
    today = timezone.localdate()
    services.create_task(lead, project, title="a", assignee=member, estimated_hours="3", due_date=today)
    services.create_task(lead, project, title="b", assignee=member, estimated_hours="5",
                         due_date=today + timedelta(days=30))
    api = client_as("member", user=member)
    assert api.get(f"/api/projects/projects/{project.pk}/").status_code == 200
    rows = {row["username"]: row for row in api.get(f"/api/projects/teams/{workshop.pk}/workload/").data}
    assert rows[member.username]["open_tasks"] == 2
    assert rows[member.username]["estimated_hours_due_this_week"] == "3.00"
    services.remove_team_member(lead, workshop, member)
    assert api.get(f"/api/projects/projects/{project.pk}/").status_code == 404


def test_the_team_page_adds_members_and_shows_a_refusal_in_place(team, make_user, client):
    lead, workshop = team
    newcomer, member = make_user("member"), make_user("member")
    services.add_team_member(lead, workshop, member)
    client.force_login(lead)
    assert client.get("/projects/teams/").status_code == 200
    added = client.post(f"/projects/teams/{workshop.pk}/act/add/", {"user": newcomer.username, "role": "member"})
    assert added.status_code == 302 and TeamMembership.objects.filter(team=workshop, user=newcomer).exists()
    page = client.get(f"/projects/teams/{workshop.pk}/")
    assert newcomer.username.encode() in page.content
    refused = client.post(f"/projects/teams/{workshop.pk}/act/remove/", {"user": lead.pk})
    assert refused.status_code == 409 and b"last lead" in refused.content
    client.force_login(member)
    denied = client.post(f"/projects/teams/{workshop.pk}/act/add/", {"user": lead.username})
    assert denied.status_code == 403 and b"Only a lead" in denied.content
    client.force_login(make_user("member"))
    assert client.get(f"/projects/teams/{workshop.pk}/").status_code == 404


def test_the_invitation_list_shows_teams_i_lead_in_a_fixed_number_of_queries(make_user, client_as):
    from core.testing import count_queries

    lead = make_user("member")
    client = client_as("member", user=lead)
    first = services.create_team(lead, name="T0")
    services.invite(lead, first, email="a0@example.org")
    one, _ = count_queries(client, "/api/projects/invitations/")
    for n in range(1, 6):
        services.invite(lead, services.create_team(lead, name=f"T{n}"), email=f"a{n}@example.org")
    member_only = services.create_team(make_user("member"), name="Not mine")
    services.add_team_member(member_only.memberships.get().user, member_only, lead)
    services.invite(member_only.memberships.get(role="lead").user, member_only, email="x@example.org")
    many, response = count_queries(client, "/api/projects/invitations/")
    assert response.data["count"] == 6 and one == many


def test_the_team_list_runs_the_same_queries_for_one_team_and_many(make_user, client_as):
    from core.testing import count_queries

    lead = make_user("member")
    client = client_as("member", user=lead)
    services.create_team(lead, name="Only")
    one, _ = count_queries(client, "/api/projects/teams/")
    for n in range(5):
        services.create_team(lead, name=f"More {n}")
    many, response = count_queries(client, "/api/projects/teams/")
    assert response.data["count"] == 6 and one == many
