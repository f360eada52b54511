"""The voice page's record button in headless Chromium, its microphone a fake one playing a spoken command."""
import shutil
import subprocess
import wave

import pytest

from equipment.models import Job
from workshop.models import VoiceCommand

from .factories import running_job, small_lab

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not shutil.which("espeak-ng") or not shutil.which("sox"),
                                 reason="needs espeak-ng and sox to speak the command")]

LEAD, TAIL = 0.3, 4.0  # seconds of silence around the words: Chromium loops the file, the tail keeps it to one


@pytest.fixture(scope="module")
def spoken_clip(tmp_path_factory):
    """'pause printer two' as a 16 kHz mono WAV, with silence before and a long silence after."""
    folder = tmp_path_factory.mktemp("voice")
    raw, wav = folder / "raw.wav", folder / "command.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(raw), "pause printer two"], check=True,
                   capture_output=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav), "pad", str(LEAD), str(TAIL)],
                   check=True, capture_output=True)
    return wav


@pytest.fixture
def chromium_extra_args(spoken_clip):
    return ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={spoken_clip}"]


def test_recording_a_command_sends_the_clip_and_the_answer_appears_in_place(make_user, login_in_browser,
                                                                          spoken_clip):
    operator = make_user("operator")
    lab = small_lab(operator)
    job = running_job(lab["printer2"], operator)
    page = login_in_browser(operator)
    page.set_viewport_size({"width": 390, "height": 844})
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/workshop/voice/")
    page.evaluate("window.stayedOnPage = true")  # gone if the form navigated instead of answering in place
    page.click("#record")
    page.wait_for_selector("#record[data-state=recording]")
    with wave.open(str(spoken_clip)) as clip:
        seconds = clip.getnframes() / clip.getframerate() - TAIL
    # A recording lasts as long as the words do: there is no event to wait on while someone speaks.
    page.wait_for_timeout((seconds + 1.0) * 1000)
    page.click("#record")
    page.wait_for_selector("#voice-answer .answer[data-status=done]", timeout=90000)
    assert "paused" in page.locator("#voice-answer .answer").inner_text()
    assert page.evaluate("window.stayedOnPage") is True
    assert "printer 2" in page.locator("#voice-history li").first.inner_text()
    command = VoiceCommand.objects.get(user=operator)
    assert command.spoken and command.intent == "pause_job" and command.slots == {"machine": "Printer 2"}
    job.refresh_from_db()
    assert job.status == Job.Status.PAUSED
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
