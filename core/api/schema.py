"""The OpenAPI schema generator of the API.

- drf-spectacular documents every list response of a paginated viewset as a page, writes
  included; but a write that answers several rows (a booking request, a bulk update) answers
  them as a plain list. Here only reads are documented as pages, as they are served.
- Every operation also documents the refusals it can give, in the one error shape of
  ``core.api.exceptions``: 400 (bad input), 401/403 (who may), 404 (an id in the path that is
  not there or not visible), 409 (a write that clashes), 413 (a body over the limit) and 429
  (throttled).
- A request the schema calls valid is one the API accepts, so the schema says what the fields
  check: a decimal has at least one digit, a JSON field that holds an object or a list says so
  (and is never null), an IP address is IPv4 or IPv6, and a filter states its bounds and format.
- An answer in its schema: a read-only field that defaults to None may be null.
"""
from decimal import Decimal

from django import forms
from django.core import validators
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

WRITES = ("POST", "PUT", "PATCH", "DELETE")
REFUSALS = {
    "400": "The input cannot be used; `detail` says what to fix, `fields` which fields.",
    "401": "Not logged in, or the token or API key is not valid.",
    "403": "Logged in, but this role may not do this.",
    "404": "Nothing with that id, or not visible to you.",
    "409": "The change clashes with the current state (a taken slot, short stock, a name in use).",
    "413": "The request body is larger than the limit.",
    "429": "Too many requests; wait and try again.",
}


class ErrorSerializer(serializers.Serializer):
    """Every refusal: a code, a message that says what to fix, and the fields concerned."""

    error = serializers.CharField()
    detail = serializers.JSONField(help_text="A message; for a few refusals a list or object of them.")
    fields = serializers.DictField(child=serializers.JSONField())


class AutoSchema(SpectacularAutoSchema):
    def _get_paginator(self):
        if self.method != "GET":
            return None  # writes answer plain lists, never pages
        return super()._get_paginator()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = ["400", "401", "403", "429"]
        if "{" in self.path:
            codes.append("404")
        if self.method in WRITES:
            codes += ["409", "413"]
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code]["description"] = REFUSALS[code]
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.DecimalField) and "pattern" in schema:
            # drf-spectacular's pattern lets "" and "-" through; the field wants at least one digit.
            signed = field.min_value is None or field.min_value < 0
            # Above zero when the least value is the smallest step (0.01 with 2 places): then every
            # number but 0 is taken.
            above_zero = field.min_value is not None and 0 < field.min_value <= smallest_step(field.decimal_places)
            schema["pattern"] = decimal_pattern(field.max_digits, field.decimal_places, signed, above_zero)
        elif isinstance(field, serializers.IPAddressField) and field.protocol.lower() == "both":
            schema.update(IP_ADDRESS)
        elif isinstance(field, serializers.JSONField) and not set(schema) - {"description", "readOnly",
                                                                               "writeOnly"}:
            schema.update(json_container(field))
        if field.read_only and field.default is None:
            # A read-only field defaulting to None (``source="agent.name", default=None``) answers null
            # when the row it reads through is missing.
            schema["nullable"] = True
        return schema

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        filterset = getattr(self.view, "filterset_class", None)
        if filterset is None:
            return parameters
        for parameter in parameters:
            found = filterset.base_filters.get(parameter.get("name"))
            if found is not None:
                tighten_filter(parameter.setdefault("schema", {}), found.field)
        return parameters


IP_ADDRESS = {"anyOf": [{"format": "ipv4"}, {"format": "ipv6"}]}


def decimal_pattern(max_digits: int | None, places: int | None, signed: bool = True,
                    above_zero: bool = False) -> str:
    """A decimal of at most ``max_digits`` digits, ``places`` of them after the point: at least one
    digit, no minus sign where the field takes no negative number, and not zero where its least
    value is above zero."""
    sign = "-?" if signed and not above_zero else ""
    if max_digits is None or places is None:
        if above_zero:
            return r"^(?:0*[1-9]\d*(?:\.\d*)?|0*\.0*[1-9]\d*)$"
        return rf"^{sign}(?:\d+(?:\.\d*)?|\.\d+)$"
    whole = max_digits - places
    if above_zero:
        # A fraction with a digit other than 0 in it: 0{k}[1-9] then what places are left.
        fraction = "|".join("0" * k + "[1-9]" + (rf"\d{{0,{places - k - 1}}}" if places - k > 1 else "")
                            for k in range(places))
        parts = []
        if whole > 0:
            parts.append(rf"[1-9]\d{{0,{whole - 1}}}" + (rf"(?:\.\d{{0,{places}}})?" if places else ""))
        if places:
            parts.append(rf"0?\.(?:{fraction})")
        return rf"^(?:{'|'.join(parts)})$"
    if whole <= 0:
        return rf"^{sign}0?\.\d{{1,{places}}}$"
    if places == 0:
        return rf"^{sign}\d{{1,{whole}}}$"
    return rf"^{sign}(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"


def smallest_step(places: int | None) -> Decimal:
    """The smallest number above zero a decimal with ``places`` places holds (0.01 for 2)."""
    return Decimal(1).scaleb(-places) if places is not None else Decimal(0)


def json_container(field) -> dict:
    """What a JSON field holds, from its model field's default (``dict`` or ``list``); {} if it cannot say."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    try:
        default = model._meta.get_field(field.source).default if model is not None else None
    except Exception:  # noqa: BLE001 - not a model field (a serializer of its own): leave it open
        return {}
    if default is dict:
        return {"type": "object", "additionalProperties": {}}
    if default is list:
        return {"type": "array", "items": {}}
    return {}


def tighten_filter(schema: dict, field: forms.Field) -> None:
    """Copy a filter's form field bounds and format into its query parameter's schema."""
    # A field may hold several bounds of one kind (django-filter adds its own 1e50 beside the filter's
    # max_value): the tightest is the one that refuses.
    if schema.get("type") in ("integer", "number"):
        lowest = [v.limit_value for v in field.validators if isinstance(v, validators.MinValueValidator)]
        highest = [v.limit_value for v in field.validators if isinstance(v, validators.MaxValueValidator)]
        if lowest:
            schema["minimum"] = max(lowest)
        if highest:
            schema["maximum"] = min(highest)
    if isinstance(field, forms.GenericIPAddressField) and schema.get("type") == "string":
        schema.update(IP_ADDRESS)
    if isinstance(field, forms.ModelChoiceField) and schema.get("type") == "integer":
        schema.setdefault("minimum", 1)  # an id: none is 0 or negative
    if schema.get("type") == "integer":  # at most what the database's integer columns hold
        schema["minimum"] = max(schema.get("minimum", -2147483648), -2147483648)
        schema["maximum"] = min(schema.get("maximum", 2147483647), 2147483647)
