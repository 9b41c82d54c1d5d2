"""Counts the SQL queries of each benchmarked request, in a process of its own: python queries.py OUT.json

Run with the settings of one setup (DJANGO_SETTINGS_MODULE, its directory as the
current one). Django's test client sends each request through the same
middleware and views gunicorn serves; CaptureQueriesContext records every query
on the connection. Each request is sent once before it is counted, so the
counts are those of a warm worker (URLs loaded, session in the cache). It also
makes the users the benchmark logs in as (and whose addresses it signs up
with again), and writes the counts and what the HTTP client needs into OUT.json.
"""

import json
import sys

import django

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import get_hasher, make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

EMAIL_PREFIX = "bench-"
EMAIL_DOMAIN = "@example.com"
PASSWORD = "Correct-horse-battery-9"  # noqa: S105  (the benchmark user's, in a benchmark database)
# Sent as by a TLS-terminating proxy, which the generated site expects outside DEBUG.
HEADERS = {"X-Forwarded-Proto": "https", "Host": "localhost"}


def make_users(run_id: str, count: int) -> list[str]:
    """Verified users with the benchmark's password, one per timed login (a login checks the user's other sessions)."""
    User = get_user_model()
    User.objects.filter(email__startswith=EMAIL_PREFIX, email__endswith=EMAIL_DOMAIN).delete()
    has_username = "username" in [field.name for field in User._meta.fields]
    emails = [f"{EMAIL_PREFIX}{run_id}-{number}{EMAIL_DOMAIN}" for number in range(count)]
    # Hashed once: the hasher's cost is what the logins measure, not what making users should take.
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(email=email, password=password, **({"username": email.split("@")[0]} if has_username else {}))
        for email in emails
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users
    )
    return emails


def count(send) -> tuple[int, object]:
    """Queries of the second of two identical requests, and its response."""
    send()
    with CaptureQueriesContext(connection) as queries:
        response = send()
    return len(queries), response


def captured(send) -> tuple[list[dict], object]:
    """The queries of one request, and its response."""
    with CaptureQueriesContext(connection) as queries:
        response = send()
    return queries.captured_queries, response


def count_once(send) -> tuple[int, object]:
    queries, response = captured(send)
    return len(queries), response


def check(response, status: int, what: str) -> None:
    if response.status_code != status:
        sys.exit(f"{what} answered {response.status_code}, not {status}: {response.content[:500]!r}")


def hasher_parameters() -> dict:
    """The password hasher new passwords get, and its cost where it is Argon2."""
    hasher = get_hasher()
    costs = ("memory_cost", "time_cost", "parallelism")
    return {"algorithm": hasher.algorithm, **{name: getattr(hasher, name, None) for name in costs}}


def main(out: str, run_id: str, users: int) -> None:
    emails = make_users(run_id, users + 2)
    email, taken_email = emails.pop(), emails.pop()
    client = Client(headers=HEADERS)
    results: dict[str, int] = {}

    results["config"], response = count(lambda: client.get("/_allauth/browser/v1/config"))
    check(response, 200, "config")
    results["session_anonymous"], response = count(lambda: client.get("/_allauth/browser/v1/auth/session"))
    check(response, 401, "anonymous session")

    credentials = {"email": email, "password": PASSWORD}
    login_queries, response = captured(
        lambda: client.post("/_allauth/app/v1/auth/login", credentials, content_type="application/json")
    )
    check(response, 200, "login")
    results["login"] = len(login_queries)
    # The site records a security event for each login: one INSERT, the only query it adds.
    results["login_security_events"] = sum("security_events_securityevent" in query["sql"] for query in login_queries)
    meta = response.json()["meta"]
    token = meta["session_token"]

    results["session_token"], response = count(
        lambda: client.get("/_allauth/app/v1/auth/session", headers={"X-Session-Token": token})
    )
    check(response, 200, "session by token")
    cookie_client = Client(headers=HEADERS)
    cookie_client.cookies[settings.SESSION_COOKIE_NAME] = token
    results["session_cookie"], response = count(lambda: cookie_client.get("/_allauth/browser/v1/auth/session"))
    check(response, 200, "session by cookie")
    if "access_token" in meta:
        bearer = {"Authorization": f"Bearer {meta['access_token']}"}
        results["session_jwt"], response = count(lambda: client.get("/_allauth/app/v1/auth/session", headers=bearer))
        check(response, 200, "session by JWT")
    if "api" in settings.INSTALLED_APPS:
        results["me"], response = count(lambda: client.get("/api/v1/me", headers={"X-Session-Token": token}))
        check(response, 200, "/api/v1/me")

    def sign_up(email: str, name: str):
        signup = {"email": email, "password": PASSWORD}
        if "username" in [field.name for field in get_user_model()._meta.fields] and "username*" in getattr(
            settings, "ACCOUNT_SIGNUP_FIELDS", []
        ):
            signup["username"] = f"{EMAIL_PREFIX}{run_id}{name}"
        return Client(headers=HEADERS).post("/_allauth/app/v1/auth/signup", signup, content_type="application/json")

    results["signup"], response = count_once(lambda: sign_up(f"{EMAIL_PREFIX}{run_id}-new{EMAIL_DOMAIN}", "new"))
    check(response, 401, "signup (pending email verification)")
    results["signup_taken"], response = count_once(lambda: sign_up(taken_email, "taken"))
    check(response, 401, "signup for an address with an account (as for a new one)")

    with open(out, "w") as file:
        json.dump(
            {
                "queries": results,
                "emails": emails,
                "password": PASSWORD,
                "session_cookie_name": settings.SESSION_COOKIE_NAME,
                "hasher": hasher_parameters(),
            },
            file,
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
