"""Access rows for every scheduler endpoint (see core.testing)."""
import uuid

from accounts.tests.factories import UserFactory
from core.testing import ROLES, Row, allowed_from

from .factories import BookingFactory, DeviceFactory, MaintenanceWindowFactory, at

B = "/api/scheduler/"


def _device(user=None):
    return DeviceFactory()


def _window_url(user=None):
    window = MaintenanceWindowFactory()
    return f"{B}devices/{window.device_id}/maintenance/{window.pk}/"


def _pending(user=None):
    return BookingFactory(start=at(2, 10), end=at(2, 12))


def own_booking(user):
    """A booking owned by the caller when the caller can hold one, else by someone else."""
    owner = user if user is not None else UserFactory()
    return BookingFactory(user=owner, start=at(2, 10), end=at(2, 12))


def _group(user):
    owner = user if user is not None else UserFactory()
    booking = BookingFactory(user=owner, start=at(2, 10), end=at(2, 12), group_id=uuid.uuid4())
    BookingFactory(user=owner, start=at(2, 10), end=at(2, 12), group_id=booking.group_id)
    return str(booking.group_id)


def member_only(ok=200):
    """Open to members and up; the service lets only the owner act, so every holder of a role gets ``ok``."""
    return allowed_from("member", ok=ok)


def body_booking(user):
    return {"device": _device().pk, "start": at(2, 10).isoformat(), "end": at(2, 12).isoformat()}


def body_series(user):
    return {"device": _device().pk, "start": at(2, 10).isoformat(), "end": at(2, 11).isoformat(),
            "rrule": "FREQ=DAILY;COUNT=2"}


def body_conflicts(user):
    return {"items": [{"device": _device().pk, "start": at(2, 10).isoformat(), "end": at(2, 11).isoformat()}]}


def feed_url(kind):
    def url(user):
        from scheduler import services

        token = services.feed_token(user or UserFactory(role="viewer"))
        return f"{B}ical/{token}/mine.ics" if kind == "user" else f"{B}ical/{token}/devices/{_device().pk}.ics"
    url.__name__ = f"ical_{kind}"
    return url


everyone = {role: 200 for role in ROLES}

ACCESS = [
    Row("GET", f"{B}devices/", allowed_from("viewer")),
    Row("POST", f"{B}devices/", allowed_from("operator", ok=201), body={"name": "New scope"}),
    Row("GET", lambda u: f"{B}devices/{_device().pk}/", allowed_from("viewer"), name="GET device"),
    Row("PATCH", lambda u: f"{B}devices/{_device().pk}/", allowed_from("operator"), body={"max_holders": 3},
        name="PATCH device"),
    Row("DELETE", lambda u: f"{B}devices/{_device().pk}/", allowed_from("operator", ok=204), name="DELETE device"),
    Row("GET", lambda u: f"{B}devices/{_device().pk}/availability/?from={at(1, 0).isoformat().replace('+', '%2B')}"
        f"&to={at(3, 0).isoformat().replace('+', '%2B')}", allowed_from("viewer"), name="GET availability"),
    Row("POST", lambda u: f"{B}devices/{_device().pk}/maintenance/", allowed_from("operator", ok=201),
        body={"start": at(5, 8).isoformat(), "end": at(5, 10).isoformat(), "reason": "service"},
        name="POST maintenance"),
    Row("GET", lambda u: f"{B}devices/{_device().pk}/maintenance/", allowed_from("viewer"), name="GET maintenance"),
    Row("DELETE", _window_url, allowed_from("operator", ok=204), name="DELETE maintenance"),
    Row("GET", f"{B}bookings/", allowed_from("viewer")),
    Row("POST", f"{B}bookings/", allowed_from("member", ok=201), body=body_booking),
    Row("GET", lambda u: f"{B}bookings/{_pending().pk}/", allowed_from("viewer"), name="GET booking"),
    Row("POST", lambda u: f"{B}bookings/{_pending().pk}/approve/", allowed_from("operator"), name="POST approve"),
    Row("POST", lambda u: f"{B}bookings/{_pending().pk}/reject/", allowed_from("operator"), name="POST reject"),
    Row("POST", lambda u: f"{B}bookings/{own_booking(u).pk}/cancel/", member_only(), name="POST cancel own"),
    Row("POST", lambda u: f"{B}bookings/{_pending().pk}/cancel/", allowed_from("member", ok=403),
        name="POST cancel other's"),
    Row("POST", lambda u: f"{B}bookings/{own_booking(u).pk}/extend/", member_only(),
        body={"end": at(2, 13).isoformat()}, name="POST extend own"),
    Row("POST", lambda u: f"{B}bookings/{own_booking(u).pk}/rebook/", member_only(ok=201),
        body={"date": at(9).date().isoformat()}, name="POST rebook own"),
    Row("POST", f"{B}bookings/bulk-decide/", allowed_from("operator"),
        body=lambda u: {"ids": [_pending().pk], "decision": "approve"}),
    Row("POST", lambda u: f"{B}groups/{_group(u)}/cancel/", member_only(), name="POST group cancel"),
    Row("POST", lambda u: f"{B}groups/{_group(u)}/extend/", member_only(), body={"end": at(2, 13).isoformat()},
        name="POST group extend"),
    Row("GET", f"{B}series/", allowed_from("member")),
    Row("POST", f"{B}series/", allowed_from("member", ok=201), body=body_series),
    Row("POST", f"{B}check-conflicts/", allowed_from("viewer"), body=body_conflicts),
    Row("GET", f"{B}favourites/", allowed_from("viewer")),
    Row("POST", f"{B}favourites/", allowed_from("viewer", ok=201), body=lambda u: {"device": _device().pk}),
    Row("GET", f"{B}export.csv", allowed_from("viewer")),
    Row("GET", f"{B}ical/token/", allowed_from("viewer")),
    Row("POST", f"{B}ical/token/", allowed_from("viewer")),
    # Feeds are opened by calendar apps with the token in the URL, not with a login.
    Row("GET", feed_url("user"), everyone),
    Row("GET", feed_url("device"), everyone),
    Row("GET", f"{B}ical/not-a-token/mine.ics", {role: 404 for role in ROLES}),
]


def _pdu_url(suffix=""):
    def url(user=None):
        from .factories import OutletFactory

        outlet = OutletFactory(number=1)
        return f"{B}pdus/{outlet.pdu_id}/{suffix}"
    url.__name__ = f"pdu_{suffix or 'detail'}"
    return url


def body_pdu(user):
    return {"name": f"PDU {uuid.uuid4().hex[:8]}", "driver": "raritan", "address": "http://127.0.0.1:9",
            "password": "x"}


# The PDU in these rows listens nowhere, so whoever passes the role check gets 502 (unreachable).
UNREACHABLE_FOR = {"anonymous": 401, "viewer": 403, "member": 403, "operator": 502, "admin": 502}
ACCESS += [
    Row("GET", f"{B}pdus/", allowed_from("viewer")),
    Row("POST", f"{B}pdus/", allowed_from("operator", ok=201), body=body_pdu),
    Row("GET", _pdu_url(), allowed_from("viewer")),
    Row("PATCH", _pdu_url(), allowed_from("operator"), body={"username": "ops"}, name="PATCH pdu"),
    Row("DELETE", _pdu_url(), allowed_from("operator", ok=204), name="DELETE pdu"),
    Row("POST", _pdu_url("outlets/"), allowed_from("operator"), body={"number": 2, "mode": "scheduled"}),
    Row("POST", _pdu_url("outlets/1/on/"), UNREACHABLE_FOR, body={}),
    Row("POST", _pdu_url("outlets/1/cycle/"), UNREACHABLE_FOR, body={"delay": 0}),
    Row("POST", _pdu_url("status/"), {**UNREACHABLE_FOR, "member": 502}),
]


def _linked_pair(user=None):
    from inventory.tests.factories import DeviceTypeFactory

    kind = DeviceTypeFactory(ports=[{"name": "p1"}, {"name": "p2"}])
    return DeviceFactory(device_type=kind), DeviceFactory(device_type=kind)


def body_link(user):
    a, b = _linked_pair()
    return {"a_device": a.pk, "a_port": "p1", "b_device": b.pk, "b_port": "p1", "link_type": "fibre"}


def _link_url(user=None):
    from .factories import linked

    a, b = _linked_pair()
    return f"{B}links/{linked(a, 'p1', b, 'p2').pk}/"


def body_topology(user):
    from inventory.tests.factories import DeviceTypeFactory

    kind = DeviceTypeFactory()
    DeviceFactory(device_type=kind)
    return {"nodes": [{"id": "a", "type": kind.name}], "start": at(2, 10).isoformat(), "end": at(2, 12).isoformat()}


ACCESS += [
    Row("GET", f"{B}links/", allowed_from("viewer")),
    Row("POST", f"{B}links/", allowed_from("operator", ok=201), body=body_link),
    Row("GET", _link_url, allowed_from("viewer"), name="GET link"),
    Row("DELETE", _link_url, allowed_from("operator", ok=204), name="DELETE link"),
    Row("POST", f"{B}topology/resolve/", allowed_from("viewer"), body=body_topology),
    Row("POST", f"{B}topology/book/", allowed_from("member", ok=201), body=body_topology),
]


def _recommendations_url(user=None):
    from inventory.tests.factories import DeviceTypeFactory

    kind = DeviceTypeFactory()
    DeviceFactory(device_type=kind)
    return f"{B}recommendations/?type={kind.pk}&start=2030-01-02T10:00:00Z&end=2030-01-02T12:00:00Z"


ACCESS += [Row("GET", _recommendations_url, allowed_from("viewer"), name="GET recommendations")]
