"""The stock ledger rules, through the services."""
from decimal import Decimal

import pytest
from django.core import mail
from django.db.models import Sum

from core.errors import Conflict, PermissionDenied, RuleViolation
from core.models import AuditEntry, Event
from inventory import services
from inventory.models import StockItem, StockMovement

from .factories import LocationFactory

pytestmark = pytest.mark.django_db


def item_of(material):
    return StockItem.objects.get(material=material)


def ledger_sum(material):
    return StockMovement.objects.filter(material=material).aggregate(s=Sum("on_hand_change"))["s"]


def test_receive_adds_a_ledger_row_and_on_hand_equals_its_sum(stocked, operator, shelf):
    material = stocked("10")
    services.receive_stock(operator, material, "2.5", location=shelf, reason="delivery 17")
    assert item_of(material).quantity == Decimal("12.5") == ledger_sum(material)
    assert StockMovement.objects.filter(material=material, kind="receive").count() == 2


def test_consume_beyond_available_is_a_conflict_carrying_the_available_quantity(stocked, member):
    material = stocked("3")
    with pytest.raises(Conflict) as caught:
        services.consume_stock(member, material, "4")
    assert caught.value.extra["available"] == "3"
    assert "Only 3 g" in caught.value.detail
    assert item_of(material).quantity == 3


def test_consume_records_who_why_and_the_reference(stocked, member):
    material = stocked("10")
    movement = services.consume_stock(member, material, "4", reason="bracket", reference_type="projects.project",
                                      reference_id=7)
    assert (movement.actor, movement.reason, movement.reference_type, movement.reference_id) == (
        member, "bracket", "projects.project", "7")
    assert movement.on_hand_after == 6


def test_allocation_reserves_without_consuming_and_release_returns_it(stocked, member):
    material = stocked("10")
    services.allocate_stock(member, material, "6", reference_type="projects.project", reference_id="1")
    item = item_of(material)
    assert (item.quantity, item.allocated, item.available) == (10, 6, 4)
    with pytest.raises(Conflict) as caught:
        services.consume_stock(member, material, "5")
    assert caught.value.extra["available"] == "4"
    services.release_stock(member, material, "6", reference_type="projects.project", reference_id="1")
    assert item_of(material).available == 10


def test_release_cannot_exceed_what_the_reference_holds(stocked, member):
    material = stocked("10")
    services.allocate_stock(member, material, "2", reference_type="projects.project", reference_id="1")
    services.allocate_stock(member, material, "5", reference_type="projects.project", reference_id="2")
    with pytest.raises(Conflict) as caught:
        services.release_stock(member, material, "3", reference_type="projects.project", reference_id="1")
    assert caught.value.extra["available"] == "2"


def test_consuming_from_an_allocation_lowers_both_on_hand_and_allocated(stocked, member):
    material = stocked("10")
    services.allocate_stock(member, material, "4", reference_type="projects.project", reference_id="9")
    services.consume_stock(member, material, "3", reference_type="projects.project", reference_id="9",
                           from_allocation=True)
    item = item_of(material)
    assert (item.quantity, item.allocated) == (7, 1)


def test_stocktake_writes_the_difference_and_keeps_the_count(stocked, operator, shelf):
    material = stocked("10")
    movement = services.stocktake(operator, material, "7.5", location=shelf)
    assert (movement.kind, movement.counted, movement.on_hand_change) == ("stocktake", Decimal("7.5"), Decimal("-2.5"))
    assert item_of(material).quantity == Decimal("7.5") == ledger_sum(material)


def test_adjust_needs_a_reason_and_cannot_dip_below_allocated(stocked, operator, member):
    material = stocked("5")
    with pytest.raises(RuleViolation):
        services.adjust_stock(operator, material, "-1", reason="")
    services.allocate_stock(member, material, "4")
    with pytest.raises(Conflict):
        services.adjust_stock(operator, material, "-2", reason="spilt")
    services.adjust_stock(operator, material, "-1", reason="spilt")
    assert item_of(material).quantity == 4


def test_transfer_is_two_rows_in_one_transaction(stocked, operator, shelf):
    material = stocked("10")
    bin_ = LocationFactory(name="Bin 1", kind="bin")
    out, into = services.transfer_stock(operator, material, "4", from_location=shelf, to_location=bin_)
    assert out.transfer_id == into.transfer_id
    assert StockItem.objects.get(material=material, location=shelf).quantity == 6
    assert StockItem.objects.get(material=material, location=bin_).quantity == 4
    assert ledger_sum(material) == 10


def test_a_short_transfer_changes_nothing(stocked, operator, shelf):
    material = stocked("3")
    bin_ = LocationFactory(name="Bin 2", kind="bin")
    with pytest.raises(Conflict):
        services.transfer_stock(operator, material, "4", from_location=shelf, to_location=bin_)
    assert StockMovement.objects.filter(material=material).count() == 1


def test_members_may_not_receive_or_adjust(stocked, member, shelf):
    material = stocked("3")
    with pytest.raises(PermissionDenied):
        services.receive_stock(member, material, "1", location=shelf)
    with pytest.raises(PermissionDenied):
        services.adjust_stock(member, material, "1", reason="found")


def test_bad_quantities_are_rule_violations(stocked, member):
    material = stocked("3")
    for bad in ("0", "-1", "abc", "1.0001", "NaN", "Infinity"):
        with pytest.raises(RuleViolation):
            services.consume_stock(member, material, bad)


def test_falling_below_the_reorder_level_notifies_operators_once(stocked, member, operator,
                                                                   django_capture_on_commit_callbacks):
    material = stocked("10", reorder_level="5")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.consume_stock(member, material, "6")
        services.consume_stock(member, material, "1")
        services.consume_stock(member, material, "1")
    assert Event.objects.filter(type="material.low_stock", topic="inventory").count() == 1
    assert len(mail.outbox) == 1
    assert operator.email in mail.outbox[0].to
    assert "below its reorder level of 5 g" in mail.outbox[0].body


def test_a_low_stock_alert_raised_while_the_mail_server_is_down_is_retried_until_sent(
        stocked, member, operator, monkeypatch, django_capture_on_commit_callbacks, eager_retries):
    from inventory import tasks

    real_send, failures = tasks.send_mail, []

    def flaky_send(*args, **kwargs):
        if not failures:
            failures.append("connection refused")
            raise ConnectionRefusedError("mail server down")
        return real_send(*args, **kwargs)

    monkeypatch.setattr(tasks, "send_mail", flaky_send)
    material = stocked("10", reorder_level="5")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.consume_stock(member, material, "6")
    assert failures == ["connection refused"]
    assert len(mail.outbox) == 1 and "below its reorder level" in mail.outbox[0].body


def test_restocking_re_arms_the_low_stock_alert(stocked, member, operator, shelf):
    material = stocked("10", reorder_level="5")
    services.consume_stock(member, material, "6")
    services.receive_stock(operator, material, "10", location=shelf)
    services.consume_stock(member, material, "12")
    assert Event.objects.filter(type="material.low_stock", topic="inventory").count() == 2
    assert Event.objects.filter(type="material.restocked", topic="inventory").count() == 1


def test_every_movement_is_audited_and_published_on_the_material_topic(stocked, member):
    material = stocked("10")
    services.consume_stock(member, material, "1")
    entry = AuditEntry.objects.filter(action="material.consume").get()
    assert entry.changes["on_hand"] == ["10", "9"]
    assert Event.objects.filter(topic=f"material:{material.pk}", type="stock.consumed").exists()
    assert Event.objects.filter(topic="inventory", type="stock.consumed").exists()


def test_the_database_refuses_a_negative_balance_whatever_the_code(stocked):
    from django.db import IntegrityError, transaction

    material = stocked("1")
    with pytest.raises(IntegrityError), transaction.atomic():
        StockItem.objects.filter(material=material).update(quantity=Decimal("-1"))
