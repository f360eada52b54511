"""Approving and rejecting: through the API, the admin actions and the calendar page."""
import pytest

from core.models import AuditEntry
from scheduler.models import Booking

from .factories import BookingFactory, DeviceFactory, at


def approve(client, booking, **body):
    return client.post(f"/api/scheduler/bookings/{booking.pk}/approve/", body, format="json")


@pytest.fixture
def operator(client_as):
    return client_as("operator")


@pytest.fixture
def admin_client_of(client, make_user):
    """A Django test client logged in with a role (operator by default)."""

    def login(role="operator"):
        client.force_login(make_user(role))
        return client

    return login


@pytest.mark.django_db
def test_an_operator_approves_a_pending_booking(operator):
    booking = BookingFactory()
    response = approve(operator, booking)
    assert response.status_code == 200
    assert (response.data["status"], response.data["decided_by"]) == ("confirmed", operator.user.pk)
    assert AuditEntry.objects.filter(action="booking.approve", object_id=str(booking.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "member"])
def test_only_operators_decide(client_as, role):
    booking = BookingFactory()
    assert approve(client_as(role), booking).status_code == 403
    booking.refresh_from_db()
    assert booking.status == "pending"


@pytest.mark.django_db
def test_approving_over_a_confirmed_booking_is_409_naming_it(operator):
    device = DeviceFactory()
    confirmed = BookingFactory(device=device, start=at(1, 10), end=at(1, 12), status="confirmed")
    other = BookingFactory(device=device, start=at(1, 11), end=at(1, 13), status="conflicting")
    response = approve(operator, other)
    assert response.status_code == 409
    assert f"#{confirmed.pk}" in response.data["detail"]
    other.refresh_from_db()
    assert other.status == "conflicting"


@pytest.mark.django_db
def test_a_decided_booking_cannot_be_decided_again(operator):
    booking = BookingFactory(status="confirmed")
    assert approve(operator, booking).status_code == 409
    assert operator.post(f"/api/scheduler/bookings/{booking.pk}/reject/", {}, format="json").status_code == 409


@pytest.mark.django_db
def test_rejecting_one_side_of_a_conflict_returns_the_other_to_pending(operator):
    device = DeviceFactory()
    a = BookingFactory(device=device, start=at(1, 10), end=at(1, 12), status="conflicting")
    b = BookingFactory(device=device, start=at(1, 11), end=at(1, 13), status="conflicting")
    response = operator.post(f"/api/scheduler/bookings/{a.pk}/reject/", {"reason": "double"}, format="json")
    assert (response.data["status"], response.data["reason"]) == ("rejected", "double")
    b.refresh_from_db()
    assert b.status == "pending"


@pytest.mark.django_db
def test_bulk_decide_reports_each_outcome(operator):
    device = DeviceFactory()
    a = BookingFactory(device=device, start=at(1, 10), end=at(1, 12), status="conflicting")
    b = BookingFactory(device=device, start=at(1, 11), end=at(1, 13), status="conflicting")
    c = BookingFactory(start=at(2, 10), end=at(2, 11))
    response = operator.post("/api/scheduler/bookings/bulk-decide/",
                             {"ids": [a.pk, b.pk, c.pk, 999999], "decision": "approve"}, format="json")
    outcome = {r["id"]: r["ok"] for r in response.data["results"]}
    assert outcome == {a.pk: True, b.pk: False, c.pk: True, 999999: False}
    assert Booking.objects.filter(device=device, status="confirmed").count() == 1


@pytest.mark.django_db
def test_the_admin_action_approves_through_the_same_rule(admin_client_of):
    client = admin_client_of()
    device = DeviceFactory()
    a = BookingFactory(device=device, start=at(1, 10), end=at(1, 12), status="conflicting")
    b = BookingFactory(device=device, start=at(1, 11), end=at(1, 13), status="conflicting")
    response = client.post("/admin/scheduler/booking/", {"action": "approve_selected",
                                                        "_selected_action": [a.pk, b.pk]}, follow=True)
    assert response.status_code == 200
    statuses = sorted(Booking.objects.values_list("status", flat=True))
    assert statuses == ["confirmed", "conflicting"]
    assert any("already confirmed" in str(m) for m in response.context["messages"])


@pytest.mark.django_db
def test_the_admin_action_rejects(admin_client_of):
    client = admin_client_of()
    booking = BookingFactory()
    client.post("/admin/scheduler/booking/", {"action": "reject_selected", "_selected_action": [booking.pk]})
    booking.refresh_from_db()
    assert booking.status == "rejected"


@pytest.mark.django_db
def test_the_calendar_page_approves_and_shows_a_refusal(client, make_user):
    client.force_login(make_user("operator"))
    device = DeviceFactory()
    a = BookingFactory(device=device, start=at(1, 10), end=at(1, 12), status="conflicting")
    b = BookingFactory(device=device, start=at(1, 11), end=at(1, 13), status="conflicting")
    week = at(1).date().isoformat()
    ok = client.post(f"/scheduler/bookings/{a.pk}/approve/?week={week}", HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and 'data-status="confirmed"' in ok.content.decode()
    refused = client.post(f"/scheduler/bookings/{b.pk}/approve/?week={week}", HTTP_HX_REQUEST="true")
    assert 'role="alert"' in refused.content.decode()
    b.refresh_from_db()
    assert b.status == "conflicting"


@pytest.mark.django_db
def test_a_member_cannot_approve_from_the_page(client, make_user):
    client.force_login(make_user("member"))
    booking = BookingFactory()
    client.post(f"/scheduler/bookings/{booking.pk}/approve/", HTTP_HX_REQUEST="true")
    booking.refresh_from_db()
    assert booking.status == "pending"
