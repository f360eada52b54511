"""Django's PostgreSQL backend, tuned for a busy site: a cheaper pool check and C-speed time stamps.

Pool check: with ``CONN_HEALTH_CHECKS`` Django has the pool run an empty query on every
connection it lends: one more round trip for every request, as many as the whole ``auth/me/``
answer costs. A connection handed back a moment ago is as healthy as the request that used it
found it, so here only a connection idle for ``IDLE_BEFORE_CHECK`` seconds or more is checked
(one that a database restart may have cut); a busy site skips the round trip.

Time stamps: Django reads every ``timestamptz`` through a Python subclass of psycopg's loader
(to stamp it with its own UTC), which skips psycopg's C loader: on a list of 50 bookings the
200 time stamps were a fifth of the request's CPU. Where Django wants UTC and the session's time
zone is UTC (always, unless ``DATABASES[...]["TIME_ZONE"]`` says otherwise), psycopg's C loader
gives the very same values (``tzinfo`` is ``datetime.timezone.utc``), so it is used instead.
"""
import datetime
from functools import lru_cache
from time import monotonic

import psycopg
from django.db.backends.postgresql import base
from psycopg import adapt
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader
from psycopg_pool import ConnectionPool

IDLE_BEFORE_CHECK = 2.0


def check_if_idle(conn) -> None:
    """The pool's check of a connection it lends: an empty query, unless it was in use moments ago."""
    returned = getattr(conn, "benchtop_returned_at", None)
    if returned is None or monotonic() - returned >= IDLE_BEFORE_CHECK:
        ConnectionPool.check_connection(conn)


# psycopg's own timestamptz loader: the C one when psycopg's C extension is installed.
_PSYCOPG_LOADER = psycopg.adapters.get_loader(psycopg.adapters.types["timestamptz"].oid, Format.TEXT)
HAS_C_LOADER = _PSYCOPG_LOADER is not TimestamptzLoader


class UtcTimestamptzLoader(TimestamptzLoader):
    """Loads ``timestamptz`` with psycopg's C loader, for a session whose time zone is UTC.

    Django checks the ``timezone`` of the connection's loader before each cursor (and puts its own
    on the cursor when they differ), so the class says UTC; an instance is psycopg's C loader
    itself (the C class cannot be subclassed), which the C row reader then calls directly.
    """

    timezone = datetime.UTC

    def __new__(cls, oid, context=None):
        return _PSYCOPG_LOADER(oid, context)


@lru_cache
def with_c_time_stamps(template: adapt.AdaptersMap) -> adapt.AdaptersMap:
    """Django's adapters for a connection, with ``timestamptz`` read by the C loader."""
    adapters = adapt.AdaptersMap(template)
    adapters.register_loader("timestamptz", UtcTimestamptzLoader)
    return adapters


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self):
        pool = super().pool
        # Django names the pool's check when it makes the pool; swap in the cheaper one.
        if pool is not None and getattr(pool, "_check", None) is ConnectionPool.check_connection:
            pool._check = check_if_idle
        return pool

    def get_connection_params(self):
        params = super().get_connection_params()
        # The C loader stamps values with the session's zone; Django sets the session to
        # ``timezone_name`` on every new connection, so both must be UTC.
        if (HAS_C_LOADER and "context" in params and self.timezone is datetime.UTC
                and self.timezone_name == "UTC"):
            params["context"] = with_c_time_stamps(params["context"])
        return params

    def _close(self):
        if self.connection is not None and self.pool:
            self.connection.benchtop_returned_at = monotonic()
        return super()._close()
