"""Every role against every staff page of the scheduler and inventory (logged in through the session)."""
import pytest

from core.testing import ROLES

VIEWER_UP = {"anonymous": 302, "viewer": 200, "member": 200, "operator": 200, "admin": 200}
MEMBER_UP = {"anonymous": 302, "viewer": 403, "member": 200, "operator": 200, "admin": 200}
OPERATOR_UP = {"anonymous": 302, "viewer": 403, "member": 403, "operator": 200, "admin": 200}


def _device():
    from scheduler.tests.factories import DeviceFactory

    return DeviceFactory()


def _asset():
    from inventory.tests.factories import AssetFactory

    return AssetFactory()


def _material():
    from inventory.tests.factories import MaterialFactory

    return MaterialFactory()


PAGES = [
    ("/", lambda: "/", {**VIEWER_UP}),
    ("dashboard part", lambda: "/dashboard/live/", {**VIEWER_UP}),
    ("calendar", lambda: "/scheduler/", VIEWER_UP),
    ("calendar day", lambda: "/scheduler/?view=day", VIEWER_UP),
    ("grid", lambda: "/scheduler/grid/?view=day", VIEWER_UP),
    ("device", lambda: f"/scheduler/devices/{_device().pk}/", VIEWER_UP),
    ("booking form", lambda: f"/scheduler/book/?device={_device().pk}", MEMBER_UP),
    ("people search", lambda: "/scheduler/people/?q=ad", MEMBER_UP),
    ("linked devices note", lambda: f"/scheduler/book/linked/?device={_device().pk}", MEMBER_UP),
    ("my bookings", lambda: "/scheduler/mine/", VIEWER_UP),
    ("topology", lambda: "/scheduler/topology/", VIEWER_UP),
    ("topology graph", lambda: "/scheduler/topology/graph/", VIEWER_UP),
    ("queue", lambda: "/scheduler/queue/", OPERATOR_UP),
    ("assets", lambda: "/inventory/", VIEWER_UP),
    ("asset", lambda: f"/inventory/assets/{_asset().pk}/", VIEWER_UP),
    ("my check-outs", lambda: "/inventory/checkouts/mine/", VIEWER_UP),
    ("overdue", lambda: "/inventory/checkouts/overdue/", VIEWER_UP),
    ("materials", lambda: "/inventory/materials/", VIEWER_UP),
    ("material", lambda: f"/inventory/materials/{_material().pk}/", VIEWER_UP),
    ("material part", lambda: f"/inventory/materials/{_material().pk}/part/", VIEWER_UP),
    ("import", lambda: "/inventory/import/", OPERATOR_UP),
    ("labels", lambda: "/inventory/labels/", VIEWER_UP),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expect"), PAGES, ids=[p[0] for p in PAGES])
def test_role_gets_expected_status_on_page(name, url, expect, role, client, make_user):
    if role != "anonymous":
        client.force_login(make_user(role))
    response = client.get(url())
    assert response.status_code == expect[role], f"{role} GET {name}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "member"])
def test_a_request_from_a_role_that_may_not_book_changes_nothing(role, client, make_user):
    from scheduler.models import Booking
    from scheduler.tests.factories import at

    device = _device()
    client.force_login(make_user(role))
    response = client.post("/scheduler/book/", {"device": device.pk, "start": at(1, 10).strftime("%Y-%m-%dT%H:%M"),
                                                "end": at(1, 11).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == (403 if role == "viewer" else 200)
    assert Booking.objects.count() == (0 if role == "viewer" else 1)
