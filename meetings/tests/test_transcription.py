"""Recordings: uploads checked by content, offline transcription with progress, failures with their reason."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Event
from inventory.tests.factories import MaterialFactory
from meetings import services
from meetings.models import Recording
from scheduler.tests.factories import DeviceFactory

from .factories import AttendeeFactory, meeting_with
from .speech import speak

pytestmark = pytest.mark.django_db
API = "/api/meetings/meetings/"
SCRIPT = ("Good morning everyone. Priya, can you recalibrate the spectrometer by Friday? "
          "We decided to order nitrile gloves from the usual supplier.")


@pytest.fixture
def clip(tmp_path):
    return speak(SCRIPT, tmp_path / "standup.wav")


def upload(path, name="standup.wav"):
    with open(path, "rb") as handle:
        return SimpleUploadedFile(name, handle.read(), content_type="audio/wav")


def test_an_uploaded_clip_is_transcribed_offline_and_analyzed(client_as, clip, django_capture_on_commit_callbacks):
    client = client_as("member")
    meeting = meeting_with(client.user)
    AttendeeFactory(meeting=meeting, user=None, name="Priya Shah")
    MaterialFactory(name="Nitrile gloves")  # the lab's own words help the speech model
    DeviceFactory(name="Spectrometer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}{meeting.pk}/recordings/", {"file": upload(clip)}, format="multipart")
    assert response.status_code == 201, response.data
    recording = Recording.objects.get(pk=response.data["id"])
    assert recording.status == "done" and recording.progress == 1.0 and recording.provider == "whisper"
    assert recording.file.name.startswith("meetings/recordings/") and "standup" not in recording.file.name
    text = " ".join(recording.segments.values_list("text", flat=True)).lower()
    for word in ("priya", "recalibrate", "spectrometer", "friday", "nitrile", "gloves"):
        assert word in text, text
    minutes = client.get(f"{API}{meeting.pk}/minutes/").data
    assert "spectrometer" in minutes["transcript"].lower()
    assert [(i["owner"], i["status"]) for i in minutes["action_items"]] == [("Priya Shah", "proposed")], minutes
    assert minutes["action_items"][0]["start"] is not None and minutes["action_items"][0]["due"]
    assert any("nitrile gloves" in d.lower() for d in minutes["decisions"])
    kinds = list(Event.objects.filter(topic=f"meeting:{meeting.pk}").values_list("type", flat=True))
    assert kinds.index("recording.uploaded") < kinds.index("recording.progress") < kinds.index("recording.transcribed")
    assert kinds[-1] == "analysis.done"


def test_files_that_are_not_audio_are_refused_by_content(client_as, make_user):
    client = client_as("member")
    meeting = meeting_with(client.user)
    fake = SimpleUploadedFile("notes.wav", b"this is plain text, not sound" * 10, content_type="audio/wav")
    response = client.post(f"{API}{meeting.pk}/recordings/", {"file": fake}, format="multipart")
    assert response.status_code == 400 and "WAV, MP3" in response.data["detail"]
    broken = SimpleUploadedFile("cut.wav", b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 8, content_type="audio/wav")
    response = client.post(f"{API}{meeting.pk}/recordings/", {"file": broken}, format="multipart")
    assert response.status_code == 400 and response.data["fields"]["file"]
    assert Recording.objects.count() == 0


def test_uploads_over_the_size_limit_are_refused(client_as, clip, settings):
    settings.MEETINGS_MAX_UPLOAD_MB = 0
    client = client_as("member")
    meeting = meeting_with(client.user)
    response = client.post(f"{API}{meeting.pk}/recordings/", {"file": upload(clip)}, format="multipart")
    assert response.status_code == 400 and "at most 0 MB" in response.data["detail"]


def test_a_transcription_that_cannot_run_is_marked_failed_with_its_reason_and_can_be_rerun(
        client_as, clip, settings, tmp_path, django_capture_on_commit_callbacks):
    client = client_as("member")
    meeting = meeting_with(client.user)
    settings.TRANSCRIBE_MODEL_DIR = str(tmp_path / "no-model-here")
    with django_capture_on_commit_callbacks(execute=True):
        recording_id = client.post(f"{API}{meeting.pk}/recordings/", {"file": upload(clip)},
                                   format="multipart").data["id"]
    recording = Recording.objects.get(pk=recording_id)
    assert recording.status == "failed" and "no-model-here" in recording.error
    assert Event.objects.filter(topic=f"meeting:{meeting.pk}", type="recording.failed").exists()
    settings.TRANSCRIBE_MODEL_DIR = ""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}{meeting.pk}/transcribe/", {}, format="json")
    assert response.status_code == 202
    recording.refresh_from_db()
    assert recording.status == "done" and recording.error == "" and recording.segments.exists()


def test_the_page_uploads_a_recording_through_the_same_service(client, make_user, clip,
                                                                django_capture_on_commit_callbacks):
    user = make_user("member")
    meeting = meeting_with(user)
    client.force_login(user)
    refused = client.post(reverse("meetings:upload", args=[meeting.pk]),
                          {"file": io.BytesIO(b"nothing audible")})
    assert refused.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:upload", args=[meeting.pk]), {"file": upload(clip)})
    assert response.status_code == 302
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "spectrometer" in page.lower() and 'class="link seek"' in page
    audio = client.get(reverse("meetings:audio", args=[meeting.recordings.get().pk]), HTTP_RANGE="bytes=0-99")
    assert audio.status_code == 206 and len(audio.content) == 100


def test_the_speech_model_hears_the_meetings_own_names(make_user, tmp_path):
    """Attendee and lab names in the prompt and the corrector get a name tiny.en alone misspells."""
    from datetime import date

    from core.ai import MeetingContext
    from core.ai.whisper import WhisperTranscriber

    path = speak("Thanks Siobhan. Katarzyna will book the cryostat tomorrow, and Tadeusz will check the rotavap.",
                 tmp_path / "names.wav")
    context = MeetingContext(held_on=date(2026, 11, 30), vocabulary=["cryostat", "rotavap"],
                             attendees=["Siobhan Kelly", "Katarzyna Nowak", "Tadeusz Zielinski"])
    text = WhisperTranscriber().transcribe(path, context).text
    for name in ("Siobhan", "Katarzyna", "Tadeusz", "cryostat", "rotavap"):
        assert name in text, text


def test_progress_events_reach_the_meeting_topic_during_the_job(make_user, clip, django_capture_on_commit_callbacks):
    user = make_user("member")
    meeting = meeting_with(user)
    with django_capture_on_commit_callbacks(execute=True):
        recording = services.upload_recording(user, meeting, upload(clip))
    progress = [e.data for e in Event.objects.filter(topic=f"meeting:{meeting.pk}", type="recording.progress")]
    assert progress[0]["status"] == "running" and progress[0]["progress"] == 0.0
    assert all(p["recording"] == recording.pk for p in progress)


def test_a_silent_recording_is_done_with_no_segments_and_no_invented_items(client_as, tmp_path,
                                                                              django_capture_on_commit_callbacks):
    import wave

    path = tmp_path / "silence.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x00\x00" * 32000)
    client = client_as("member")
    meeting = meeting_with(client.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}{meeting.pk}/recordings/", {"file": upload(path, "silence.wav")},
                               format="multipart")
    recording = Recording.objects.get(pk=response.data["id"])
    assert recording.status == "done" and not recording.segments.exists()
    assert client.get(f"{API}{meeting.pk}/minutes/").data["action_items"] == []
