"""Meetings: records, versions and their diff, visibility, soft delete, comments, events and audit."""
import pytest
from django.urls import reverse

from core.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from core.models import AuditEntry, Event
from meetings import services
from meetings.models import Meeting

from .factories import MeetingFactory, meeting_with

pytestmark = pytest.mark.django_db
API = "/api/meetings/meetings/"


def new_meeting(client, **extra):
    body = {"title": "Weekly planning", "kind": "planning", "starts_at": "2026-11-30T09:00:00Z",
            "agenda": "Spectrometer calibration", "attendees": [{"name": "Priya Shah", "email": "priya@example.org"}]}
    body.update(extra)
    return client.post(API, body, format="json")


def test_a_member_records_a_meeting_and_sees_it_with_its_first_version(client_as):
    client = client_as("member")
    response = new_meeting(client)
    assert response.status_code == 201, response.data
    meeting = Meeting.objects.get(pk=response.data["id"])
    assert meeting.created_by == client.user and meeting.status == "draft"
    assert [a["name"] for a in response.data["attendees"]] == ["Priya Shah"]
    assert list(meeting.versions.values_list("number", flat=True)) == [1]
    assert AuditEntry.objects.filter(action="meeting.create", object_id=str(meeting.pk)).exists()
    assert Event.objects.filter(topic=f"meeting:{meeting.pk}", type="meeting.changed").exists()


def test_every_edit_keeps_a_version_and_two_versions_diff(client_as):
    client = client_as("member")
    meeting_id = new_meeting(client).data["id"]
    assert client.patch(f"{API}{meeting_id}/", {"notes": "Pump noisy"}, format="json").status_code == 200
    assert client.patch(f"{API}{meeting_id}/", {"title": "Planning", "notes": "Pump fixed"},
                        format="json").status_code == 200
    versions = client.get(f"{API}{meeting_id}/versions/").data
    assert [v["number"] for v in versions] == [3, 2, 1]
    diff = client.get(f"{API}{meeting_id}/diff/?a=1&b=3").data["changes"]
    assert diff == {"notes": ["", "Pump fixed"], "title": ["Weekly planning", "Planning"]}
    missing = client.get(f"{API}{meeting_id}/diff/?a=1&b=9")
    assert missing.status_code == 404 and "no version 9" in missing.data["detail"]


def test_an_edit_that_changes_nothing_makes_no_version(make_user):
    user = make_user("member")
    meeting = services.create_meeting(user, title="Standup", starts_at="2026-11-30T09:00:00Z")
    services.update_meeting(user, meeting, title="Standup")
    assert meeting.versions.count() == 1


def test_others_get_404_while_attendees_operators_and_admins_see_it(client_as, make_user):
    outsider, attendee = make_user("member"), make_user("viewer")
    meeting = meeting_with(attendee)
    assert client_as("member", outsider).get(f"{API}{meeting.pk}/").status_code == 404
    assert client_as("viewer", attendee).get(f"{API}{meeting.pk}/").status_code == 200
    assert client_as("operator").get(f"{API}{meeting.pk}/").status_code == 200
    listed = client_as("member", outsider).get(API).data["results"]
    assert meeting.pk not in [row["id"] for row in listed]
    with pytest.raises(NotFound):
        services.update_meeting(outsider, meeting, notes="sneaky")


def test_a_viewer_attendee_may_read_but_not_edit(make_user):
    viewer = make_user("viewer")
    meeting = meeting_with(viewer)
    with pytest.raises(PermissionDenied):
        services.update_meeting(viewer, meeting, notes="x")


def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(client_as):
    client = client_as("member")
    response = new_meeting(client, duration_minutes=5000)
    assert response.status_code == 400 and "duration_minutes" in str(response.data)
    twice = new_meeting(client, attendees=[{"name": "Lena"}, {"name": "lena"}])
    assert twice.status_code == 409 and "twice" in twice.data["detail"]
    assert Meeting.objects.count() == 0


def test_soft_delete_hides_and_restore_brings_back(client_as):
    client = client_as("member")
    meeting_id = new_meeting(client).data["id"]
    assert client.delete(f"{API}{meeting_id}/").status_code == 204
    assert client.get(f"{API}{meeting_id}/").status_code == 404
    assert Meeting.objects.filter(pk=meeting_id, deleted_at__isnull=False).exists()
    assert client.post(f"{API}{meeting_id}/restore/").status_code == 200
    assert client.get(f"{API}{meeting_id}/").status_code == 200
    again = client.post(f"{API}{meeting_id}/restore/")
    assert again.status_code == 409


def test_status_moves_publish_and_archive(make_user):
    user = make_user("member")
    meeting = services.create_meeting(user, title="Retro", starts_at="2026-11-30T09:00:00Z")
    services.set_meeting_status(user, meeting, "published")
    services.set_meeting_status(user, meeting, "archived")
    meeting.refresh_from_db()
    assert meeting.status == "archived" and meeting.versions.count() == 3
    with pytest.raises(RuleViolation):
        services.set_meeting_status(user, meeting, "shredded")


def test_comments_thread_and_replies_stay_in_their_meeting(client_as):
    client = client_as("member")
    meeting_id = new_meeting(client).data["id"]
    first = client.post(f"{API}{meeting_id}/comments/", {"body": "Who books the laser?"}, format="json")
    reply = client.post(f"{API}{meeting_id}/comments/", {"body": "Marco", "parent": first.data["id"]},
                        format="json")
    assert reply.status_code == 201 and reply.data["parent"] == first.data["id"]
    other = new_meeting(client).data["id"]
    stray = client.post(f"{API}{other}/comments/", {"body": "x", "parent": first.data["id"]}, format="json")
    assert stray.status_code == 400


def test_the_meeting_list_runs_a_fixed_number_of_queries(client_as):
    from core.testing import count_queries

    client = client_as("member")
    meeting_with(client.user)
    one, _ = count_queries(client, API)
    for _ in range(5):
        meeting_with(client.user)
    many, response = count_queries(client, API)
    assert one == many and response.data["count"] == 6


def test_the_page_records_a_meeting_and_shows_a_refusal_in_place(client, make_user):
    user = make_user("member")
    client.force_login(user)
    response = client.post(reverse("meetings:create"), {
        "title": "Safety walk", "kind": "safety", "starts_at": "2026-11-30T10:00", "duration_minutes": 30,
        "attendees": f"{user.username}\nPriya Shah <priya@example.org>"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Safety walk")
    assert "Priya Shah" in meeting.attendees.values_list("name", flat=True)
    assert meeting.attendees.filter(user=user).exists()
    refused = client.post(reverse("meetings:edit", args=[meeting.pk]), {
        "title": "Safety walk", "kind": "safety", "starts_at": "2026-11-30T10:00", "duration_minutes": 30,
        "attendees": "Lena\nlena"})
    assert refused.status_code == 409 and "listed twice" in refused.content.decode()
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert page.status_code == 200 and "Safety walk" in page.content.decode()


def test_pages_give_404_for_meetings_you_may_not_see(client, make_user):
    meeting = MeetingFactory()
    client.force_login(make_user("member"))
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("meetings:status", args=[meeting.pk]), {"status": "archived"}).status_code == 404


def test_restoring_a_live_meeting_is_a_conflict(make_user):
    user = make_user("operator")
    meeting = MeetingFactory()
    with pytest.raises(Conflict):
        services.restore_meeting(user, meeting)


def test_demo_data_makes_an_analyzed_standup_once(django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
        call_command("seed_demo")
    meeting = Meeting.objects.get(title="Monday standup")
    proposed = sorted(meeting.action_items.values_list("owner_name", "status"))
    assert proposed == [("Lena Vogel", "proposed"), ("Priya Shah", "proposed")]
    assert meeting.decisions == ["We decided to keep the centrifuge log on paper for now."]


def test_only_people_who_see_a_meeting_may_follow_its_topic(make_user):
    from core.topics import may_subscribe

    attendee, outsider = make_user("viewer"), make_user("member")
    meeting = meeting_with(attendee)
    assert may_subscribe(attendee, f"meeting:{meeting.pk}") == (True, "")
    assert may_subscribe(make_user("operator"), f"meeting:{meeting.pk}")[0]
    assert not may_subscribe(outsider, f"meeting:{meeting.pk}")[0]
    assert not may_subscribe(attendee, "meeting:x")[0]
