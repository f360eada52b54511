"""Pieces the inventory viewsets share."""
import re

from django.http import HttpResponse
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import BaseParser

from accounts.permissions import roles_required
from accounts.roles import MEMBER, OPERATOR, VIEWER
from core.csv_import import decode

from .. import labels

ReadViewerWriteOperator = roles_required(read=VIEWER, write=OPERATOR)
ReadViewerWriteMember = roles_required(read=VIEWER, write=MEMBER)


class CSVTextParser(BaseParser):
    """A ``text/csv`` (or any ``text/*``) body handed over as bytes for the importer to decode."""

    media_type = "text/*"

    def parse(self, stream, media_type=None, parser_context=None):
        data = stream.read() if stream is not None else b""
        if len(data) > 5 * 1024 * 1024:
            raise ValidationError({"file": ["At most 5 MB per import."]})
        return data


class LabelMixin:
    """``<id>/label.png`` and ``<id>/label.svg`` (wired in ``api/urls.py``, without a trailing slash)."""

    def label(self, request, pk=None, fmt="png"):
        """The object's QR label; the code opens its staff page."""
        if fmt not in ("png", "svg"):
            raise NotFound(f"Labels come as label.png or label.svg, not label.{fmt}.")
        return label_response(self.get_object(), fmt)


def label_response(obj, fmt: str) -> HttpResponse:
    """PNG or SVG QR label of an asset, material or location."""
    body, content_type = labels.render(obj, fmt)
    response = HttpResponse(body, content_type=content_type)
    # Names are typed by people (newlines, quotes, slashes); a header takes only plain characters.
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", labels.caption(obj)).strip("-") or "label"
    response["Content-Disposition"] = f'inline; filename="label-{name}.{fmt}"'
    return response


# The import's request body in the API schema: an upload named ``file`` or the CSV text itself.
CSV_UPLOAD = {
    "multipart/form-data": {"type": "object", "required": ["file"],
                            "properties": {"file": {"type": "string", "format": "binary"}}},
    "text/csv": {"type": "string", "format": "binary"},
}


def csv_payload(request) -> str:
    """The CSV sent as an upload (field ``file``) or as a ``text/csv`` body."""
    if request.content_type and request.content_type.startswith("text/"):
        data = request.data
        return decode(data if isinstance(data, bytes | str) else b"")
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError({"file": ["At most 5 MB per import."]})
        return decode(upload.read())
    raise ValidationError({"file": ["Send the CSV as a 'file' upload or as a text/csv body."]})
