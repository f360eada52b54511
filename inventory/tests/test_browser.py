"""The material list and the scan page in headless Chromium."""
import pytest

from inventory import services

from .factories import LocationFactory, MaterialFactory

pytestmark = pytest.mark.browser


def test_low_stock_is_highlighted_and_a_typed_code_opens_the_material(make_user, login_in_browser):
    operator = make_user("operator")
    material = MaterialFactory(sku="RESIN-7", name="Grey resin", unit="ml", reorder_level="500")
    services.receive_stock(operator, material, "120", location=LocationFactory(kind="shelf"))
    page = login_in_browser(operator)

    page.goto("/inventory/materials/")
    row = page.locator("tr[data-sku='RESIN-7']")
    assert "low-stock" in row.get_attribute("class")

    page.goto("/inventory/scan/")
    page.fill("#code", "resin-7")
    page.press("#code", "Enter")
    page.wait_for_url(f"**/inventory/materials/{material.pk}/")
    assert "Grey resin" in page.inner_text("h1")
