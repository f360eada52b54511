"""On PostgreSQL, time stamps are read by psycopg's C loader and come out exactly as Django's own loader gives them."""
import datetime

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.pq import Format

from core.db.postgresql.base import HAS_C_LOADER
from core.models import AuditEntry

pytestmark = [pytest.mark.full("postgres"), pytest.mark.django_db]

STAMPS_SQL = ("SELECT %s::timestamptz + (n || ' seconds')::interval + (n * 7 || ' microseconds')::interval"
              " FROM generate_series(0, 999) n")


def test_time_stamps_are_read_in_c_and_equal_djangos_own(make_user):
    assert HAS_C_LOADER, "psycopg's C extension (psycopg[binary]) is in requirements.txt"
    start = datetime.datetime(2026, 3, 29, 0, 59, 58, tzinfo=datetime.UTC)
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(psycopg.adapters.types["timestamptz"].oid, Format.TEXT)
        cursor.execute(STAMPS_SQL, [start])
        ours = [row[0] for row in cursor.fetchall()]
        register_tzloader(connection.timezone, cursor.cursor)  # Django's own loader, on this cursor only
        cursor.execute(STAMPS_SQL, [start])
        djangos = [row[0] for row in cursor.fetchall()]
    assert loader.timezone is datetime.UTC
    assert type(loader(psycopg.adapters.types["timestamptz"].oid, None)).__module__.startswith("psycopg_binary")
    assert ours == djangos and all(value.tzinfo is datetime.UTC for value in ours)
    assert ours[1] == start + datetime.timedelta(seconds=1, microseconds=7)
    # Through the ORM too: the model's field gives the aware UTC value back.
    user = make_user()
    entry = AuditEntry.objects.create(actor=user, action="thing.timed", object_type="user", object_id=str(user.pk))
    assert AuditEntry.objects.get(pk=entry.pk).at.tzinfo is datetime.UTC
