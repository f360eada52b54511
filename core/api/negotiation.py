"""Content negotiation that remembers its answers.

DRF parses the ``Accept`` header and matches it against every renderer on each request; the
answer depends only on that header, the requested format and the view's renderers, and
clients send the same few headers over and over. The choice is remembered for up to
``REMEMBERED`` such combinations (a bound, because the header is the client's to choose).
"""
import threading

from rest_framework.negotiation import DefaultContentNegotiation

REMEMBERED = 512


class RememberingNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with the renderer chosen for a known combination taken from memory."""

    _chosen: dict = {}
    _lock = threading.Lock()

    def select_renderer(self, request, renderers, format_suffix=None):
        format = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        key = (tuple(type(renderer) for renderer in renderers), format, request.META.get("HTTP_ACCEPT"))
        known = self._chosen.get(key)
        if known is not None:
            index, media_type = known
            return renderers[index], media_type
        renderer, media_type = super().select_renderer(request, renderers, format_suffix)
        with self._lock:
            if len(self._chosen) < REMEMBERED:
                self._chosen[key] = (renderers.index(renderer), media_type)
        return renderer, media_type
