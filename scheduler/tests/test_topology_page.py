"""The topology page: devices as a graph of port links with their booking and power state, live."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.tests.browser import watch_console
from inventory.tests.factories import DeviceTypeFactory
from scheduler import services
from scheduler.power.simulators import RaritanServer
from scheduler.topology_pages import layout, port_links

from .factories import BookingFactory, DeviceFactory, MaintenanceWindowFactory, linked

PORTS = [{"name": f"p{n}"} for n in range(1, 5)]


@pytest.fixture
def lab(db):
    """sw – srv (fibre), sw – panel (patch panel) – radio; a loose scope with no links."""
    kind = DeviceTypeFactory(name="Kit", ports=PORTS)
    d = {name: DeviceFactory(name=name, device_type=kind) for name in ("sw", "srv", "panel", "radio", "scope")}
    linked(d["sw"], "p1", d["srv"], "p1")
    linked(d["sw"], "p2", d["panel"], "p1", "patch_panel")
    linked(d["panel"], "p2", d["radio"], "p1", "patch_panel")
    return d


def test_the_layout_puts_linked_devices_in_columns_by_hops_and_loose_ones_below(lab):
    devices = sorted(lab.values(), key=lambda d: d.name)  # panel, radio, scope, srv, sw
    cells, columns, rows = layout(devices, port_links())
    assert cells[lab["panel"].pk][0] == 0 and cells[lab["radio"].pk][0] == 1 and cells[lab["sw"].pk][0] == 1
    assert cells[lab["srv"].pk][0] == 2
    assert cells[lab["scope"].pk][1] > max(cells[lab[n].pk][1] for n in ("panel", "radio", "sw", "srv"))
    assert len(set(cells.values())) == 5 and columns >= 3 and rows >= 3


def test_each_node_shows_its_booking_and_power_state(client, make_user, lab):
    now = timezone.now()
    BookingFactory(device=lab["srv"], start=now - timedelta(hours=1), end=now + timedelta(hours=1), status="confirmed")
    BookingFactory(device=lab["sw"], start=now - timedelta(hours=1), end=now + timedelta(hours=1), status="pending")
    MaintenanceWindowFactory(device=lab["radio"], start=now - timedelta(hours=1), end=now + timedelta(hours=2))
    operator = make_user("operator")
    pdu = services.create_pdu(operator, name="Strip", driver="raritan", address="http://127.0.0.1:9",
                              username="admin", password="x")
    services.set_outlet(operator, pdu, number=1, device_ids=[lab["srv"].pk])
    client.force_login(make_user("viewer"))
    page = client.get("/scheduler/topology/").content.decode()
    for name, booking, power in [("srv", "booked", "unknown"), ("sw", "free", "none"),
                                 ("radio", "maintenance", "none"), ("scope", "free", "none")]:
        assert f'data-node="{lab[name].pk}" data-booking="{booking}" data-power="{power}"' in page, name
    assert page.count('class="edge link-patch_panel"') == 2 and page.count('class="edge link-fibre"') == 1
    assert f'data-live-topics="scheduler,pdu:{pdu.pk}"' in page


def test_the_graph_costs_the_same_queries_for_few_devices_as_for_many(client, make_user, lab):
    client.force_login(make_user("viewer"))
    with CaptureQueriesContext(connection) as few:
        client.get("/scheduler/topology/graph/")
    kind = DeviceTypeFactory(ports=PORTS)
    for _ in range(6):
        a, b = DeviceFactory(device_type=kind), DeviceFactory(device_type=kind)
        linked(a, "p1", b, "p1")
        BookingFactory(device=a, start=timezone.now() - timedelta(hours=1), end=timezone.now() + timedelta(hours=1),
                       status="confirmed")
    with CaptureQueriesContext(connection) as many:
        client.get("/scheduler/topology/graph/")
    assert len(many) == len(few)


@pytest.mark.browser
def test_a_switch_and_a_booking_change_their_nodes_live_on_a_phone(make_user, login_in_browser, lab):
    sim = RaritanServer(outlets=2)
    try:
        operator = make_user("operator")
        pdu = services.create_pdu(operator, name="Bench strip", driver="raritan", address=sim.url,
                                  username="admin", password="secret")
        services.set_outlet(operator, pdu, number=1, device_ids=[lab["radio"].pk])
        page = login_in_browser(make_user("viewer"))
        page.set_viewport_size({"width": 390, "height": 844})
        errors = watch_console(page)
        page.goto("/scheduler/topology/")
        page.wait_for_selector("#live-status[data-state=live]")
        radio, srv = f"[data-node='{lab['radio'].pk}']", f"[data-node='{lab['srv'].pk}']"
        page.wait_for_selector(f"{radio}[data-power=unknown]")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        services.switch_outlet(operator, pdu, 1, "on")  # another door switches it
        page.wait_for_selector(f"{radio}[data-power=on]")
        member = make_user("member")
        lab["srv"].auto_approve = True
        lab["srv"].save()
        start = timezone.now() - timedelta(minutes=1)
        services.create_booking(member, lab["srv"].pk, start, start + timedelta(hours=1))
        page.wait_for_selector(f"{srv}[data-booking=booked]")
        assert errors == []
    finally:
        sim.close()
