"""Access rows for every meetings endpoint (see core.testing)."""
from core.testing import Row, allowed_from

from .factories import ActionItemFactory, MeetingFactory, meeting_with

B = "/api/meetings/"
NO_ONE_BUT_STAFF = {"anonymous": 401, "viewer": 404, "member": 404, "operator": 200, "admin": 200}


def _mine(suffix=""):
    def url(user):
        return f"{B}meetings/{meeting_with(user).pk}/{suffix}"
    url.__name__ = f"own_meeting_{suffix.strip('/') or 'detail'}"
    return url


def _others(user):
    return f"{B}meetings/{MeetingFactory().pk}/"


def _deleted(user):
    from django.utils import timezone

    return f"{B}meetings/{meeting_with(user, deleted_at=timezone.now()).pk}/restore/"


def _proposal(suffix):
    def url(user):
        item = ActionItemFactory(meeting=meeting_with(user), status="proposed")
        return f"{B}action-items/{item.pk}/{suffix}"
    url.__name__ = f"proposal_{suffix.strip('/') or 'detail'}"
    return url


def _new_item(user):
    return {"meeting": meeting_with(user).pk, "task": "Clean the fume hood", "owner_name": "Priya"}


def _new_meeting(user):
    return {"title": "Safety walk", "starts_at": "2026-12-01T10:00:00Z", "kind": "safety"}


member_write = allowed_from("member")

ACCESS = [
    Row("GET", f"{B}meetings/", allowed_from("viewer")),
    Row("POST", f"{B}meetings/", allowed_from("member", ok=201), body=_new_meeting),
    Row("GET", _mine(), allowed_from("viewer")),
    Row("GET", _others, NO_ONE_BUT_STAFF, name="GET someone else's meeting"),
    Row("PATCH", _mine(), member_write, body={"notes": "Pump is noisy."}),
    Row("DELETE", _mine(), allowed_from("member", ok=204)),
    Row("POST", _deleted, member_write),
    Row("POST", _mine("status/"), member_write, body={"status": "published"}),
    Row("GET", _mine("versions/"), allowed_from("viewer")),
    Row("GET", lambda user: _mine()(user) + "diff/?a=1&b=1", allowed_from("viewer", ok=404),
        name="GET diff of missing versions"),
    Row("GET", _mine("comments/"), allowed_from("viewer")),
    Row("POST", _mine("comments/"), allowed_from("member", ok=201), body={"body": "Looks good"}),
    Row("GET", _mine("recordings/"), allowed_from("viewer")),
    Row("POST", _mine("recordings/"), allowed_from("member", ok=400), name="POST recordings without a file"),
    Row("POST", _mine("transcribe/"), allowed_from("member", ok=404), name="POST transcribe with no recording"),
    Row("POST", _mine("analyze/"), allowed_from("member", ok=409), name="POST analyze with nothing said"),
    Row("GET", _mine("minutes/"), allowed_from("viewer")),
    Row("GET", _mine("segments/"), allowed_from("viewer")),
    Row("GET", f"{B}action-items/", allowed_from("viewer")),
    Row("GET", f"{B}action-items/?overdue=true", allowed_from("viewer")),
    Row("POST", f"{B}action-items/", allowed_from("member", ok=201), body=_new_item),
    Row("PATCH", _proposal(""), member_write, body={"priority": "high"}),
    Row("POST", _proposal("accept/"), member_write, body={"task": "Recalibrate the spectrometer"}),
    Row("POST", _proposal("status/"), member_write, body={"status": "dropped"}),
    Row("POST", _proposal("convert-to-task/"), allowed_from("member", ok=409), body={},
        name="POST convert-to-task of a proposal"),
    Row("GET", f"{B}search/?q=gloves", allowed_from("viewer")),
    Row("GET", f"{B}analytics/", allowed_from("viewer")),
]
