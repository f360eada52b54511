"""The OpenAI-compatible providers, against a local server that answers like such an API."""
import json
import wave

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Meeting, Recording

from .factories import AttendeeFactory, meeting_with
from .openai_server import FakeOpenAI

pytestmark = pytest.mark.django_db
API = "/api/meetings/meetings/"


def silence(tmp_path, seconds=2):
    path = tmp_path / "clip.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x00\x00" * 16000 * seconds)
    return SimpleUploadedFile("clip.wav", path.read_bytes(), content_type="audio/wav")


@pytest.fixture
def api(settings):
    with FakeOpenAI() as server:
        settings.AI_API_BASE_URL = server.url
        settings.AI_API_KEY = "test-key"
        settings.TRANSCRIBE_PROVIDER = "openai"
        settings.ANALYZE_PROVIDER = "openai"
        yield server


def test_transcription_and_analysis_through_an_openai_compatible_api(client_as, api, tmp_path,
                                                                      django_capture_on_commit_callbacks):
    client = client_as("member")
    meeting = meeting_with(client.user, starts_at="2026-11-30T09:00:00Z", agenda="Spectrometer")
    AttendeeFactory(meeting=meeting, user=None, name="Priya Shah")
    api.transcription = {"text": "Priya, can you recalibrate the spectrometer by Friday?", "duration": 2.0,
                         "language": "english",
                         "segments": [{"id": 0, "start": 0.0, "end": 2.0,
                                       "text": " Priya, can you recalibrate the spectrometer by Friday?"}]}
    api.minutes = {"summary": "Spectrometer calibration.", "decisions": ["Recalibrate monthly"], "action_items": [
        {"owner": "Priya Shah", "task": "Recalibrate the spectrometer", "due": "2026-12-04", "confidence": 0.9,
         "start": 0.0}]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}{meeting.pk}/recordings/", {"file": silence(tmp_path)}, format="multipart")
    recording = Recording.objects.get(pk=response.data["id"])
    assert recording.status == "done" and recording.provider == "openai"
    assert recording.segments.get().text == "Priya, can you recalibrate the spectrometer by Friday?"
    minutes = client.get(f"{API}{meeting.pk}/minutes/").data
    assert minutes["summary"] == "Spectrometer calibration." and minutes["decisions"] == ["Recalibrate monthly"]
    assert minutes["action_items"] == [{"owner": "Priya Shah", "task": "Recalibrate the spectrometer",
                                        "due": "2026-12-04", "confidence": 0.9, "start": 0.0, "status": "proposed"}]
    upload, chat = api.requests
    assert b"Attendees: " in upload["body"] and b"Priya Shah" in upload["body"] and b"whisper-1" in upload["body"]
    sent = json.loads(chat["body"])
    assert sent["response_format"]["type"] == "json_schema"
    assert "Priya, can you recalibrate" in sent["messages"][1]["content"]
    assert "Meeting date: 2026-11-30" in sent["messages"][1]["content"]


def test_an_api_that_fails_marks_the_job_failed_with_its_answer(client_as, api, tmp_path,
                                                                django_capture_on_commit_callbacks):
    client = client_as("member")
    meeting = meeting_with(client.user)
    api.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}{meeting.pk}/recordings/", {"file": silence(tmp_path)}, format="multipart")
    recording = Recording.objects.get(pk=response.data["id"])
    assert recording.status == "failed" and "503" in recording.error and "overloaded" in recording.error


def test_a_wrong_key_is_reported_not_hidden(client_as, api, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.AI_API_KEY = "wrong"
    client = client_as("member")
    meeting = meeting_with(client.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}{meeting.pk}/recordings/", {"file": silence(tmp_path)}, format="multipart")
    assert "401" in Recording.objects.get(pk=response.data["id"]).error


def test_an_answer_off_the_schema_fails_the_analysis_with_a_reason(client_as, api, django_capture_on_commit_callbacks):
    client = client_as("member")
    meeting = meeting_with(client.user, notes="Priya will order gloves.")
    api.raw_content = '{"summary": "ok"}'
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{API}{meeting.pk}/analyze/").status_code == 202
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.analysis_status == "failed" and "schema" in meeting.analysis_error
    assert meeting.action_items.count() == 0


def test_an_unreachable_api_is_a_failure_with_the_address(client_as, settings, django_capture_on_commit_callbacks):
    settings.ANALYZE_PROVIDER = "openai"
    settings.AI_API_BASE_URL = "http://127.0.0.1:9/v1"
    client = client_as("member")
    meeting = meeting_with(client.user, notes="Priya will order gloves.")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{API}{meeting.pk}/analyze/")
    meeting.refresh_from_db()
    assert meeting.analysis_status == "failed" and "127.0.0.1:9" in meeting.analysis_error
