"""Search: PostgreSQL full-text (weighted, GIN, kept current by the services) and the embedded fallback."""
import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from meetings import services
from meetings.models import Meeting

pytestmark = pytest.mark.django_db
API = "/api/meetings/search/"


@pytest.fixture
def member(make_user):
    return make_user("member")


def record(user, **fields):
    fields.setdefault("starts_at", "2026-11-30T09:00:00Z")
    return services.create_meeting(user, **fields)


def test_search_finds_words_in_title_notes_and_transcript_ranked_with_highlights(client_as, member):
    in_title = record(member, title="Centrifuge rotor review")
    in_notes = record(member, title="Weekly standup", notes="The centrifuge rotor squeaks.")
    record(member, title="Safety walk", notes="Eyewash flushed.")
    client = client_as("member", member)
    body = client.get(API, {"q": "centrifuge rotor"}).data
    assert [r["id"] for r in body["results"]] == [in_title.pk, in_notes.pk]
    assert "<mark>" in body["results"][0]["title_highlighted"] and "<mark>" in body["results"][1]["snippet"]


def test_a_finished_transcript_is_searchable_at_once(client_as, member):
    meeting = record(member, title="Planning")
    from meetings.models import Recording
    from meetings.services.recordings import _store  # the step that saves a transcript

    recording = Recording.objects.create(meeting=meeting, original_name="a.wav", audio_format="wav", size=1,
                                         file="meetings/recordings/a.wav")

    class Result:
        segments, duration, text = [], 3.0, "We talked about the cryostat helium level."

    _store(recording, Result(), 0.5)
    found = client_as("member", member).get(API, {"q": "cryostat"}).data["results"]
    assert [r["id"] for r in found] == [meeting.pk]


def test_search_only_shows_meetings_you_may_see_and_escapes_what_users_wrote(client_as, member, make_user):
    record(make_user("member"), title="Secret centrifuge plans")
    mine = record(member, title="Centrifuge <script>alert(1)</script>")
    results = client_as("member", member).get(API, {"q": "centrifuge"}).data["results"]
    assert [r["id"] for r in results] == [mine.pk]
    assert "<script>" not in results[0]["title_highlighted"]


def test_an_empty_search_is_a_400_that_says_what_to_do(client_as):
    response = client_as("member").get(API, {"q": "  "})
    assert response.status_code == 400 and "at least one word" in response.data["detail"]


def test_the_search_page_shows_results(client, member):
    record(member, title="Laser cutter service")
    client.force_login(member)
    page = client.get(reverse("meetings:search"), {"q": "laser"})
    assert page.status_code == 200 and "<mark>" in page.content.decode()


@pytest.mark.full("postgres")
def test_postgres_keeps_a_weighted_vector_with_a_gin_index_and_rebuild_search_restores_it(member):
    meeting = record(member, title="Cryostat", agenda="helium", notes="nitrogen")
    Meeting.objects.filter(pk=meeting.pk).update(search_vector=None)
    call_command("rebuild_search")
    vector = Meeting.objects.values_list("search_vector", flat=True).get(pk=meeting.pk)
    assert "'cryostat':1A" in vector and "'helium':2B" in vector
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'meetings_meeting_search_gin'")
        assert "USING gin (search_vector)" in cursor.fetchone()[0]
    services.update_meeting(member, meeting, notes="argon")
    assert Meeting.objects.filter(pk=meeting.pk, search_vector="argon").exists()
