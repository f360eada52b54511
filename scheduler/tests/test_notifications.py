"""Email and Discord notifications, delivered to a local webhook server; failed posts are retried."""
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from scheduler import services

from .factories import BookingFactory, DeviceFactory, at


class Webhook:
    """A Discord-like webhook on 127.0.0.1 that records posts and fails the first ``fail_first`` of them."""

    def __init__(self, fail_first=0):
        self.posts, self.fail_first = [], fail_first
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                hook.posts.append(body)
                failing = len(hook.posts) <= hook.fail_first
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/webhook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook(settings):
    with Webhook() as hook:
        settings.DISCORD_WEBHOOK_URL = hook.url
        yield hook


@pytest.mark.django_db
def test_a_request_is_emailed_to_its_owner_and_posted_to_discord(make_user, webhook, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    member = make_user("member", discord_id="4242", notification_preferences={"email": True, "discord": True})
    with django_capture_on_commit_callbacks(execute=True):
        services.create_booking(member, DeviceFactory(name="Scope").pk, at(1, 10), at(1, 12))
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert "Booking request: Scope" in mailoutbox[0].subject
    assert len(webhook.posts) == 1 and webhook.posts[0]["content"].startswith("<@4242> Booking request: Scope")


@pytest.mark.django_db
def test_a_typed_discord_id_cannot_make_the_channel_ping_everyone(make_user, webhook,
                                                                   django_capture_on_commit_callbacks):
    member = make_user("member", discord_id="1> @everyone <@1", notification_preferences={"discord": True})
    with django_capture_on_commit_callbacks(execute=True):
        services.create_booking(member, DeviceFactory(name="Scope").pk, at(1, 10), at(1, 12))
    assert webhook.posts[0]["content"].startswith("Booking request: Scope")
    assert webhook.posts[0]["allowed_mentions"] == {"parse": ["users"]}


@pytest.mark.django_db
def test_a_decision_reaches_owner_and_collaborators_by_the_channels_they_chose(make_user, webhook, mailoutbox,
                                                                               django_capture_on_commit_callbacks):
    owner = make_user("member", notification_preferences={"email": True, "discord": False})
    friend = make_user("member", discord_id="77", notification_preferences={"email": False, "discord": True})
    booking = BookingFactory(user=owner)
    booking.collaborators.add(friend)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_booking(make_user("operator"), booking.pk)
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert [p["content"].split()[0] for p in webhook.posts] == ["<@77>"]


@pytest.mark.django_db
def test_nobody_wanting_discord_means_no_post_after_a_cancellation(make_user, webhook,
                                                                   django_capture_on_commit_callbacks):
    owner = make_user("member", notification_preferences={"email": False, "discord": False})
    booking = BookingFactory(user=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_booking(owner, booking.pk)
    assert webhook.posts == []


@pytest.mark.django_db
def test_a_failed_webhook_post_is_retried(settings, make_user, django_capture_on_commit_callbacks, eager_retries):
    member = make_user("member", discord_id="5", notification_preferences={"email": False, "discord": True})
    with Webhook(fail_first=2) as hook:
        settings.DISCORD_WEBHOOK_URL = hook.url
        with django_capture_on_commit_callbacks(execute=True):
            services.create_booking(member, DeviceFactory().pk, at(1, 10), at(1, 12))
    assert len(hook.posts) == 3  # two failures, then delivered
    assert len({p["content"] for p in hook.posts}) == 1


@pytest.mark.django_db
def test_a_webhook_that_stays_down_does_not_break_the_booking(settings, make_user, client_as,
                                                              django_capture_on_commit_callbacks):
    member = make_user("member", discord_id="5", notification_preferences={"email": False, "discord": True})
    with Webhook(fail_first=100) as hook:
        settings.DISCORD_WEBHOOK_URL = hook.url
        with django_capture_on_commit_callbacks(execute=True):
            response = client_as("member", member).post("/api/scheduler/bookings/", {
                "device": DeviceFactory().pk, "start": at(1, 10).isoformat(), "end": at(1, 12).isoformat()})
    assert response.status_code == 201 and hook.posts


@pytest.mark.django_db
def test_a_recurring_request_is_told_once_not_once_per_occurrence(make_user, webhook, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    member = make_user("member", discord_id="4242", notification_preferences={"email": True, "discord": True})
    with django_capture_on_commit_callbacks(execute=True):
        services.create_series(member, DeviceFactory(name="Scope").pk, at(1, 10), at(1, 11), "FREQ=DAILY;COUNT=5")
    assert len(mailoutbox) == 1 and len(webhook.posts) == 1
    assert "Recurring booking request: Scope" in mailoutbox[0].subject
    assert "5 occurrence(s)" in webhook.posts[0]["content"]


@pytest.mark.django_db
def test_emails_and_pages_show_times_in_the_users_own_time_zone(make_user, mailoutbox, client,
                                                                 django_capture_on_commit_callbacks):
    from zoneinfo import ZoneInfo

    member = make_user("member", time_zone="America/New_York", notification_preferences={"email": True})
    start = at(1, 15)
    with django_capture_on_commit_callbacks(execute=True):
        services.create_booking(member, DeviceFactory(name="Scope").pk, start, start + timedelta(hours=1))
    local = start.astimezone(ZoneInfo("America/New_York"))
    assert f"Scope {local:%Y-%m-%d %H:%M}" in mailoutbox[0].subject
    assert "Times are in America/New_York." in mailoutbox[0].body
    client.force_login(member)
    page = client.get("/scheduler/mine/").content.decode()
    assert f"{local:%a} {local.day} {local:%b %Y %H:%M}" in page and "times in America/New_York" in page
