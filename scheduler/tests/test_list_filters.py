"""The booking and device list filters: what they keep, what they refuse, and search."""
import pytest

from .factories import BookingFactory, DeviceFactory, at


@pytest.mark.django_db
def test_bookings_filter_by_me_status_and_overlap_and_search_the_device_name(client_as):
    client = client_as("member")
    mine = BookingFactory(user=client.user, device=DeviceFactory(name="Oscilloscope"), start=at(1, 10),
                          end=at(1, 11), status="confirmed")
    BookingFactory(start=at(1, 10), end=at(1, 11), status="pending")
    BookingFactory(user=client.user, start=at(5, 10), end=at(5, 11), status="pending")

    def ids(**params):
        response = client.get("/api/scheduler/bookings/", params)
        assert response.status_code == 200, response.data
        return [row["id"] for row in response.data["results"]]

    assert ids(user="me", status="confirmed,pending", **{"from": at(1, 9).isoformat(),
                                                          "to": at(1, 12).isoformat()}) == [mine.pk]
    assert ids(search="oscillo") == [mine.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("params, field", [
    ({"user": "someone"}, "user"),
    ({"status": "confirmed,maybe"}, "status"),
    ({"device": "0"}, "device"),
])
def test_a_bad_booking_filter_is_a_400_naming_the_parameter(client_as, params, field):
    response = client_as("viewer").get("/api/scheduler/bookings/", params)
    assert response.status_code == 400 and field in response.data["fields"]


@pytest.mark.django_db
def test_free_devices_need_both_ends_of_the_range(client_as):
    client = client_as("viewer")
    busy, free = DeviceFactory(), DeviceFactory()
    BookingFactory(device=busy, start=at(1, 10), end=at(1, 12), status="confirmed")
    lone = client.get("/api/scheduler/devices/", {"free_from": at(1, 9).isoformat()})
    assert lone.status_code == 400 and lone.data["fields"]["free_to"] == ["Give both free_from and free_to."]
    reversed_ = client.get("/api/scheduler/devices/", {"free_from": at(1, 9).isoformat(),
                                                        "free_to": at(1, 8).isoformat()})
    assert reversed_.status_code == 400 and "free_to" in reversed_.data["fields"]
    response = client.get("/api/scheduler/devices/", {"free_from": at(1, 11).isoformat(),
                                                       "free_to": at(1, 13).isoformat()})
    assert [row["id"] for row in response.data["results"]] == [free.pk]


@pytest.mark.django_db
def test_free_from_with_an_empty_free_to_and_a_bad_type_is_a_400(client_as):
    response = client_as("viewer").get("/api/scheduler/devices/", {"free_from": at(1, 9).isoformat(),
                                                                    "free_to": "", "type": "0"})
    assert response.status_code == 400 and "type" in response.data["fields"]


@pytest.mark.django_db
def test_a_favourite_cannot_be_changed_only_added_and_removed(client_as):
    client = client_as("viewer")
    device = DeviceFactory()
    client.post("/api/scheduler/favourites/", {"device": device.pk})
    assert client.put(f"/api/scheduler/favourites/{device.pk}/", {"device": device.pk}).status_code == 405
    assert client.patch(f"/api/scheduler/favourites/{device.pk}/", {}).status_code == 405
