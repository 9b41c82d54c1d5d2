"""Django's PostgreSQL backend, with a health check that costs no round trip to the database.

With CONN_HEALTH_CHECKS, Django checks a kept connection before each request's
first query by sending SELECT 1: one of the three round trips of an
authenticated session check (the session in Redis, the check, the user). A
connection that the server has ended (a restart, pg_terminate_backend, an idle
timeout) has said so on its socket, so reading what is there, without waiting,
finds it: libpq then marks the connection bad, and Django opens a new one
before the request's query, as after a failed SELECT 1.
"""

import psycopg
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None:
            return False
        pgconn = self.connection.pgconn
        try:
            pgconn.consume_input()
        except psycopg.OperationalError:
            return False
        return pgconn.status == psycopg.pq.ConnStatus.OK
