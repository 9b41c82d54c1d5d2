"""The database backend's health check: a kept connection is checked before reuse without a round trip."""

import time

import pytest
from django.db import connection

from core.postgresql.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the site's PostgreSQL backend only")


@pytest.fixture
def kept_connection(db):
    """A connection of the site's backend besides the test's own, kept open as between two requests."""
    kept = connection.copy()
    yield kept
    kept.close()


def backend_pid(database) -> int:
    with database.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_the_site_runs_on_its_own_postgresql_backend(kept_connection):
    assert isinstance(kept_connection, DatabaseWrapper)


def test_a_live_connection_passes_the_check_without_sending_a_query(kept_connection):
    pid = backend_pid(kept_connection)

    assert kept_connection.is_usable()

    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        assert cursor.fetchone()[0] == "SELECT pg_backend_pid()"  # still the last query it sent


def test_a_connection_the_server_ended_fails_the_check(kept_connection):
    pid = backend_pid(kept_connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        # The server's process for it ends right after the call returns.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone() is None:
                break
            time.sleep(0.01)

    # The first check after that, as the next request's would be.
    assert not kept_connection.is_usable()
