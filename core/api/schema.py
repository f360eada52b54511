"""The OpenAPI schema generator of the API.

drf-spectacular documents every list response of a paginated viewset as a page, writes
included; but a write that answers several rows (a booking request, a bulk update) answers
them as a plain list. Here only reads are documented as pages, as they are served.
"""
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    def _get_paginator(self):
        if self.method != "GET":
            return None  # writes answer plain lists, never pages
        return super()._get_paginator()
