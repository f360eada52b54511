"""Port links in the admin: recording, changing and removing a cable go through the topology services."""
import pytest

from core.models import AuditEntry
from inventory.tests.factories import DeviceTypeFactory
from scheduler.models import DeviceLink, LinkEnd

from .factories import DeviceFactory, linked

PORTS = [{"name": f"p{n}"} for n in range(1, 4)]
URL = "/admin/scheduler/devicelink/"


@pytest.fixture
def pair(db):
    kind = DeviceTypeFactory(ports=PORTS)
    return DeviceFactory(name="Switch A", device_type=kind), DeviceFactory(name="Server B", device_type=kind)


@pytest.fixture
def operator_client(client, make_user):
    client.force_login(make_user("operator", is_staff=True, is_superuser=True))
    return client


def add(client, a, a_port, b, b_port, **extra):
    return client.post(f"{URL}add/", {"a_device": a.pk, "a_port": a_port, "b_device": b.pk, "b_port": b_port,
                                      "link_type": "fibre", "note": "", **extra}, follow=True)


def test_an_operator_records_a_link_through_the_service(operator_client, pair):
    response = add(operator_client, *[pair[0], "p1", pair[1], "p2"], note="rack 3")
    assert response.status_code == 200
    link = DeviceLink.objects.get()
    assert sorted(link.ends.values_list("port", flat=True)) == ["p1", "p2"] and link.note == "rack 3"
    assert AuditEntry.objects.filter(action="link.create", object_id=str(link.pk)).exists()


def test_a_taken_port_is_refused_in_place_and_nothing_is_saved(operator_client, pair):
    existing = linked(pair[0], "p1", pair[1], "p1")
    response = add(operator_client, pair[0], "p1", pair[1], "p3")
    page = response.content.decode()
    assert f"already has link #{existing.pk}" in page
    assert DeviceLink.objects.count() == 1 and LinkEnd.objects.count() == 2


def test_an_unknown_port_is_refused_naming_the_ports(operator_client, pair):
    page = add(operator_client, pair[0], "p9", pair[1], "p1").content.decode()
    assert "has no port" in page and "p1, p2, p3" in page and not DeviceLink.objects.exists()


def test_changing_and_removing_a_link_are_audited(operator_client, pair):
    link = linked(pair[0], "p1", pair[1], "p1")
    operator_client.post(f"{URL}{link.pk}/change/", {"link_type": "copper", "note": "re-patched"})
    link.refresh_from_db()
    assert (link.link_type, link.note) == ("copper", "re-patched")
    assert AuditEntry.objects.get(action="link.update").changes["link_type"] == ["fibre", "copper"]
    operator_client.post(f"{URL}{link.pk}/delete/", {"post": "yes"})
    assert not DeviceLink.objects.exists() and AuditEntry.objects.filter(action="link.delete").exists()
