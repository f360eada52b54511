"""Working on inventory from its pages in headless Chromium: check out and in, receive and consume, labels."""
import io
from decimal import Decimal

import pytest

from core.tests.browser import watch_console
from inventory import services
from inventory.models import Checkout, StockMovement

from .factories import AssetFactory, LocationFactory, MaterialFactory

pytestmark = pytest.mark.browser


def test_a_member_checks_an_asset_out_and_back_in_from_its_page(make_user, login_in_browser):
    asset = AssetFactory(name="Oscilloscope")
    member = make_user("member")
    page = login_in_browser(member)
    errors = watch_console(page)
    page.goto(f"/inventory/assets/{asset.pk}/")
    page.wait_for_selector("#live-status[data-state=live]")

    page.click("[data-action=check_out] summary")
    page.fill("[data-action=check_out] input[name=expected_return]", "2000-01-01")
    page.click("[data-action=check_out] button[type=submit]")
    refusal = page.wait_for_selector("[data-action=check_out] [data-refusal]")
    assert "in the past" in refusal.inner_text()
    assert not Checkout.objects.exists()

    page.fill("[data-action=check_out] input[name=expected_return]", "")
    page.fill("[data-action=check_out] input[name=notes]", "for the lab course")
    page.click("[data-action=check_out] button[type=submit]")
    page.wait_for_selector("#asset-answer .ok")
    assert member.username in page.inner_text("[data-field=holder]") or str(member) in page.inner_text(
        "[data-field=holder]")
    checkout = Checkout.objects.get(asset=asset)
    assert checkout.to_user == member and checkout.checked_in_at is None

    page.click("[data-action=check_in] summary")
    page.click("[data-action=check_in] button[type=submit]")
    page.wait_for_selector("[data-field=holder]:text-is('no')")
    checkout.refresh_from_db()
    assert checkout.checked_in_by == member
    # The history table lists both changes, newest first.
    assert "asset.check_in" in page.inner_text("table.history")
    assert errors == []


def test_an_operator_receives_and_consumes_stock_and_the_ledger_follows(make_user, login_in_browser):
    shelf = LocationFactory(name="Shelf A", kind="shelf")
    material = MaterialFactory(sku="PLA-1", name="PLA black", unit="g")
    operator = make_user("operator")
    page = login_in_browser(operator)
    errors = watch_console(page)
    page.goto(f"/inventory/materials/{material.pk}/")
    page.wait_for_selector("#live-status[data-state=live]")

    page.click("[data-action=receive] summary")
    page.fill("[data-action=receive] input[name=receive-quantity]", "500")
    page.select_option("[data-action=receive] select[name=receive-location]", str(shelf.pk))
    page.click("[data-action=receive] button[type=submit]")
    page.wait_for_selector("table.ledger [data-kind=receive]")
    assert page.inner_text("[data-field=on-hand]").startswith("500")

    page.click("[data-action=consume] summary")
    page.fill("[data-action=consume] input[name=consume-quantity]", "900")
    page.click("[data-action=consume] button[type=submit]")
    refusal = page.wait_for_selector("[data-action=consume] [data-refusal]")
    assert "500" in refusal.inner_text()  # the service says how much there is

    page.fill("[data-action=consume] input[name=consume-quantity]", "120")
    page.click("[data-action=consume] button[type=submit]")
    page.wait_for_selector("table.ledger [data-kind=consume]")
    assert page.inner_text("[data-field=on-hand]").startswith("380")
    assert [(m.kind, m.quantity) for m in StockMovement.objects.order_by("pk")] == [
        ("receive", Decimal("500")), ("consume", Decimal("120"))]

    # Someone else takes stock through the service: the open page's ledger follows live.
    services.consume_stock(operator, material, "30", location=shelf, reason="elsewhere")
    page.wait_for_selector("[data-field=on-hand]:text-matches('^350')")
    assert errors == []


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_code_on_the_printed_label_sheet_decodes_to_its_page(paper, make_user, login_in_browser, settings,
                                                                    live_site):
    import zxingcpp
    from PIL import Image

    settings.SITE_URL = "https://lab.example.org"
    assets = [AssetFactory(name=f"Power supply with a rather long name {n}") for n in range(7)]
    page = login_in_browser(make_user("viewer"))
    errors = watch_console(page)
    page.goto(f"/inventory/labels/?paper={paper}&assets={','.join(str(a.pk) for a in assets)}")
    page.emulate_media(media="print")
    assert not page.is_visible("header.topbar") and not page.is_visible(".subnav")
    # Print size: 96 CSS px per inch, rendered at twice that, about what a phone camera resolves.
    page.set_viewport_size({"width": 800, "height": 1100})
    shot = page.locator(".sheet").screenshot(scale="device")
    found = {code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))}
    assert found == {f"https://lab.example.org/inventory/assets/{a.pk}/" for a in assets}
    assert errors == []


def test_an_operator_sets_status_on_ticked_assets_and_prints_their_labels(make_user, login_in_browser):
    first, second, untouched = AssetFactory(), AssetFactory(), AssetFactory()
    page = login_in_browser(make_user("operator"))
    errors = watch_console(page)
    page.goto("/inventory/")
    for asset in (first, second):
        page.check(f"#bulk input[name=asset][value='{asset.pk}']")
    page.select_option("#bulk select[name=action]", "status")
    page.select_option("#bulk select[name=status]", "spare")
    page.click("#bulk button[type=submit]")
    page.wait_for_selector(".messages .success")
    statuses = {a.pk: a.status for a in (first, second, untouched) if not a.refresh_from_db()}
    assert statuses == {first.pk: "spare", second.pk: "spare", untouched.pk: "active"}

    for asset in (first, second):
        page.check(f"#bulk input[name=asset][value='{asset.pk}']")
    page.select_option("#bulk select[name=action]", "labels")
    page.click("#bulk button[type=submit]")
    page.wait_for_url("**/inventory/labels/**")
    assert page.locator(".sheet .label").count() == 2
    assert errors == []
