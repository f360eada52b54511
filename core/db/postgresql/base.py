"""Django's PostgreSQL backend, with a pooled connection checked only after it sat idle.

With ``CONN_HEALTH_CHECKS`` Django has the pool run an empty query on every connection it
lends: one more round trip for every request, as many as the whole ``auth/me/`` answer costs.
A connection handed back a moment ago is as healthy as the request that used it found it, so
here only a connection idle for ``IDLE_BEFORE_CHECK`` seconds or more is checked (one that a
database restart may have cut); a busy site skips the round trip.
"""
from time import monotonic

from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool

IDLE_BEFORE_CHECK = 2.0


def check_if_idle(conn) -> None:
    """The pool's check of a connection it lends: an empty query, unless it was in use moments ago."""
    returned = getattr(conn, "benchtop_returned_at", None)
    if returned is None or monotonic() - returned >= IDLE_BEFORE_CHECK:
        ConnectionPool.check_connection(conn)


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self):
        pool = super().pool
        # Django names the pool's check when it makes the pool; swap in the cheaper one.
        if pool is not None and getattr(pool, "_check", None) is ConnectionPool.check_connection:
            pool._check = check_if_idle
        return pool

    def _close(self):
        if self.connection is not None and self.pool:
            self.connection.benchtop_returned_at = monotonic()
        return super()._close()
