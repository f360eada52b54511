"""What members see: the machine's detail, its pages, its websocket topics, and the live update limit."""
import pytest
from django.utils import timezone

from core import topics
from equipment import services, states
from equipment.gateway.throttle import Throttle
from equipment.models import Job

from .factories import MachineFactory, booked_machine, gcode_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "allowed"), [("viewer", False), ("member", True), ("operator", True)])
def test_members_follow_the_machine_list_and_an_existing_machine(make_user, role, allowed):
    user = make_user(role)
    machine = MachineFactory()
    assert topics.may_subscribe(user, "equipment")[0] is allowed
    assert topics.may_subscribe(user, f"machine:{machine.pk}")[0] is allowed
    assert topics.may_subscribe(user, "machine:999999")[0] is False


def test_the_detail_shows_state_latest_telemetry_and_the_current_job(client_as):
    client = client_as("member")
    machine, _ = booked_machine(client.user)
    services.record_telemetry(machine.pk, [(timezone.now(), {
        "hotend": {"actual": 205.1, "target": 210.0}, "bed": {"actual": 59.8, "target": 60.0},
        "position": {"x": 1.0, "y": 2.0, "z": 0.2}, "progress": 12.5})])
    job = services.upload_job(client.user, machine, gcode_file(10))
    services.start_job(client.user, job)
    data = client.get(f"/api/equipment/machines/{machine.pk}/").data
    assert data["state"] == states.PREPARING
    assert data["telemetry"]["hotend"] == {"actual": 205.1, "target": 210.0}
    assert data["telemetry"]["bed"]["target"] == 60.0 and data["telemetry"]["position"]["z"] == 0.2
    assert data["telemetry"]["progress"] == 12.5
    assert data["current_job"]["id"] == job.pk and data["current_job"]["status"] == Job.Status.RUNNING
    assert "sealed_secrets" not in data


def test_the_pages_are_for_members(client, make_user):
    machine = MachineFactory()
    assert client.get("/equipment/").status_code == 302  # to the login page
    client.force_login(make_user("viewer"))
    assert client.get("/equipment/").status_code == 403
    client.force_login(make_user("member"))
    assert client.get("/equipment/").status_code == 200
    page = client.get(f"/equipment/{machine.pk}/")
    assert page.status_code == 200 and machine.name in page.content.decode()


def test_a_page_refusal_is_shown_in_place_with_its_status(client, make_user):
    machine = MachineFactory(state=states.DISCONNECTED)
    client.force_login(make_user("member"))
    response = client.post(f"/equipment/{machine.pk}/do/connect/")
    assert response.status_code == 403
    assert "only operators may drive it" in response.content.decode()


def test_live_updates_are_let_through_at_most_twice_a_second():
    throttle = Throttle(2.0)
    passed = [throttle.ready(now=100 + n * 0.1) for n in range(20)]  # 20 readings over two seconds
    assert sum(passed) == 4


@pytest.mark.django_db(transaction=True)
def test_a_state_change_while_the_page_is_drawn_is_shown_or_still_comes_live(client, make_user, monkeypatch):
    """The page's live feed starts from a position taken before the state it shows is read.

    Taken after, a change committed in between would be drawn as the older state and skipped as
    already seen by the feed: the page would show ``idle`` while the machine prints.
    """
    import re

    from django.db import transaction

    from core.models import Event
    from equipment import views
    from equipment.services.common import lock_machine, move

    member = make_user("member")
    machine, _ = booked_machine(member, state=states.IDLE)
    taken = views.latest_position

    def changed_then_taken(*topics):
        with transaction.atomic():  # the gateway commits a change just as the page takes the position
            move(lock_machine(machine.pk), states.PREPARING, "a job")
        return taken(*topics)

    monkeypatch.setattr(views, "latest_position", changed_then_taken)
    client.force_login(member)
    page = client.get(f"/equipment/{machine.pk}/").content.decode()
    shown = re.search(r'id="machine-state" class="state" data-state="(\w+)"', page).group(1)
    after = int(re.search(r'data-live-after="(\d+)"', page).group(1))
    change = Event.objects.filter(topic=f"machine:{machine.pk}", type="machine.state").latest("position")
    # Either the page draws the change, or its feed still has it to come.
    assert shown == states.PREPARING or change.position > after
