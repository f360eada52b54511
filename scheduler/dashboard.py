"""The scheduler's counts on the dashboard: requests to decide, one's next bookings."""
from django.urls import reverse
from django.utils import timezone

from accounts.roles import MEMBER, OPERATOR, has_role
from core.templatetags.benchtop import span

from . import queries
from .models import Booking


def tiles(user) -> list[dict]:
    """Counts that matter to ``user``, each linking to the page where they are dealt with."""
    now = timezone.now()
    shown = []
    if has_role(user, OPERATOR):
        waiting = Booking.objects.filter(status__in=[Booking.Status.PENDING, Booking.Status.CONFLICTING],
                                         end__gt=now).count()
        shown.append({"key": "approvals", "label": "Requests to decide", "count": waiting,
                      "url": reverse("scheduler:queue"), "alert": waiting > 0})
    if has_role(user, MEMBER):
        mine = Booking.objects.filter(queries.visible_to(user), end__gt=now, status__in=Booking.ACTIVE).distinct()
        upcoming = list(mine.select_related("device").order_by("start")[:1])
        hint = f"next: {upcoming[0].device.name} {span(upcoming[0].start, upcoming[0].end)}" if upcoming else ""
        shown.append({"key": "my-bookings", "label": "My next bookings", "count": mine.count(),
                      "url": reverse("scheduler:my-bookings"), "hint": hint})
    return shown
