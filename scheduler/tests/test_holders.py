"""Cancel, extend, rebook and group actions: who may, and what happens to the others."""
import pytest

from scheduler.models import Booking

from .factories import BookingFactory, DeviceFactory, at


def post(client, path, body=None):
    return client.post(f"/api/scheduler/{path}", body or {}, format="json")


@pytest.mark.django_db
def test_only_the_owner_cancels(client_as, make_user):
    owner, friend = make_user("member"), make_user("member")
    booking = BookingFactory(user=owner)
    booking.collaborators.add(friend)
    assert post(client_as("member", friend), f"bookings/{booking.pk}/cancel/").status_code == 403
    assert post(client_as("operator"), f"bookings/{booking.pk}/cancel/").status_code == 403
    response = post(client_as("member", owner), f"bookings/{booking.pk}/cancel/")
    assert response.data["status"] == "cancelled"


@pytest.mark.django_db
def test_an_owner_demoted_to_viewer_cancels_through_neither_the_api_nor_the_page(client_as, make_user, client):
    owner = make_user("viewer")
    booking = BookingFactory(user=owner, status="confirmed")
    assert post(client_as("viewer", owner), f"bookings/{booking.pk}/cancel/").status_code == 403
    client.force_login(owner)
    page = client.post(f"/scheduler/bookings/{booking.pk}/cancel/", follow=True)
    assert "Only a member or above may cancel bookings." in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == "confirmed"


@pytest.mark.django_db
def test_cancelling_shows_as_cancelled_to_collaborators(client_as, make_user, client):
    owner, friend = make_user("member"), make_user("member")
    booking = BookingFactory(user=owner)
    booking.collaborators.add(friend)
    post(client_as("member", owner), f"bookings/{booking.pk}/cancel/")
    client.force_login(friend)
    seen = client.get("/scheduler/mine/")
    assert "Cancelled" in seen.content.decode()
    from core.models import Event

    assert Event.objects.filter(type="booking.cancelled", topic=f"user:{friend.pk}").exists()


@pytest.mark.django_db
def test_cancelling_returns_a_lone_conflicting_booking_to_pending(client_as, make_user):
    owner = make_user("member")
    device = DeviceFactory()
    mine = BookingFactory(device=device, user=owner, start=at(1, 10), end=at(1, 12), status="confirmed")
    other = BookingFactory(device=device, start=at(1, 11), end=at(1, 13), status="conflicting")
    post(client_as("member", owner), f"bookings/{mine.pk}/cancel/")
    other.refresh_from_db()
    assert other.status == "pending"


@pytest.mark.django_db
def test_a_conflicting_booking_that_still_clashes_stays_conflicting(client_as, make_user):
    owner = make_user("member")
    device = DeviceFactory(max_holders=3)
    mine = BookingFactory(device=device, user=owner, start=at(1, 10), end=at(1, 12))
    other = BookingFactory(device=device, start=at(1, 11), end=at(1, 13), status="conflicting")
    BookingFactory(device=device, start=at(1, 12), end=at(1, 14), status="conflicting")
    post(client_as("member", owner), f"bookings/{mine.pk}/cancel/")
    other.refresh_from_db()
    assert other.status == "conflicting"


@pytest.mark.django_db
def test_owner_or_collaborator_extends_and_a_clash_is_409(client_as, make_user):
    owner, friend = make_user("member"), make_user("member")
    device = DeviceFactory()
    booking = BookingFactory(device=device, user=owner, start=at(1, 10), end=at(1, 12))
    booking.collaborators.add(friend)
    blocker = BookingFactory(device=device, start=at(1, 14), end=at(1, 15))
    assert post(client_as("member"), f"bookings/{booking.pk}/extend/", {"end": at(1, 13).isoformat()}).status_code \
        == 403
    ok = post(client_as("member", friend), f"bookings/{booking.pk}/extend/", {"end": at(1, 13).isoformat()})
    assert ok.status_code == 200 and ok.data["end"].startswith(at(1, 13).isoformat()[:16])
    clash = post(client_as("member", owner), f"bookings/{booking.pk}/extend/", {"end": at(1, 15).isoformat()})
    assert clash.status_code == 409 and f"#{blocker.pk}" in clash.data["detail"]
    earlier = post(client_as("member", owner), f"bookings/{booking.pk}/extend/", {"end": at(1, 11).isoformat()})
    assert earlier.status_code == 400


@pytest.mark.django_db
def test_extending_past_the_policy_is_400(client_as, make_user):
    owner = make_user("member")
    booking = BookingFactory(user=owner, device=DeviceFactory(max_minutes=180), start=at(1, 10), end=at(1, 12))
    response = post(client_as("member", owner), f"bookings/{booking.pk}/extend/", {"end": at(1, 14).isoformat()})
    assert (response.status_code, response.data["rule"]) == (400, "max_length")


@pytest.mark.django_db
def test_rebook_keeps_times_and_lengths_on_the_new_day(client_as, make_user):
    owner = make_user("member")
    client = client_as("member", owner)
    a, b = DeviceFactory(), DeviceFactory()
    created = post(client, "bookings/", {"devices": [a.pk, b.pk], "start": at(1, 9, 30).isoformat(),
                                         "end": at(1, 11).isoformat()})
    first = created.data["bookings"][0]["id"]
    response = post(client, f"bookings/{first}/rebook/", {"date": at(8).date().isoformat()})
    assert response.status_code == 201
    assert sorted(r["device"] for r in response.data) == [a.pk, b.pk]
    assert {r["start"][:16] for r in response.data} == {at(8, 9, 30).isoformat()[:16]}
    assert len({r["group_id"] for r in response.data}) == 1
    assert response.data[0]["group_id"] != created.data["group_id"]


@pytest.mark.django_db
def test_group_cancel_and_extend(client_as, make_user):
    owner = make_user("member")
    client = client_as("member", owner)
    a, b = DeviceFactory(), DeviceFactory()
    gid = post(client, "bookings/", {"devices": [a.pk, b.pk], "start": at(1, 9).isoformat(),
                                     "end": at(1, 11).isoformat()}).data["group_id"]
    extended = post(client, f"groups/{gid}/extend/", {"end": at(1, 12).isoformat()})
    assert extended.status_code == 200 and len(extended.data) == 2
    BookingFactory(device=b, start=at(1, 12), end=at(1, 14))
    assert post(client, f"groups/{gid}/extend/", {"end": at(1, 13).isoformat()}).status_code == 409
    assert Booking.objects.get(group_id=gid, device=a).end == at(1, 12)  # nothing half-done
    assert post(client_as("member"), f"groups/{gid}/cancel/").status_code == 403
    cancelled = post(client, f"groups/{gid}/cancel/")
    assert {b["status"] for b in cancelled.data} == {"cancelled"}
    assert post(client, "groups/00000000-0000-0000-0000-000000000000/cancel/").status_code == 404
