"""The site's WSGI handler remembers where a path leads; page-only middleware skips API requests."""
import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import Resolver404, clear_url_caches, get_resolver, resolve

from core import handler as handler_module
from core.handler import Handler
from core.middleware import Htmx, Messages, StaticFiles
from core.timezones import UserTimeZoneMiddleware


def test_a_path_is_resolved_once_and_then_remembered_with_its_arguments():
    handler, requests = Handler(), RequestFactory()
    first = handler.resolve_request(requests.get("/api/scheduler/bookings/12/"))
    again = handler.resolve_request(requests.get("/api/scheduler/bookings/12/"))
    other = handler.resolve_request(requests.get("/api/scheduler/bookings/13/"))
    assert again is first and first.func == resolve("/api/scheduler/bookings/12/").func
    assert first.kwargs == {"pk": "12"} and other.kwargs == {"pk": "13"}
    with pytest.raises(Resolver404):
        handler.resolve_request(requests.get("/no/such/page/"))
    assert "/no/such/page/" not in get_resolver()._benchtop_matches


def test_the_memory_is_bounded_and_goes_with_the_url_map(monkeypatch):
    handler, requests = Handler(), RequestFactory()
    monkeypatch.setattr(handler_module, "REMEMBERED", 3)
    for pk in range(1, 8):
        handler.resolve_request(requests.get(f"/api/scheduler/bookings/{pk}/"))
    assert 1 <= len(get_resolver()._benchtop_matches) <= 3
    clear_url_caches()  # what a changed URL map does (settings.ROOT_URLCONF changing, tests' urlconf)
    assert "_benchtop_matches" not in get_resolver().__dict__


def test_the_served_entry_points_use_this_handler():
    from config import asgi, wsgi

    assert isinstance(wsgi.application, Handler) and isinstance(asgi.django_wsgi_app, Handler)


def _seen(request):
    response = HttpResponse()
    response.seen = {"htmx": hasattr(request, "htmx"), "messages": hasattr(request, "_messages")}
    return response


@pytest.mark.parametrize("path, page", [("/api/auth/me/", False), ("/inventory/", True)])
def test_page_middleware_runs_for_pages_and_not_for_api_requests(path, page, settings):
    from django.contrib.sessions.middleware import SessionMiddleware

    request = RequestFactory().get(path)
    SessionMiddleware(lambda r: None).process_request(request)
    answer = StaticFiles(Messages(Htmx(_seen)))(request)
    assert answer.seen == {"htmx": page, "messages": page}


def test_a_request_without_a_session_cookie_does_not_look_up_its_user_for_a_time_zone():
    class Untouchable:
        def __getattr__(self, name):
            raise AssertionError("the user was looked up")

    request = RequestFactory().get("/api/auth/me/", HTTP_AUTHORIZATION="Bearer x")
    request.user = Untouchable()
    assert UserTimeZoneMiddleware(lambda r: HttpResponse("ok"))(request).content == b"ok"
