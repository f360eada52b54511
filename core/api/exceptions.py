"""One error shape for the whole API: ``{"error": code, "detail": message, "fields": {...}}``."""
import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError

log = logging.getLogger(__name__)


def _flatten(detail):
    """DRF error details as plain strings (lists of messages per field)."""
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _first_message(fields) -> str:
    """A one-line summary of field errors for ``detail``."""
    for key, value in fields.items():
        while isinstance(value, (list, dict)) and value:
            value = value[0] if isinstance(value, list) else next(iter(value.values()))
        if key == "non_field_errors":
            return str(value)
        return f"{key}: {value}"
    return "Invalid input."


def exception_handler(exc, context):
    """Render domain errors, Django errors and DRF errors in the one shape."""
    if isinstance(exc, DomainError):
        response = Response(exc.as_dict(), status=exc.status_code)
        if "retry_after" in exc.extra:
            response["Retry-After"] = str(exc.extra["retry_after"])
        return response
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(fields)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, IntegrityError):
        # A database rule caught what the service did not: still the client's input, never a 500.
        log.warning("integrity error reached the API: %s", exc)
        return Response(
            {"error": "conflict", "detail": "That change clashes with existing data.", "fields": {}},
            status=status.HTTP_409_CONFLICT,
        )

    elif isinstance(exc, (DataError, OverflowError)):
        # A number or date the database cannot store (an id of 30 digits, a year 0): the
        # transaction has rolled back, and the client can fix the value.
        log.info("value out of range reached the database: %s", exc)
        return Response(
            {"error": "out_of_range", "detail": "A value is out of the range the database can store: "
             "check ids, numbers and dates.", "fields": {}},
            status=status.HTTP_400_BAD_REQUEST,
        )

    elif isinstance(exc, RecursionError):
        # A body nested hundreds deep ([[[[...]]]]) exhausts the JSON decoder's recursion; any
        # change under way has rolled back with the request's transaction.
        log.info("request body nested too deeply: %s", exc)
        return Response(
            {"error": "too_deep", "detail": "The JSON body is nested too deeply: send at most a few levels.",
             "fields": {}},
            status=status.HTTP_400_BAD_REQUEST,
        )

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if not isinstance(fields, dict):
            fields = {"non_field_errors": fields if isinstance(fields, list) else [fields]}
        response.data = {"error": "invalid", "detail": _first_message(fields), "fields": fields}
    else:
        code = getattr(exc, "default_code", "error")
        if isinstance(exc.detail, dict | list):
            detail = _flatten(exc.detail)
        else:
            detail = str(exc.detail)
            code = getattr(exc.detail, "code", None) or code
        response.data = {"error": code, "detail": detail, "fields": {}}
    return response
