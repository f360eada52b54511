"""Links between ports, the topology resolver over real availability, and booking a candidate as a group."""
import pytest
from django.db import IntegrityError, transaction

from accounts.tests.factories import UserFactory
from core.errors import Conflict, RuleViolation
from inventory.tests.factories import DeviceTypeFactory
from scheduler import topology
from scheduler.models import Booking, LinkEnd
from scheduler.services.topology import create_link

from .factories import BookingFactory, DeviceFactory, MaintenanceWindowFactory, at, linked

PORTS = [{"name": f"p{n}", "kind": "lc"} for n in range(1, 5)]
B = "/api/scheduler/"


@pytest.fixture
def lab(db):
    """Two switches, two servers and a patch panel: srv1–sw1 direct, srv2–panel–sw2."""
    switch = DeviceTypeFactory(name="Switch", ports=PORTS)
    server = DeviceTypeFactory(name="Server", ports=PORTS)
    panel = DeviceTypeFactory(name="Panel", ports=PORTS)
    d = {name: DeviceFactory(name=name, device_type=kind) for name, kind in
         [("sw1", switch), ("sw2", switch), ("srv1", server), ("srv2", server), ("panel", panel)]}
    linked(d["srv1"], "p1", d["sw1"], "p1")
    linked(d["srv2"], "p1", d["panel"], "p1", "patch_panel")
    linked(d["panel"], "p2", d["sw2"], "p1", "patch_panel")
    return d


def spec(link_types=()):
    return {"nodes": [{"id": "switch", "type": "Switch"}, {"id": "server", "type": "Server"}],
            "edges": [{"from": "switch", "to": "server", "link_types": list(link_types)}]}


def test_edge_scores_follow_the_hops():
    assert [topology.edge_score(h) for h in (1, 2, 3, None)] == [1.0, 0.8, 0.6, 0.3]


@pytest.mark.django_db
def test_the_direct_pair_wins_and_a_booked_server_is_a_reported_clash(lab):
    best = topology.resolve(spec(), at(2, 10), at(2, 12))["candidates"][0]
    assert {n: v["device_name"] for n, v in best["nodes"].items()} == {"switch": "sw1", "server": "srv1"}
    assert best["score"] == 1.0 and best["edges"][0]["hops"] == 1
    booking = BookingFactory(device=lab["srv1"], start=at(2, 11), end=at(2, 13), status=Booking.Status.CONFIRMED)
    answer = topology.resolve(spec(), at(2, 10), at(2, 12))
    best = answer["candidates"][0]
    assert best["nodes"]["server"]["device_name"] == "srv2" and best["nodes"]["switch"]["device_name"] == "sw2"
    assert best["edges"][0]["hops"] == 2 and best["through"] == [lab["panel"].pk]
    assert best["score"] == round(0.7 + 0.3 * 0.8, 4)
    clash = answer["clashes"][0]
    assert (clash["device"], clash["reason"], clash["booking"]) == (lab["srv1"].pk, "booking", booking.pk)


@pytest.mark.django_db
def test_maintenance_on_the_panel_cuts_the_path(lab):
    BookingFactory(device=lab["srv1"], start=at(2, 9), end=at(2, 13))
    MaintenanceWindowFactory(device=lab["panel"], start=at(2, 8), end=at(2, 18))
    best = topology.resolve(spec(), at(2, 10), at(2, 12))["candidates"][0]
    assert best["edges"][0]["hops"] is None and best["score"] == round(0.7 + 0.3 * 0.3, 4)


@pytest.mark.django_db
def test_allowed_link_types_limit_the_paths(lab):
    answer = topology.resolve(spec(["patch_panel"]), at(2, 10), at(2, 12), strategy="fewest_hops")
    assert answer["candidates"][0]["nodes"]["server"]["device_name"] == "srv2"


@pytest.mark.django_db
def test_a_port_takes_one_link_in_the_service_and_the_database(lab):
    operator = UserFactory(role="operator")
    with pytest.raises(Conflict, match="already has link"):
        create_link(operator, lab["sw1"], "p1", lab["sw2"], "p4", link_type="fibre")
    with pytest.raises(RuleViolation, match="no port 'eth9'"):
        create_link(operator, lab["sw1"], "eth9", lab["sw2"], "p4", link_type="fibre")
    link = create_link(operator, lab["sw1"], "p2", lab["sw2"], "p2", link_type="copper")
    with pytest.raises(IntegrityError), transaction.atomic():
        LinkEnd.objects.create(link=link, device=lab["sw1"], port="p2")


@pytest.mark.django_db
def test_links_through_the_api(client_as, lab):
    operator = client_as("operator")
    body = {"a_device": lab["sw1"].pk, "a_port": "p3", "b_device": lab["srv2"].pk, "b_port": "p3",
            "link_type": "copper"}
    created = operator.post(f"{B}links/", body, format="json")
    assert created.status_code == 201, created.data
    again = operator.post(f"{B}links/", body, format="json")
    assert again.status_code == 409 and "already has link" in again.data["detail"]
    assert len(client_as("viewer").get(f"{B}links/?device={lab['srv2'].pk}").data["results"]) == 2


@pytest.mark.django_db
def test_resolve_and_book_a_candidate_as_one_group_through_the_api(client_as, lab):
    BookingFactory(device=lab["srv1"], start=at(2, 9), end=at(2, 13), status=Booking.Status.CONFIRMED)
    member = client_as("member")
    body = {**spec(), "start": at(2, 10).isoformat(), "end": at(2, 12).isoformat()}
    resolved = member.post(f"{B}topology/resolve/", body, format="json")
    assert resolved.status_code == 200 and resolved.data["candidates"][0]["devices"] == sorted(
        [lab["sw2"].pk, lab["srv2"].pk, lab["panel"].pk])
    booked = member.post(f"{B}topology/book/", {**body, "candidate": 0}, format="json")
    assert booked.status_code == 201, booked.data
    assert sorted(b["device"] for b in booked.data["bookings"]) == resolved.data["candidates"][0]["devices"]
    assert booked.data["group_id"]
    # The panel is now held: asking again finds no path through it, and the clash says why.
    again = member.post(f"{B}topology/resolve/", body, format="json").data
    assert {c["device_name"] for c in again["clashes"]} >= {"srv1", "srv2", "sw2"}


@pytest.mark.django_db
def test_bad_topologies_get_a_400_naming_what_to_fix(client_as, lab):
    member = client_as("member")
    window = {"start": at(2, 10).isoformat(), "end": at(2, 12).isoformat()}
    bad_type = member.post(f"{B}topology/resolve/", {"nodes": [{"id": "a", "type": "Toaster"}], **window},
                           format="json")
    assert bad_type.status_code == 400 and "Toaster" in bad_type.data["detail"]
    bad_edge = member.post(f"{B}topology/resolve/", {**spec(), "edges": [{"from": "switch", "to": "x"}], **window},
                           format="json")
    assert bad_edge.status_code == 400 and "edges" in bad_edge.data["fields"]
    reversed_window = member.post(f"{B}topology/resolve/", {**spec(), "start": window["end"],
                                                            "end": window["start"]}, format="json")
    assert reversed_window.status_code == 400


@pytest.mark.django_db
def test_balanced_prefers_the_less_used_device(lab):
    for day in (3, 4, 5):
        BookingFactory(device=lab["sw1"], start=at(day, 8), end=at(day, 18))
    flat = {"nodes": [{"id": "switch", "type": "Switch"}]}
    assert topology.resolve(flat, at(2, 10), at(2, 12), strategy="greedy")["candidates"][0]["nodes"]["switch"][
        "device_name"] == "sw1"
    assert topology.resolve(flat, at(2, 10), at(2, 12), strategy="balanced")["candidates"][0]["nodes"]["switch"][
        "device_name"] == "sw2"
