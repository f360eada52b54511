"""JSON answers written by orjson: the same bytes as DRF's JSONRenderer, in a fraction of the time.

DRF's renderer walks the data with the standard library's encoder and a Python ``default`` hook
for every date, decimal and lazy string. orjson does the walk in C; dates and times are handed
back to DRF's own hook so they keep DRF's format (``...Z`` for UTC). Anything orjson refuses
(integers past 64 bits, a value no hook knows) goes through DRF's renderer as before, and so does
indented output (the browsable API, ``; indent=4``), so no answer changes shape.
"""
import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
_drf_default = JSONEncoder().default


class OrjsonRenderer(JSONRenderer):
    """``application/json`` through orjson when the answer is compact (every API client's case)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None or not self.compact:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=_drf_default, option=OPTIONS)
        except (orjson.JSONEncodeError, TypeError, ValueError):
            return super().render(data, accepted_media_type, renderer_context)
        # Like DRF: line and paragraph separators escaped, so the answer is also valid JavaScript.
        return body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
