"""Who may follow the scheduler's websocket topics."""
import pytest

from core import topics

from .factories import DeviceFactory


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "allowed"), [("viewer", True), ("member", True), ("operator", True)])
def test_anyone_with_a_role_follows_the_calendar_and_an_existing_device(make_user, role, allowed):
    user = make_user(role)
    device = DeviceFactory()
    assert topics.may_subscribe(user, "scheduler")[0] is allowed
    assert topics.may_subscribe(user, f"device:{device.pk}")[0] is allowed


@pytest.mark.django_db
def test_unknown_devices_and_arguments_are_refused(make_user):
    user = make_user("operator")
    assert topics.may_subscribe(user, "device:999999")[0] is False
    assert topics.may_subscribe(user, "device:abc")[0] is False
    assert topics.may_subscribe(user, "scheduler:extra")[0] is False
