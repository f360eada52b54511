"""The task page in headless Chromium: a linked booking's status changes live, and the forms work."""
import pytest

from projects import services

pytestmark = pytest.mark.browser


def test_the_task_page_shows_a_linked_bookings_new_status_without_reloading(make_user, login_in_browser):
    from scheduler import services as scheduler
    from scheduler.tests.factories import BookingFactory, DeviceFactory

    owner, operator = make_user("member"), make_user("operator")
    project = services.create_project(owner, name="Imaging")
    task = services.create_task(owner, project, title="Scan samples")
    booking = BookingFactory(device=DeviceFactory(name="Confocal"), user=owner)
    services.link_task(owner, task, booking=booking)

    page = login_in_browser(owner)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"/projects/{project.pk}/tasks/{task.pk}/")
    page.wait_for_selector("#live-status[data-state=live]")
    status = page.locator(f"[data-booking='{booking.pk}'] .booking-status")
    assert status.inner_text() == "pending"

    scheduler.approve_booking(operator, booking.pk)
    page.wait_for_function(
        f"() => document.querySelector(\"[data-booking='{booking.pk}'] .booking-status\").textContent === 'confirmed'")

    page.fill("textarea[name=body]", "Samples are in the fridge.")
    page.get_by_role("button", name="Comment").click()
    page.wait_for_selector("text=Samples are in the fridge.")
    assert errors == []
    # A refused form comes back with its 4xx status and the reason beside it (the browser logs the status).
    page.fill("input[name=hours]", "-1")
    page.get_by_role("button", name="Log work").click()
    page.wait_for_selector("[role=alert]")
    assert "hours" in page.locator("[role=alert]").first.inner_text()
    assert all("status of 400" in error for error in errors)


def test_the_overview_shows_an_allocation_made_elsewhere_without_reloading(make_user, login_in_browser):
    from inventory import services as inventory
    from inventory.tests.factories import LocationFactory, MaterialFactory

    owner = make_user("member")
    project = services.create_project(owner, name="Shelves")
    material = MaterialFactory(name="Birch ply", unit="sheet")
    inventory.receive_stock(make_user("operator"), material, "10", location=LocationFactory(kind="shelf"))
    line = services.add_bom_line(owner, project, material=material, required_quantity="4")

    page = login_in_browser(owner)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"/projects/{project.pk}/")
    page.wait_for_selector("#live-status[data-state=live]")
    row = f"#bom-table tr[data-line='{line.pk}'] td:nth-child(3)"
    assert page.locator(row).inner_text() == "0"
    services.allocate_bom_line(owner, line, "3")
    page.wait_for_function(f"() => document.querySelector(\"{row}\").textContent.trim() === '3'")
    assert errors == []
