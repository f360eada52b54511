"""The orjson renderer writes the bytes DRF's own JSON renderer writes."""
import datetime
import decimal
import uuid

from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from core.api.renderers import OrjsonRenderer

UTC = datetime.UTC
SAMPLES = [
    {"id": 1, "name": "Zoë ≠ \u2028 \u2029 \"quoted\" \\", "ok": True, "none": None, "n": -3, "x": 2.5},
    {"at": datetime.datetime(2026, 11, 30, 1, 2, 3, 456789, tzinfo=UTC), "day": datetime.date(2026, 1, 2)},
    {"local": datetime.datetime(2026, 11, 30, 1, 2, 3, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))},
    {"cost": decimal.Decimal("12.50"), "uid": uuid.UUID(int=7), "lazy": gettext_lazy("Password changed.")},
    {1: "int keys", "nested": [{"a": [1, 2, {"b": None}]}], "empty": [], "obj": {}},
    [1, "two", 3.0, None],
    {"huge": 2**70},  # past orjson's integers: DRF's renderer writes it
]


def test_every_sample_renders_like_drf():
    for data in SAMPLES:
        assert OrjsonRenderer().render(data) == JSONRenderer().render(data), data


def test_indented_answers_are_drfs():
    data = {"a": [1, 2]}
    assert OrjsonRenderer().render(data, "application/json; indent=4") == JSONRenderer().render(
        data, "application/json; indent=4")
    assert OrjsonRenderer().render(None) == b""


TIMES = [datetime.datetime(2026, 11, 30, 1, 2, 3, tzinfo=UTC), datetime.datetime(2026, 11, 30, 1, 2, 3, 456789,
                                                                                   tzinfo=UTC),
         datetime.datetime(2026, 11, 30, 1, 2, 3, 7), datetime.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)]


class _Marked:
    """A request whose list left its date-times to the renderer (what ``leave_datetimes_to_renderer`` marks)."""

    benchtop_datetimes_left_to_renderer = True


def test_date_times_left_to_the_renderer_come_out_as_the_date_time_field_writes_them():
    from django.utils import timezone
    from rest_framework import serializers

    field = serializers.DateTimeField()
    with timezone.override(datetime.UTC):
        written = [field.to_representation(value) for value in TIMES]
        expected = JSONRenderer().render({"times": written, "huge": 2**70})
        context = {"request": _Marked()}
        # In C, and through DRF's renderer where orjson refuses the answer (the huge integer).
        assert OrjsonRenderer().render({"times": TIMES}, renderer_context=context) == JSONRenderer().render(
            {"times": written})
        assert OrjsonRenderer().render({"times": TIMES, "huge": 2**70}, renderer_context=context) == expected
    # Without the mark, a stray date-time keeps DRF's own encoding (a naive one stays naive).
    assert OrjsonRenderer().render({"at": TIMES[2]}) == JSONRenderer().render({"at": TIMES[2]}) \
        == b'{"at":"2026-11-30T01:02:03.000007"}'
