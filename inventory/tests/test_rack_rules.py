"""Rack and tree rules hold when the parent changes: the location's kind and height, the device type's height."""
import pytest

from core.errors import Conflict
from inventory import services
from inventory.models import Asset, DeviceType, Location

from .admin_forms import change_form_data
from .factories import DeviceTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rack(operator):
    return services.create_location(operator, name="Rack 1", kind="rack", rack_units=42)


def _racked(operator, rack, position, height=1, name="srv"):
    return services.create_asset(operator, name=name, device_type=DeviceTypeFactory(rack_units=height),
                                 location=rack, rack_position=position)


# --- a location's kind --------------------------------------------------------------------------

def test_a_room_holding_a_rack_cannot_become_a_bin(operator):
    room = services.create_location(operator, name="Lab", kind="room")
    services.create_location(operator, name="Rack 1", kind="rack", parent=room)
    with pytest.raises(Conflict) as caught:
        services.update_location(operator, room, kind="bin")
    assert caught.value.detail == "Lab cannot be a bin: it holds Rack 1, a rack. Move that out first."
    room.refresh_from_db()
    assert room.kind == "room"


def test_a_kind_that_still_fits_the_children_is_accepted(operator):
    site = services.create_location(operator, name="Campus", kind="site")
    services.create_location(operator, name="Shelf", kind="shelf", parent=site)
    assert services.update_location(operator, site, kind="room").kind == "room"


def test_the_api_refuses_the_kind_change_with_409(client_as, operator):
    room = services.create_location(operator, name="Lab", kind="room")
    services.create_location(operator, name="Shelf", kind="shelf", parent=room)
    response = client_as("operator").patch(f"/api/inventory/locations/{room.pk}/", {"kind": "bin"}, format="json")
    assert response.status_code == 409
    assert "holds Shelf, a shelf" in response.data["detail"]
    assert Location.objects.get(pk=room.pk).kind == "room"


def test_a_rack_with_racked_assets_cannot_become_a_shelf(operator, rack):
    asset = _racked(operator, rack, 10)
    with pytest.raises(Conflict) as caught:
        services.update_location(operator, rack, kind="shelf")
    assert f"Making Rack 1 a shelf would leave {asset} out of place" in caught.value.detail
    rack.refresh_from_db()
    assert (rack.kind, rack.rack_units) == ("rack", 42)


# --- a rack's height ----------------------------------------------------------------------------

def test_a_rack_cannot_shrink_below_an_asset(operator, rack):
    _racked(operator, rack, 40, height=2)
    with pytest.raises(Conflict) as caught:
        services.update_location(operator, rack, rack_units=10)
    assert "has units 1-10; a 2U device at U40 does not fit" in caught.value.detail
    rack.refresh_from_db()
    assert rack.rack_units == 42


def test_a_rack_may_shrink_to_just_above_its_assets(operator, rack):
    _racked(operator, rack, 40, height=2)
    assert services.update_location(operator, rack, rack_units=41).rack_units == 41


def test_the_admin_refuses_the_shrink_with_the_services_message(client, operator, rack):
    _racked(operator, rack, 40, height=2)
    client.force_login(operator)
    url = f"/admin/inventory/location/{rack.pk}/change/"
    data = change_form_data(client.get(url))
    data["rack_units"] = 10
    response = client.post(url, data, follow=True)
    text = response.content.decode()
    assert "was changed successfully" not in text
    assert "does not fit" in text
    rack.refresh_from_db()
    assert rack.rack_units == 42


# --- a device type's height ---------------------------------------------------------------------

def test_a_taller_device_type_may_not_overlap_the_asset_above(operator, rack):
    kind = DeviceTypeFactory(rack_units=1)
    low = services.create_asset(operator, name="low", device_type=kind, location=rack, rack_position=1)
    high = _racked(operator, rack, 2, name="high")
    with pytest.raises(Conflict) as caught:
        services.update_catalog_item(operator, kind, rack_units=4)
    assert caught.value.detail.startswith(f"Making {kind} 4U high would leave {low} out of place")
    assert str(high) in caught.value.detail
    assert DeviceType.objects.get(pk=kind.pk).rack_units == 1


def test_a_taller_device_type_may_not_overflow_the_rack(operator):
    small = services.create_location(operator, name="Half rack", kind="rack", rack_units=12)
    kind = DeviceTypeFactory(rack_units=1)
    services.create_asset(operator, name="top", device_type=kind, location=small, rack_position=12)
    with pytest.raises(Conflict):
        services.update_catalog_item(operator, kind, rack_units=2)
    assert DeviceType.objects.get(pk=kind.pk).rack_units == 1


def test_two_assets_of_the_growing_type_may_not_overlap_each_other(operator, rack):
    kind = DeviceTypeFactory(rack_units=1)
    for position in (5, 7):
        services.create_asset(operator, name=f"u{position}", device_type=kind, location=rack, rack_position=position)
    with pytest.raises(Conflict):
        services.update_catalog_item(operator, kind, rack_units=3)
    assert services.update_catalog_item(operator, kind, rack_units=2).rack_units == 2


def test_the_api_and_the_admin_refuse_the_height_change(client_as, client, operator, rack):
    kind = DeviceTypeFactory(rack_units=1)
    services.create_asset(operator, name="low", device_type=kind, location=rack, rack_position=1)
    _racked(operator, rack, 2, name="high")

    response = client_as("operator").patch(f"/api/inventory/device-types/{kind.pk}/", {"rack_units": 2},
                                           format="json")
    assert response.status_code == 409
    assert "out of place" in response.data["detail"]

    client.force_login(operator)
    url = f"/admin/inventory/devicetype/{kind.pk}/change/"
    data = change_form_data(client.get(url))
    data["rack_units"] = 2
    text = client.post(url, data, follow=True).content.decode()
    assert "was changed successfully" not in text
    assert "out of place" in text
    assert DeviceType.objects.get(pk=kind.pk).rack_units == 1
    assert Asset.objects.filter(location=rack).count() == 2
