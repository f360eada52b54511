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
