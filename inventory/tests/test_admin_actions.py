"""Check-out, receive and consume as admin actions: the same services and refusals as the pages and API."""
import pytest

from inventory.models import Checkout, StockMovement

from .factories import AssetFactory, MaterialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_check_out_asks_for_the_holder_then_lends_through_the_service(admin_as, operator, member):
    asset = AssetFactory()
    client = admin_as(operator)
    form = client.post("/admin/inventory/asset/", {"action": "check_out", "_selected_action": [asset.pk]})
    assert form.status_code == 200 and b"expected_return" in form.content
    client.post("/admin/inventory/asset/", {"action": "check_out", "_selected_action": [asset.pk], "apply": "1",
                                            "to_user": member.pk, "expected_return": ""})
    checkout = Checkout.objects.get(asset=asset)
    assert (checkout.to_user, checkout.checked_out_by) == (member, operator)


def test_a_second_check_out_is_refused_with_the_service_message(admin_as, operator, member):
    asset = AssetFactory()
    client = admin_as(operator)
    data = {"action": "check_out", "_selected_action": [asset.pk], "apply": "1", "to_user": member.pk}
    client.post("/admin/inventory/asset/", data)
    page = client.post("/admin/inventory/asset/", data, follow=True).content.decode()
    assert "already checked out" in page
    assert Checkout.objects.filter(asset=asset).count() == 1


def test_receive_then_consume_write_the_ledger(admin_as, operator, shelf):
    material = MaterialFactory()
    client = admin_as(operator)
    client.post("/admin/inventory/material/", {"action": "receive", "_selected_action": [material.pk], "apply": "1",
                                               "quantity": "40", "location": shelf.pk})
    page = client.post("/admin/inventory/material/", {
        "action": "consume", "_selected_action": [material.pk], "apply": "1", "quantity": "55"}, follow=True)
    assert "Only 40 " in page.content.decode() and "cannot consume 55" in page.content.decode()
    client.post("/admin/inventory/material/", {"action": "consume", "_selected_action": [material.pk], "apply": "1",
                                               "quantity": "15"})
    assert [(m.kind, int(m.quantity)) for m in StockMovement.objects.order_by("pk")] == [
        ("receive", 40), ("consume", 15)]
