"""The kanban board in headless Chromium: a dragged card stays where it was dropped, and a
second page showing the same board sees it move without reloading."""
import pytest

from projects import services
from projects.models import Task

pytestmark = pytest.mark.browser


def column_titles(page, status):
    return page.locator(f".kanban-cards[data-status='{status}'] .kanban-card a").all_inner_texts()


def test_drag_a_card_it_stays_after_reload_and_another_page_sees_it_move(make_user, login_in_browser):
    owner = make_user("member")
    project = services.create_project(owner, name="Drag test")
    for title in ["Alpha", "Bravo", "Charlie"]:
        services.create_task(owner, project, title=title)
    services.create_task(owner, project, title="Delta", status="review")

    page = login_in_browser(owner)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"/projects/{project.pk}/board/")
    page.wait_for_selector("#live-status[data-state=live]")

    watcher = page.context.new_page()
    watcher.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    watcher.goto(f"/projects/{project.pk}/board/")
    watcher.wait_for_selector("#live-status[data-state=live]")

    # Drop Alpha on Delta's upper half in the review column: it lands above Delta.
    delta = page.locator(".kanban-card", has_text="Delta")
    page.locator(".kanban-card", has_text="Alpha").drag_to(delta, target_position={"x": 10, "y": 2})
    page.wait_for_function("() => document.querySelector('#board').dataset.saving === '0'")
    assert column_titles(page, "review") == ["Alpha", "Delta"]

    alpha = Task.objects.get(project=project, title="Alpha")
    assert (alpha.status, alpha.position) == ("review", 0)
    assert list(Task.objects.filter(project=project, status="todo").order_by("position")
                .values_list("title", flat=True)) == ["Bravo", "Charlie"]

    # The other page sees the move arrive over the websocket, without reloading.
    watcher.wait_for_function(
        "() => [...document.querySelectorAll(\".kanban-cards[data-status='review'] .kanban-card a\")]"
        ".map(a => a.textContent).join(',') === 'Alpha,Delta'")
    assert column_titles(watcher, "todo") == ["Bravo", "Charlie"]

    # Within a column: Charlie dropped on the top of Bravo goes above it, and stays there after a reload.
    bravo = page.locator(".kanban-card", has_text="Bravo")
    page.locator(".kanban-card", has_text="Charlie").drag_to(bravo, target_position={"x": 10, "y": 2})
    page.wait_for_function("() => document.querySelector('#board').dataset.saving === '0'")
    page.reload()
    page.wait_for_selector("#live-status[data-state=live]")
    assert column_titles(page, "todo") == ["Charlie", "Bravo"]
    assert column_titles(page, "review") == ["Alpha", "Delta"]
    watcher.wait_for_function(
        "() => [...document.querySelectorAll(\".kanban-cards[data-status='todo'] .kanban-card a\")]"
        ".map(a => a.textContent).join(',') === 'Charlie,Bravo'")
    assert errors == []


def test_a_viewer_on_the_project_sees_the_refusal_and_the_card_goes_back(make_user, login_in_browser):
    owner, viewer = make_user("member"), make_user("viewer")
    project = services.create_project(owner, name="Read only")
    services.create_task(owner, project, title="Alpha")
    services.create_task(owner, project, title="Bravo", status="done")
    services.add_member(owner, project, viewer)

    page = login_in_browser(viewer)
    page.goto(f"/projects/{project.pk}/board/")
    page.wait_for_selector("#live-status[data-state=live]")
    page.locator(".kanban-card", has_text="Alpha").drag_to(page.locator(".kanban-card", has_text="Bravo"))
    page.wait_for_selector("#board-error:not([hidden])")
    assert "member or above" in page.locator("#board-error").inner_text()
    page.wait_for_function(
        "() => document.querySelectorAll(\".kanban-cards[data-status='todo'] .kanban-card\").length === 1")
    assert Task.objects.get(project=project, title="Alpha").status == "todo"


def test_the_board_fits_a_phone_the_columns_scroll_sideways(make_user, login_in_browser):
    owner = make_user("member")
    project = services.create_project(owner, name="Phone")
    services.create_task(owner, project, title="Small screen")
    page = login_in_browser(owner)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"/projects/{project.pk}/board/")
    page.wait_for_selector("#live-status[data-state=live]")
    widths = page.evaluate("() => [document.querySelector('.kanban').scrollWidth, "
                           "document.querySelector('.kanban').clientWidth, window.innerWidth, "
                           "document.querySelector('.task-form').getBoundingClientRect().right]")
    scroll_width, visible_width, window_width, form_right = widths
    assert scroll_width > visible_width  # five columns side by side, scrolled within the board
    assert visible_width <= window_width and form_right <= window_width
