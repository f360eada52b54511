"""Times in each user's own time zone (``User.time_zone``), on pages and in their emails."""
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone


def zone_of(user):
    """The user's time zone, or None when they have none Benchtop knows (then the site's zone applies)."""
    name = getattr(user, "time_zone", "") or ""
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


class UserTimeZoneMiddleware:
    """Pages show times in the signed-in user's time zone; the API keeps ISO times with offsets."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # Only a signed-in session has a user here (tokens are read later, by the API view);
            # skipping the lazy user spares every API request a session lookup.
            return self.get_response(request)
        user = getattr(request, "user", None)
        zone = zone_of(user) if user is not None and user.is_authenticated else None
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)
