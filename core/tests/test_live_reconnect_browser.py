"""Headless Chromium: a staff page whose websocket the server drops reconnects on its own, asks for
what it missed with ``after``, and shows the event published while it was away, without a reload."""
import json

import pytest

from core.tests.browser import watch_console

pytestmark = pytest.mark.browser


def publish_warning(summary: str) -> int:
    """Publish a system warning on the ``workshop`` topic, as the system check does; the id a socket
    gives it (its position on the topic, numbered at commit; not its primary key)."""
    from django.db import transaction

    from core import events
    from workshop.events import SYSTEM_WARNING

    with transaction.atomic():
        [event] = events.publish("workshop", SYSTEM_WARNING, {"check": "disk", "summary": summary})
    return event.position


def test_a_page_whose_socket_the_server_drops_reconnects_and_shows_what_it_missed(make_user, login_in_browser):
    page = login_in_browser(make_user("operator"))
    errors = watch_console(page)
    connections = []  # (frames the page sent, frames the server sent, page side, server side) per socket
    refuse = {"now": False}  # while set, new sockets are closed at once, as by a server still restarting

    def through_to_server(socket):
        if refuse["now"]:
            socket.close(code=1013, reason="try again later")
            return
        server = socket.connect_to_server()
        sent, heard = [], []
        connections.append((sent, heard, socket, server))

        def to_server(message):
            sent.append(json.loads(message))
            server.send(message)

        def to_page(message):
            heard.append(json.loads(message))
            socket.send(message)

        socket.on_message(to_server)
        server.on_message(to_page)

    def subscribed(connection):
        """Wait (on the page's clock, so Playwright keeps routing) until the server confirmed the subscription."""
        for _ in range(300):
            if any(frame.get("type") == "subscribed" for frame in connection[1]):
                return
            page.wait_for_timeout(100)
        raise AssertionError(f"no subscription confirmed; the server sent {connection[1]}")

    page.route_web_socket("**/ws/", through_to_server)
    page.goto("/workshop/system/")
    page.wait_for_selector("#live-status[data-state=live]")
    subscribed(connections[-1])
    page.evaluate("window.notReloaded = true")
    first = publish_warning("disk 91% full")
    page.wait_for_selector(f".feed li.event[data-event-id='{first}']", timeout=30000)

    # The server drops the socket; while the page is away, an event is published.
    refuse["now"] = True
    _, _, to_page, to_server = connections[-1]
    to_server.close(code=1012, reason="service restart")  # the consumer sees its client leave
    to_page.close(code=1012, reason="service restart")  # and the page its server
    page.wait_for_selector("#live-status[data-state=reconnecting]", timeout=30000)
    missed = publish_warning("disk 97% full")
    page.wait_for_timeout(1500)  # at least one reconnect attempt is refused
    assert page.locator(f".feed li.event[data-event-id='{missed}']").count() == 0
    refuse["now"] = False

    page.wait_for_selector(f".feed li.event[data-event-id='{missed}']", timeout=30000)
    page.wait_for_selector("#live-status[data-state=live]")
    subscribed(connections[-1])
    assert len(connections) == 2
    subscribe = [frame for frame in connections[-1][0] if frame.get("action") == "subscribe"]
    assert subscribe == [{"action": "subscribe", "topic": "workshop", "after": first}]
    assert "disk 97% full" in page.inner_text(f".feed li.event[data-event-id='{missed}']")
    assert page.locator(f".feed li.event[data-event-id='{first}']").count() == 1  # not shown twice
    assert page.evaluate("window.notReloaded") is True

    # Live again: the next event arrives on the new socket as it happens.
    latest = publish_warning("disk cleaned up")
    page.wait_for_selector(f".feed li.event[data-event-id='{latest}']", timeout=30000)
    assert errors == []
