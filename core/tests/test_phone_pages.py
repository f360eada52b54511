"""Every main page fits a 390 px phone screen: nothing pushes the page sideways, every top-bar link is in
view without scrolling the bar, and the calendar shows one day."""
import pytest

from core.tests.browser import watch_console

pytestmark = pytest.mark.browser

# Top-bar links that do not lie wholly inside the viewport (one reached only by scrolling the bar).
TOP_BAR_OUT_OF_VIEW = """() => [...document.querySelectorAll('.topbar a, .topbar button')]
  .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth
                 || r.width === 0; })
  .map(e => e.textContent.trim())"""


def test_main_pages_fit_a_phone_and_the_calendar_opens_on_one_day(make_user, login_in_browser):
    from inventory import services as inventory
    from inventory.tests.factories import AssetFactory, LocationFactory, MaterialFactory
    from scheduler import services as scheduler
    from scheduler.tests.factories import DeviceFactory, at

    operator = make_user("operator")
    devices = [DeviceFactory(name=f"Spectrometer with a long name {n}") for n in range(5)]
    scheduler.create_booking(operator, devices[0].pk, at(1, 9), at(1, 11))
    asset = AssetFactory(name="Oscilloscope with a very long descriptive name")
    material = MaterialFactory()
    inventory.receive_stock(operator, material, "5", location=LocationFactory(name="Shelf with a long name"))
    page = login_in_browser(operator)
    errors = watch_console(page)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto("/scheduler/")
    page.wait_for_url("**view=day**")
    assert page.locator("table.day").count() == 1
    for path in ["/", "/scheduler/?view=day", "/scheduler/queue/", "/scheduler/mine/",
                 f"/scheduler/devices/{devices[0].pk}/", "/inventory/", f"/inventory/assets/{asset.pk}/",
                 "/inventory/materials/", f"/inventory/materials/{material.pk}/", "/inventory/labels/",
                 "/inventory/checkouts/overdue/", "/inventory/import/", "/scheduler/topology/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow} px too wide for a phone"
        assert page.evaluate(TOP_BAR_OUT_OF_VIEW) == [], f"{path}: top-bar links outside a 390 px screen"
    last = page.locator(".topbar nav a").last
    assert last.is_visible() and last.bounding_box()["x"] + last.bounding_box()["width"] <= 390
    assert page.evaluate("document.querySelector('.topbar nav').scrollWidth"
                         " <= document.querySelector('.topbar nav').clientWidth")  # the bar itself does not scroll
    assert errors == []
