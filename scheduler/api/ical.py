"""iCal feeds per user and per device, reachable with the user's secret feed token.

Calendar applications cannot log in, so the token in the URL is the credential: it
is per user, can be rotated, and a feed only shows what that user may see.
"""
from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from icalendar import Calendar, Event
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import roles_required
from accounts.roles import VIEWER, has_role

from .. import queries, services
from ..models import Booking, CalendarFeed, Device

# A feed carries the recent past and the future: enough for a calendar app, bounded for the server.
FEED_PAST = timedelta(days=90)


def _calendar(name: str, bookings) -> HttpResponse:
    cal = Calendar()
    cal.add("prodid", "-//Benchtop//Scheduler//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "benchtop"
    for booking in bookings:
        event = Event()
        event.add("uid", f"booking-{booking.pk}@{host}")
        event.add("summary", f"{booking.device.name} ({booking.status})")
        event.add("dtstart", booking.start)
        event.add("dtend", booking.end)
        event.add("dtstamp", booking.updated_at)
        event.add("status", "CONFIRMED" if booking.status == Booking.Status.CONFIRMED else "TENTATIVE")
        event.add("description", f"Booked by {booking.user}. {booking.comment}".strip())
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="bookings.ics"'
    return response


def _feed_user(token: str):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not has_role(feed.user, VIEWER):
        raise Http404("No such feed.")
    return feed.user


def _recent(qs):
    return qs.filter(status__in=list(Booking.ACTIVE), end__gt=timezone.now() - FEED_PAST) \
        .select_related("device", "user").order_by("start")


class FeedTokenView(APIView):
    """The caller's feed token and feed URLs (GET), or a new token that retires the old one (POST)."""

    permission_classes = [roles_required(read=VIEWER, write=VIEWER)]

    def _answer(self, request, token):
        mine = request.build_absolute_uri(reverse("scheduler-api:ical-user", args=[token]))
        return {"token": token, "bookings_url": mine,
                "device_url_template": mine.replace("mine.ics", "devices/{id}.ics")}

    @extend_schema(responses=dict)
    def get(self, request):
        """Show the token (created on first use)."""
        return Response(self._answer(request, services.feed_token(request.user)))

    @extend_schema(request=None, responses=dict)
    def post(self, request):
        """Rotate the token."""
        return Response(self._answer(request, services.rotate_feed_token(request.user)))


class UserFeedView(APIView):
    """``ical/<token>/mine.ics``: the token owner's active bookings, own and shared."""

    authentication_classes = []
    permission_classes = []

    @extend_schema(responses={(200, "text/calendar"): str})
    def get(self, request, token):
        """The feed."""
        user = _feed_user(token)
        bookings = _recent(Booking.objects.filter(queries.visible_to(user)).distinct())
        return _calendar(f"Bookings of {user}", bookings)


class DeviceFeedView(APIView):
    """``ical/<token>/devices/<id>.ics``: every active booking of one device."""

    authentication_classes = []
    permission_classes = []

    @extend_schema(responses={(200, "text/calendar"): str})
    def get(self, request, token, device_id):
        """The feed."""
        _feed_user(token)
        device = Device.objects.filter(pk=device_id).first()
        if device is None:
            raise Http404("No such device.")
        return _calendar(f"Bookings of {device}", _recent(device.bookings.all()))
