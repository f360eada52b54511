"""Voice commands through the API and the page: the same services, permissions and confirmations."""
from datetime import timedelta

import pytest
from django.utils import timezone

from equipment.models import Command, Job
from scheduler.models import Booking
from workshop.models import VoiceCommand

from .factories import running_job, small_lab

pytestmark = pytest.mark.django_db

URL = "/api/voice/commands/"


@pytest.fixture
def operator(make_user):
    return make_user("operator")


@pytest.fixture
def lab(operator):
    return small_lab(operator)


def say(client, text):
    return client.post(URL, {"text": text}, format="json")


def test_pause_printer_two_pauses_its_job(client_as, operator, lab):
    job = running_job(lab["printer2"], operator)
    response = say(client_as("operator", operator), "pause printer two")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "done" and "paused" in response.json()["answer"]
    job.refresh_from_db()
    assert job.status == Job.Status.PAUSED
    assert Command.objects.filter(machine=lab["printer2"], name="pause_job").exists()


def test_member_without_a_booking_is_refused_like_on_the_machine_page(client_as, make_user, operator, lab):
    running_job(lab["printer2"], operator)
    member = make_user("member")
    response = say(client_as("member", member), "pause printer two")
    assert response.status_code == 403
    assert "booking" in response.json()["detail"] or "operators" in response.json()["detail"]
    assert Job.objects.get(machine=lab["printer2"]).status == Job.Status.RUNNING
    assert VoiceCommand.objects.get(user=member).status == "refused"


def test_heating_asks_first_and_runs_once_confirmed(client_as, operator, lab):
    client = client_as("operator", operator)
    first = say(client, "set the bed of printer one to 60").json()
    assert first["status"] == "confirm" and first["token"] and "confirm?" in first["answer"]
    assert not Command.objects.filter(name="set_temperature").exists(), "nothing runs before confirmation"
    confirmed = client.post(URL, {"confirm": first["token"]}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "done"
    command = Command.objects.get(name="set_temperature")
    assert command.machine == lab["printer1"] and command.arguments == {"heater": "bed", "target": 60}
    assert client.post(URL, {"confirm": first["token"]}, format="json").status_code == 404, "a token runs once"


def test_someone_else_cannot_confirm_my_command(client_as, make_user, operator, lab):
    token = say(client_as("operator", operator), "cancel printer one").json()["token"]
    other = client_as("operator", make_user("operator"))
    assert other.post(URL, {"confirm": token}, format="json").status_code == 404


def test_a_limit_the_machine_refuses_comes_back_after_confirmation(client_as, operator, lab):
    client = client_as("operator", operator)
    token = say(client, "set the bed of printer one to 180").json()["token"]
    response = client.post(URL, {"confirm": token}, format="json")
    assert response.status_code == 400 and "at most" in response.json()["detail"]


def test_emergency_stop_never_waits(client_as, operator, lab):
    response = say(client_as("operator", operator), "emergency stop printer two")
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert Command.objects.filter(machine=lab["printer2"], name="emergency_stop").exists()


def test_booking_by_voice_goes_through_the_scheduler(client_as, operator, lab):
    response = say(client_as("operator", operator), "book the laser cutter tomorrow at 3 pm for two hours")
    assert response.status_code == 200, response.json()
    booking = Booking.objects.get(device=lab["laser_device"])
    start = timezone.localtime(booking.start, timezone.get_current_timezone())
    assert (start.date() - timezone.localdate()).days == 1 and start.hour == 15
    assert booking.end - booking.start == timedelta(hours=2)


def test_how_much_pla_is_left(client_as, make_user, lab):
    body = say(client_as("member", make_user("member")), "how much PLA is left").json()
    assert body["status"] == "done" and body["answer"].startswith("750 g of PLA")


def test_unclear_commands_do_nothing(client_as, operator, lab):
    body = say(client_as("operator", operator), "make me a sandwich").json()
    assert body["status"] == "unclear" and body["token"] == ""
    body = say(client_as("operator", operator), "book the laser cutter tomorrow").json()
    assert body["status"] == "unclear" and "start time" in body["answer"]
    assert not Booking.objects.exists()


def test_bad_input_says_what_to_send(client_as):
    client = client_as("member")
    assert client.post(URL, {}, format="json").status_code == 400
    response = client.post(URL, {"text": "x" * 600}, format="json")
    assert response.status_code == 400


def test_switching_without_a_broker_is_refused_in_words(client_as, operator, lab, settings):
    settings.MQTT_URL = ""
    response = say(client_as("operator", operator), "turn off the laser room lights")
    assert response.status_code == 409 and "MQTT" in response.json()["detail"]


def test_page_runs_the_same_command_and_confirms_in_place(client, operator, lab):
    client.force_login(operator)
    page = client.post("/workshop/voice/", {"text": "cancel the print on printer one"})
    assert page.status_code == 200 and b"confirm?" in page.content
    running_job(lab["printer1"], operator)
    token = VoiceCommand.objects.get(status="confirm").token
    done = client.post("/workshop/voice/", {"confirm": token})
    assert done.status_code == 200 and b"cancelled" in done.content
    assert Job.objects.get(machine=lab["printer1"]).status == Job.Status.CANCELLED


def test_page_shows_a_refusal_in_place(client, make_user, operator, lab):
    running_job(lab["printer2"], operator)
    client.force_login(make_user("member"))
    page = client.post("/workshop/voice/", {"text": "pause printer two"})
    assert page.status_code == 403 and b'role="alert"' in page.content


def test_history_lists_my_own_commands_newest_first_and_operators_see_everyones(client_as, make_user, operator, lab):
    member = make_user("member")
    mine = client_as("member", member)
    say(mine, "how much PLA is left")
    say(mine, "make me a sandwich")
    say(client_as("operator", operator), "how much PLA is left")
    listed = mine.get(URL).json()["results"]
    assert [c["heard"] for c in listed] == ["make me a sandwich", "how much pla is left"]
    assert {c["user"] for c in listed} == {member.pk} and "token" not in listed[0]
    everyone = client_as("operator", operator).get(URL).json()["results"]
    assert len(everyone) == 3
    only = client_as("operator", operator).get(URL, {"user": member.pk, "status": "unclear"}).json()["results"]
    assert [c["heard"] for c in only] == ["make me a sandwich"]
    assert mine.get(URL, {"user": operator.pk}).json()["results"] == [], "a member sees no one else's"


def test_history_refuses_a_bad_filter_in_words(client_as):
    response = client_as("member").get(URL, {"since": "yesterday"})
    assert response.status_code == 400 and "since" in response.json()["fields"]


def test_page_history_shows_the_same_commands_as_the_api(client, client_as, make_user, lab):
    member = make_user("member")
    say(client_as("member", member), "how much PLA is left")
    say(client_as("member", make_user("member")), "make me a sandwich")
    client.force_login(member)
    page = client.get("/workshop/voice/").content.decode()
    assert "“how much pla is left”" in page and "sandwich" not in page
