"""A pooled PostgreSQL connection is checked before it is lent only when it sat idle a while."""
from time import monotonic

import psycopg
import pytest
from django.db import connection

from core.db.postgresql.base import IDLE_BEFORE_CHECK, check_if_idle


def _cut(conn) -> None:
    """End ``conn``'s server process from another connection, as a database restart would."""
    pid = conn.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.full("postgres")
@pytest.mark.django_db
def test_a_connection_back_a_moment_ago_is_lent_without_a_round_trip_an_idle_one_is_checked():
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as conn:
        _cut(conn)
        conn.benchtop_returned_at = monotonic()
        check_if_idle(conn)  # no query: a cut connection passes, as it would have a moment ago

        conn.benchtop_returned_at = monotonic() - IDLE_BEFORE_CHECK - 1
        with pytest.raises(psycopg.OperationalError):
            check_if_idle(conn)  # idle: checked, and the pool would replace it

    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as never_lent:
        check_if_idle(never_lent)  # a new connection is checked and healthy


@pytest.mark.full("postgres")
def test_the_site_uses_the_pool_with_the_idle_check(settings):
    assert settings.DATABASES["default"]["ENGINE"] == "core.db.postgresql"
    assert connection.pool is not None and connection.pool._check is check_if_idle
