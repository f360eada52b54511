"""Reserved stock is released (or consumed from) only by naming its reference, and by whoever reserved it.

Operators may release anyone's reservation. Whatever is refused, the stock row's ``allocated``
stays the sum of its ledger rows.
"""
from decimal import Decimal

import pytest
from django.db.models import Sum

from core.errors import Conflict, PermissionDenied
from inventory import services
from inventory.models import StockItem, StockMovement

pytestmark = pytest.mark.django_db
PROJECT_7 = {"reference_type": "projects.project", "reference_id": "7"}
URL = "/api/inventory/materials/"


def _allocated(material) -> Decimal:
    return StockItem.objects.get(material=material).allocated


def _ledger_allocated(material) -> Decimal:
    total = StockMovement.objects.filter(material=material).aggregate(s=Sum("allocated_change"))["s"]
    return Decimal(total or 0).quantize(Decimal("0.001"))


def test_a_projects_reservation_is_not_released_without_naming_the_project(stocked, operator, member):
    material = stocked("10")
    services.allocate_stock(operator, material, "8", **PROJECT_7)
    with pytest.raises(Conflict) as caught:
        services.release_stock(member, material, "8")
    assert "8 g are reserved for a named reference" in caught.value.detail
    assert caught.value.extra["available"] == "0"
    assert _allocated(material) == 8 == _ledger_allocated(material)


def test_a_member_cannot_release_what_someone_else_reserved_even_naming_the_reference(stocked, make_user):
    alice, bob = make_user("member"), make_user("member")
    material = stocked("10")
    services.allocate_stock(alice, material, "6", **PROJECT_7)
    with pytest.raises(PermissionDenied) as caught:
        services.release_stock(bob, material, "6", **PROJECT_7)
    assert "reserved by someone else" in caught.value.detail
    with pytest.raises(PermissionDenied):
        services.release_stock(bob, material, "1", holder=alice, **PROJECT_7)
    assert _allocated(material) == 6 == _ledger_allocated(material)


def test_a_member_releases_their_own_share_and_no_more(stocked, make_user):
    alice, bob = make_user("member"), make_user("member")
    material = stocked("10")
    services.allocate_stock(alice, material, "3", **PROJECT_7)
    services.allocate_stock(bob, material, "4", **PROJECT_7)
    services.release_stock(alice, material, "3", **PROJECT_7)
    with pytest.raises(PermissionDenied):
        services.release_stock(alice, material, "1", **PROJECT_7)
    assert _allocated(material) == 4 == _ledger_allocated(material)


def test_without_a_reference_a_member_releases_only_their_own_unreferenced_stock(stocked, make_user):
    alice, bob = make_user("member"), make_user("member")
    material = stocked("10")
    services.allocate_stock(alice, material, "2")
    services.allocate_stock(bob, material, "5")
    with pytest.raises(PermissionDenied):
        services.release_stock(alice, material, "5")
    services.release_stock(alice, material, "2")
    assert _allocated(material) == 5 == _ledger_allocated(material)


def test_an_operator_releases_anyones_reservation_and_names_whose_when_several_hold_one(stocked, operator,
                                                                                        make_user):
    alice, bob = make_user("member"), make_user("member")
    material = stocked("10")
    services.allocate_stock(alice, material, "3", **PROJECT_7)
    services.allocate_stock(bob, material, "4", **PROJECT_7)
    with pytest.raises(Conflict) as caught:
        services.release_stock(operator, material, "3", **PROJECT_7)
    assert caught.value.code == "holder_required"
    assert str(alice) in caught.value.detail and str(bob) in caught.value.detail
    movement = services.release_stock(operator, material, "3", holder=alice, **PROJECT_7)
    assert (movement.actor, movement.holder) == (operator, alice)
    # Alice's share is gone, so bob is the only holder left and need not be named.
    assert services.release_stock(operator, material, "4", **PROJECT_7).holder == bob
    assert _allocated(material) == 0 == _ledger_allocated(material)


def test_a_member_cannot_release_again_what_an_operator_already_released_for_them(stocked, operator, make_user):
    alice, bob = make_user("member"), make_user("member")
    material = stocked("10")
    services.allocate_stock(alice, material, "5")
    services.allocate_stock(bob, material, "5")
    services.release_stock(operator, material, "5", holder=alice)
    with pytest.raises(PermissionDenied):
        services.release_stock(alice, material, "5")  # what is left is bob's
    assert _allocated(material) == 5 == _ledger_allocated(material)


def test_consuming_from_allocation_follows_the_same_rule(stocked, operator, make_user):
    alice, bob = make_user("member"), make_user("member")
    material = stocked("10")
    services.allocate_stock(alice, material, "6", **PROJECT_7)
    with pytest.raises(Conflict):
        services.consume_stock(bob, material, "6", from_allocation=True)
    with pytest.raises(PermissionDenied):
        services.consume_stock(bob, material, "6", from_allocation=True, **PROJECT_7)
    services.consume_stock(alice, material, "2", from_allocation=True, **PROJECT_7)
    services.consume_stock(operator, material, "4", from_allocation=True, **PROJECT_7)
    item = StockItem.objects.get(material=material)
    assert (item.quantity, item.allocated) == (4, 0)
    assert _ledger_allocated(material) == 0


def test_the_api_refuses_a_release_of_a_projects_reservation_with_a_message(client_as, stocked, operator):
    material = stocked("10")
    services.allocate_stock(operator, material, "8", **PROJECT_7)
    member = client_as("member")
    blind = member.post(f"{URL}{material.pk}/release/", {"quantity": "8"}, format="json")
    assert blind.status_code == 409
    assert "give its reference_type and reference_id" in blind.data["detail"]
    named = member.post(f"{URL}{material.pk}/release/", {"quantity": "8", **PROJECT_7}, format="json")
    assert named.status_code == 403
    assert named.data["error"] == "not_your_reservation"
    stolen = member.post(f"{URL}{material.pk}/consume/", {"quantity": "8", "from_allocation": True, **PROJECT_7},
                         format="json")
    assert stolen.status_code == 403
    assert _allocated(material) == 8 == _ledger_allocated(material)


def test_an_operator_names_the_holder_through_the_api(client_as, stocked, make_user):
    alice, bob = make_user("member"), make_user("member")
    material = stocked("10")
    services.allocate_stock(alice, material, "3", **PROJECT_7)
    services.allocate_stock(bob, material, "4", **PROJECT_7)
    operator = client_as("operator")
    unnamed = operator.post(f"{URL}{material.pk}/release/", {"quantity": "3", **PROJECT_7}, format="json")
    assert unnamed.status_code == 409
    response = operator.post(f"{URL}{material.pk}/release/", {"quantity": "3", "holder": alice.pk, **PROJECT_7},
                             format="json")
    assert response.status_code == 201
    assert response.data["movements"][0]["holder"] == alice.pk
    assert _allocated(material) == 4 == _ledger_allocated(material)
