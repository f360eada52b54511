"""The OpenAPI schema generator of the API.

- drf-spectacular documents every list response of a paginated viewset as a page, writes
  included; but a write that answers several rows (a booking request, a bulk update) answers
  them as a plain list. Here only reads are documented as pages, as they are served.
- Every operation also documents the refusals it can give, in the one error shape of
  ``core.api.exceptions``: 400 (bad input), 401/403 (who may), 404 (an id in the path that is
  not there or not visible), 409 (a write that clashes), 413 (a body over the limit) and 429
  (throttled).
"""
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
