"""Pagination: page numbers for lists people browse, cursors for tables that only grow."""
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 500); the answer has ``count``."""

    page_size_query_param = "page_size"
    max_page_size = 500


class CursorPagination(pagination.CursorPagination):
    """``?cursor=`` from ``next``/``previous``, and ``?page_size=`` (at most 500); newest first.

    For the audit trail and the stock ledger: they only grow, so a page costs one indexed range
    read, with no ``COUNT(*)`` over the whole table and no deep ``OFFSET``. The answer has no
    ``count``; ``?ordering=`` still works (by a field the viewset allows).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ["-at", "-id"]
