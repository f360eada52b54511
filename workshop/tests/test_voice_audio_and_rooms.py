"""A spoken clip (espeak-ng) heard by the offline transcriber; a room switched on the real broker."""
import queue
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from equipment import mqttlink
from equipment.models import Job
from workshop.models import VoiceCommand

from .factories import running_job, small_lab

pytestmark = pytest.mark.django_db


def speak(text: str, path) -> bytes:
    """Render ``text`` as a 16 kHz mono WAV with espeak-ng and sox."""
    raw, wav = path / "raw.wav", path / "clip.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(raw), text], check=True, capture_output=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", str(wav)], check=True, capture_output=True)
    return wav.read_bytes()


@pytest.mark.skipif(not shutil.which("espeak-ng") or not shutil.which("sox"), reason="needs espeak-ng and sox")
def test_a_spoken_clip_round_trips_into_the_command(client_as, make_user, tmp_path):
    operator = make_user("operator")
    lab = small_lab(operator)
    job = running_job(lab["printer2"], operator)
    clip = SimpleUploadedFile("command.wav", speak("pause printer two", tmp_path), content_type="audio/wav")
    response = client_as("operator", operator).post("/api/voice/commands/", {"file": clip}, format="multipart")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["spoken"] and body["intent"] == "pause_job" and body["slots"] == {"machine": "Printer 2"}
    job.refresh_from_db()
    assert job.status == Job.Status.PAUSED


def test_a_file_that_is_not_audio_is_refused(client_as):
    clip = SimpleUploadedFile("command.wav", b"not a recording at all", content_type="audio/wav")
    response = client_as("member").post("/api/voice/commands/", {"file": clip}, format="multipart")
    assert response.status_code == 400 and "audio" in response.json()["detail"].lower()


@pytest.mark.full("mqtt")
def test_turn_off_the_laser_room_lights_reaches_the_device(client_as, make_user, settings):
    operator = make_user("operator")
    lab = small_lab(operator)
    got = queue.Queue()
    listener = mqttlink.client(settings.MQTT_URL, "test-light")
    listener.on_message = lambda client, userdata, message: got.put((message.topic, message.payload.decode()))
    listener.on_connect = lambda client, *args: client.subscribe(f"cmnd/{lab['light'].topic}/#", qos=1)
    mqttlink.connect(listener)
    try:
        import time

        deadline = time.monotonic() + 3
        while not listener.is_connected() and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)  # the subscription is in place before the command goes out
        response = client_as("operator", operator).post("/api/voice/commands/",
                                                        {"text": "turn off the laser room lights"}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["answer"] == "Turned off 1 light in Laser room."
        assert got.get(timeout=3) == (f"cmnd/{lab['light'].topic}/POWER", "OFF")
    finally:
        listener.disconnect()
        listener.loop_stop()


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="needs espeak-ng")
def test_the_answer_is_spoken_back_to_its_speaker_only(client_as, make_user):
    member = make_user("member")
    client = client_as("member", member)
    command = client.post("/api/voice/commands/", {"text": "make me a sandwich"}, format="json").json()
    response = client.get(f"/api/voice/commands/{command['id']}/speech/")
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert response.content[:4] == b"RIFF" and len(response.content) > 10000
    other = client_as("member", make_user("member"))
    assert other.get(f"/api/voice/commands/{command['id']}/speech/").status_code == 404


@pytest.mark.skipif(not shutil.which("sox"), reason="needs sox")
def test_a_silent_clip_is_refused_in_words_and_nothing_runs(client_as, make_user, tmp_path):
    operator = make_user("operator")
    small_lab(operator)
    silence = tmp_path / "silence.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(silence), "trim", "0", "2"], check=True)
    clip = SimpleUploadedFile("command.wav", silence.read_bytes(), content_type="audio/wav")
    response = client_as("operator", operator).post("/api/voice/commands/", {"file": clip}, format="multipart")
    assert response.status_code == 400, response.json()
    assert "no words" in response.json()["detail"].lower() and response.json()["fields"] == {"file": ["silent"]}
    assert not VoiceCommand.objects.exists()
