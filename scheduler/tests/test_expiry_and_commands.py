"""Expiry runs on a schedule or by command, never on read; devices import from CSV."""
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEntry
from scheduler import services, tasks
from scheduler.models import Booking, Device

from .factories import BookingFactory, at


def past_undecided():
    return [BookingFactory(start=at(-2, 10), end=at(-2, 12), status="pending"),
            BookingFactory(start=at(-1, 10), end=at(-1, 12), status="conflicting")]


@pytest.mark.django_db
def test_reading_the_list_expires_nothing(client_as):
    past_undecided()
    client_as("member").get("/api/scheduler/bookings/")
    assert not Booking.objects.filter(status="expired").exists()


@pytest.mark.django_db
def test_the_command_expires_undecided_bookings_that_have_ended(capsys):
    old = past_undecided()
    confirmed = BookingFactory(start=at(-1, 13), end=at(-1, 14), status="confirmed")
    future = BookingFactory(start=at(1, 10), end=at(1, 12))
    call_command("expire_bookings")
    assert "Expired 2 booking(s)" in capsys.readouterr().out
    assert set(Booking.objects.filter(status="expired").values_list("pk", flat=True)) == {b.pk for b in old}
    confirmed.refresh_from_db(), future.refresh_from_db()
    assert (confirmed.status, future.status) == ("confirmed", "pending")
    assert AuditEntry.objects.filter(action="booking.expire", actor_kind="system").count() == 2


@pytest.mark.django_db
def test_the_beat_task_expires_the_same_way():
    past_undecided()
    assert tasks.expire_bookings.delay().get() == 2
    assert tasks.expire_bookings.delay().get() == 0


@pytest.mark.django_db
def test_reminders_are_queued_once_for_confirmed_bookings_starting_soon(settings, mailoutbox,
                                                                        django_capture_on_commit_callbacks):
    from django.utils import timezone

    settings.SCHEDULER_REMINDER_MINUTES = 30
    soon = timezone.now() + timedelta(minutes=20)
    booking = BookingFactory(start=soon, end=soon + timedelta(hours=1), status="confirmed")
    BookingFactory(start=soon, end=soon + timedelta(hours=1), status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders.delay().get() == 1
    assert tasks.send_reminders.delay().get() == 0
    assert [m.to for m in mailoutbox] == [[booking.user.email]]
    assert mailoutbox[0].subject.startswith("Starting soon")


@pytest.fixture
def operator_user(make_user):
    return make_user("operator", username="importer")


@pytest.mark.django_db
def test_import_devices_creates_and_updates(tmp_path, operator_user):
    path = tmp_path / "devices.csv"
    path.write_text("name,status,max_holders,max_minutes,auto_approve\n"
                    "Scope 1,available,1,120,true\nScope 2,maintenance,,,no\n")
    call_command("import_devices", str(path), "--as", "importer")
    assert Device.objects.get(name="Scope 1").max_holders == 1
    assert Device.objects.get(name="Scope 2").status == "maintenance"
    path.write_text("name,max_holders\nScope 1,3\n")
    call_command("import_devices", str(path), "--as", "importer")
    assert Device.objects.get(name="Scope 1").max_holders == 3
    assert AuditEntry.objects.filter(action="device.update").exists()


@pytest.mark.django_db
def test_a_bad_row_imports_nothing_and_names_the_line(tmp_path, operator_user):
    path = tmp_path / "devices.csv"
    path.write_text("name,max_holders\nGood,2\nBad,two\n")
    with pytest.raises(CommandError, match="line 3: max_holders must be a whole number"):
        call_command("import_devices", str(path), "--as", "importer")
    assert not Device.objects.exists()


@pytest.mark.django_db
def test_a_value_the_model_refuses_is_reported_by_line_from_the_command_and_by_field_from_the_api(
        tmp_path, operator_user, client_as):
    """The device service checks field values itself, so the command and the API refuse alike."""
    path = tmp_path / "devices.csv"
    path.write_text("name,min_minutes\nGood,5\nNegative,-5\n")
    with pytest.raises(CommandError, match="line 3: min_minutes: Ensure this value is greater than or equal to 0"):
        call_command("import_devices", str(path), "--as", "importer")
    assert not Device.objects.exists()
    response = client_as("operator").post("/api/scheduler/devices/", {"name": "Long", "description": "",
                                                                       "status": "available", "max_holders": 2,
                                                                       "max_minutes": -1}, format="json")
    assert response.status_code == 400
    assert "max_minutes" in response.data["fields"]


@pytest.mark.django_db
def test_import_needs_an_operator(tmp_path, make_user):
    make_user("member", username="plain")
    path = tmp_path / "devices.csv"
    path.write_text("name\nX\n")
    with pytest.raises(CommandError, match="operator"):
        call_command("import_devices", str(path), "--as", "plain")


@pytest.mark.django_db
def test_the_device_import_service_reports_every_bad_row_and_refuses_unknown_columns(operator_user):
    from core.errors import RuleViolation

    with pytest.raises(RuleViolation) as refused:
        services.import_devices(operator_user, "name,max_holders,auto_approve\nA,x,yes\nB,2,maybe\nC,1,no\n")
    assert [(row["line"], row["error"]) for row in refused.value.extra["rows"]] == [
        (2, "max_holders must be a whole number"), (3, "auto_approve must be true or false")]
    with pytest.raises(RuleViolation, match="Unknown column"):
        services.import_devices(operator_user, "name,colour\nA,red\n")
    assert not Device.objects.exists()
    assert services.import_devices(operator_user, b"name\nA\n") == {"created": 1, "updated": 0}
