"""The API's renderers: JSON through orjson, and the browsable API with each action's own form.

OrjsonRenderer: JSON answers written by orjson: the same bytes as DRF's JSONRenderer, in a fraction of the time.

DRF's renderer walks the data with the standard library's encoder and a Python ``default`` hook
for every date, decimal and lazy string. orjson does the walk in C; dates and times are handed
back to DRF's own hook so they keep DRF's format (``...Z`` for UTC). Anything orjson refuses
(integers past 64 bits, a value no hook knows) goes through DRF's renderer as before, and so does
indented output (the browsable API, ``; indent=4``), so no answer changes shape.

ActionFormRenderer: The browsable API's renderer: each extra action shows its own input form.

An extra action such as ``assets/<id>/check-out/`` shows the form of the input it takes (the
request serializer its ``extend_schema`` names), not the edit form of the object; and opening a
POST-only endpoint in the browser shows that form with a hint instead of a bare 405. JSON
clients still get the 405. (Kept apart from the URL-map code: DRF imports renderers early.)
"""
import contextlib
import datetime

import orjson
from rest_framework import serializers
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

STANDARD_ACTIONS = {None, "list", "retrieve", "create", "update", "partial_update", "destroy", "metadata"}


def _action_for(view, method: str):
    """The extra action that ``method`` would run on this route, or None (a standard one, or an APIView)."""
    action = getattr(view, "action_map", {}).get(method.lower())
    if action in STANDARD_ACTIONS or not hasattr(getattr(view, action, None), "mapping"):
        return None
    return action


def _request_serializer(view, method: str):
    """The serializer class the action documents as its input, or None."""
    schema = getattr(view, "schema", None)
    if isinstance(schema, type):
        schema = schema()
    if not hasattr(schema, "get_request_serializer"):
        return None
    schema.view, schema.method, schema.path = view, method, view.request.path
    try:
        found = schema.get_request_serializer()
    except Exception:  # noqa: BLE001 - a schema that cannot answer just means no form
        return None
    if isinstance(found, serializers.BaseSerializer):
        return type(found)
    return found if isinstance(found, type) and issubclass(found, serializers.BaseSerializer) else None


class ActionFormRenderer(BrowsableAPIRenderer):
    """The browsable API renderer, with each extra action's own input form."""

    @contextlib.contextmanager
    def _action_form(self, view, method):
        """While rendering the form of ``method``, make ``view.get_serializer`` give the action's input."""
        action = _action_for(view, method) if method in ("POST", "PUT", "PATCH") else None
        if action is None:
            yield True
            return
        before = view.action
        view.action = action  # the schema answers for the action being shown
        serializer_class = _request_serializer(view, method)
        view.action = before
        if serializer_class is None:
            yield False  # an action without a documented input shows no form, rather than a wrong one
            return
        context = view.get_serializer_context() if hasattr(view, "get_serializer_context") else {}
        view.get_serializer = lambda *args, **kwargs: serializer_class(
            *args, context=context, **{k: v for k, v in kwargs.items() if k == "data"})
        try:
            yield True
        finally:
            del view.get_serializer

    def get_rendered_html_form(self, data, view, method, request):
        with self._action_form(view, method) as has_form:
            return super().get_rendered_html_form(data, view, method, request) if has_form else None

    def get_raw_data_form(self, data, view, method, request):
        with self._action_form(view, method) as has_form:
            return super().get_raw_data_form(data, view, method, request) if has_form else None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        context = renderer_context or {}
        response, view, request = context.get("response"), context.get("view"), context.get("request")
        if (response is not None and response.status_code == 405 and request is not None
                and request.method == "GET" and "POST" in getattr(view, "allowed_methods", ())):
            # A person opened a POST-only endpoint: show its form rather than an error.
            response.status_code = 200
            data = {"detail": f"{view.get_view_name()}: fill in the form below and send it with POST."}
        return super().render(data, accepted_media_type, renderer_context)

OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
# For an answer whose date-times are left to the renderer (``leave_datetimes_to_renderer``): written
# as DRF's DateTimeField writes a UTC value (ISO 8601, microseconds when there are any, ``Z``).
DATETIMES_AS_FIELDS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC | orjson.OPT_NON_STR_KEYS
_drf_default = JSONEncoder().default


def iso_datetime(value: datetime.datetime) -> str:
    """An aware date-time as DRF's DateTimeField writes it: ISO 8601, UTC as ``Z``."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _field_default(value):
    """DRF's hook, but a date-time as the DateTimeField writes it in UTC (DRF's hook leaves a naive one naive)."""
    if isinstance(value, datetime.datetime):
        return iso_datetime(value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC))
    return _drf_default(value)


class _FieldDateTimeEncoder(JSONEncoder):
    def default(self, obj):
        return _field_default(obj)


class _FieldDateTimeRenderer(JSONRenderer):
    """DRF's renderer, writing date-time objects as DRF's DateTimeField does (for what orjson refuses)."""

    encoder_class = _FieldDateTimeEncoder


class OrjsonRenderer(JSONRenderer):
    """``application/json`` through orjson when the answer is compact (every API client's case)."""

    def writes_compact(self, request) -> bool:
        """Whether this request's answer is written by orjson (compact JSON, no indent asked for)."""
        return self.get_indent(request.accepted_media_type, {"request": request}) is None and self.compact

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        context = renderer_context or {}
        as_fields = getattr(context.get("request"), DATETIMES_LEFT, False)
        if self.get_indent(accepted_media_type, context) is not None or not self.compact:
            return self._drf_render(data, accepted_media_type, renderer_context, as_fields)
        try:
            body = orjson.dumps(data, default=_drf_default, option=DATETIMES_AS_FIELDS if as_fields else OPTIONS)
        except (orjson.JSONEncodeError, TypeError, ValueError):
            return self._drf_render(data, accepted_media_type, renderer_context, as_fields)
        # Like DRF: line and paragraph separators escaped, so the answer is also valid JavaScript.
        return body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")

    def _drf_render(self, data, accepted_media_type, renderer_context, as_fields):
        if as_fields:
            return _FieldDateTimeRenderer().render(data, accepted_media_type, renderer_context)
        return super().render(data, accepted_media_type, renderer_context)


DATETIMES_LEFT = "benchtop_datetimes_left_to_renderer"


def leave_datetimes_to_renderer(request) -> bool:
    """Whether a list may hand this request's renderer UTC date-time objects instead of text.

    True when the answer goes out through ``OrjsonRenderer`` as compact JSON: it then writes every
    date-time of the answer as DRF's DateTimeField would in UTC (in C, without a Python call per
    value). The request is marked, so the renderer knows.
    """
    renderer = getattr(request, "accepted_renderer", None)
    if not isinstance(renderer, OrjsonRenderer) or not renderer.writes_compact(request):
        return False
    setattr(request, DATETIMES_LEFT, True)
    return True
