"""The meeting page in headless Chromium: upload a clip, watch the transcription live, accept an item."""
import base64

import pytest

from .factories import AttendeeFactory, meeting_with
from .speech import speak

pytestmark = pytest.mark.browser

UPLOAD = """async ([meeting, clip]) => {
  const csrf = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
  const bytes = Uint8Array.from(atob(clip), c => c.charCodeAt(0));
  const form = new FormData();
  form.append('file', new Blob([bytes], {type: 'audio/wav'}), 'standup.wav');
  const response = await fetch(`/api/meetings/meetings/${meeting}/recordings/`,
    {method: 'POST', credentials: 'same-origin', headers: {'X-CSRFToken': csrf}, body: form});
  return response.status;
}"""


def test_upload_watch_progress_live_and_accept_a_proposed_item(make_user, login_in_browser, tmp_path):
    clip = speak("Good morning. Priya, can you recalibrate the spectrometer by Friday?", tmp_path / "clip.wav")
    user = make_user("member")
    meeting = meeting_with(user, title="Monday standup")
    AttendeeFactory(meeting=meeting, user=None, name="Priya Shah")
    page = login_in_browser(user)
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))  # the site has no icon yet
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"/meetings/{meeting.pk}/")
    page.wait_for_selector("#live-status[data-state=live]")

    # Upload from the page's own session, as another tab would, and watch this page follow it live.
    with open(clip, "rb") as handle:
        encoded = base64.b64encode(handle.read()).decode()
    assert page.evaluate(UPLOAD, [meeting.pk, encoded]) == 201
    page.wait_for_selector("#meeting-feed .type:text('recording.progress')", state="attached")
    page.wait_for_selector(".recording-status:text('Done')", timeout=60000)
    assert page.locator(".recordings progress").first.get_attribute("value") in ("1", "1.0")
    page.wait_for_selector(".transcript .seek", timeout=30000)
    assert "spectrometer" in page.locator(".transcript").inner_text().lower()

    # A timestamp seeks the player.
    page.wait_for_selector(".proposal")
    page.locator(".transcript .seek").last.click()
    start = float(page.locator(".transcript .seek").last.get_attribute("data-start"))
    assert abs(page.evaluate("document.getElementById('player').currentTime") - start) < 0.5

    proposal = page.locator(".proposal").first
    assert "Priya Shah" in proposal.locator("input[name$=owner_name]").input_value()
    proposal.locator("input[name$=-task]").fill("Recalibrate the spectrometer")
    proposal.get_by_role("button", name="Accept").click()
    page.wait_for_selector("#item-table td.item-status:text('Open')")
    assert "Recalibrate the spectrometer" in page.locator("#item-table").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # usable on a phone
    assert errors == []
