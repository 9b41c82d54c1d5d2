"""Django's PostgreSQL backend, with a health check that costs no round trip to the database.

With CONN_HEALTH_CHECKS, Django checks a kept connection before each request's
first query by sending SELECT 1: one of the three round trips of an
authenticated session check (the session in Redis, the check, the user). Between
two requests a connection is idle, and the server sends nothing on it unless it
is ending it (a restart, pg_terminate_backend, an idle timeout): its farewell,
then the end of the stream. So a connection with anything to read is taken for
ended, and Django opens a new one before the request's query, as after a failed
SELECT 1. At worst that reconnects once for a message that was harmless.
"""

import select

import psycopg
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None or self.connection.pgconn.status != psycopg.pq.ConnStatus.OK:
            return False
        readable, _, _ = select.select([self.connection.fileno()], [], [], 0)
        return not readable
