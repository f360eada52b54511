"""Pagination: page numbers for lists people browse, cursors for tables that only grow.

Page numbers need a count, and counting every row of a table of millions takes PostgreSQL
longer than reading the page itself. A list that is not filtered is the whole table, and
PostgreSQL's own row estimate (kept by autovacuum) is good enough to number pages: past
``ESTIMATE_ABOVE`` rows the answer's ``count`` is that estimate. Smaller tables and every
filtered list are counted exactly. Either way the count is one query, as before.
"""
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from rest_framework import pagination

ESTIMATE_ABOVE = 100_000


def is_whole_table(queryset) -> bool:
    """Whether ``queryset`` counts every row of its table (no filter, grouping, distinct or slice)."""
    query = queryset.query
    return (not query.where and not query.distinct and query.group_by is None and not query.combinator
            and not query.is_sliced and not query.extra)


class CheapCountPaginator(Paginator):
    """A Paginator whose count of a whole large PostgreSQL table is the planner's estimate."""

    @cached_property
    def count(self):
        queryset = self.object_list
        if not hasattr(queryset, "query") or not is_whole_table(queryset):
            return super().count
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return super().count
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        with connection.cursor() as cursor:
            # One round trip: the estimate when the table is large, else an exact count.
            cursor.execute(
                f"SELECT CASE WHEN c.reltuples > %s THEN c.reltuples::bigint "
                f"ELSE (SELECT count(*) FROM {table}) END FROM pg_class c WHERE c.oid = %s::regclass",
                [ESTIMATE_ABOVE, table],
            )
            row = cursor.fetchone()
        return int(row[0]) if row else super().count


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 500); the answer has ``count``."""

    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CheapCountPaginator


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
