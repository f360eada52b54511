"""Equipment tests run a real gateway in threads beside the test.

The embedded mode's test database is SQLite in memory with a shared cache, where a
connection that meets another's lock is told "table is locked" at once instead of
waiting (the busy timeout of the file database that ``make run`` uses does not apply).
Each connection here waits and retries instead, as it would on the file database.
"""
import time

import pytest
from django.db import OperationalError
from django.db.backends.signals import connection_created

PATIENCE = 20.0


def _wait_when_locked(execute, sql, params, many, context):
    deadline = time.monotonic() + PATIENCE
    while True:
        try:
            return execute(sql, params, many, context)
        except OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _install(sender, connection, **kwargs):
    if connection.vendor == "sqlite" and _wait_when_locked not in connection.execute_wrappers:
        connection.execute_wrappers.append(_wait_when_locked)


@pytest.fixture(autouse=True)
def _sqlite_waits_for_locks():
    from django.db import connections

    connection_created.connect(_install)
    for connection in connections.all():
        _install(None, connection)
    yield
    connection_created.disconnect(_install)
    for connection in connections.all():
        if _wait_when_locked in connection.execute_wrappers:
            connection.execute_wrappers.remove(_wait_when_locked)
