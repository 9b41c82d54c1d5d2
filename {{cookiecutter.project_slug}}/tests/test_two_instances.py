"""Two gunicorn servers sharing PostgreSQL and Redis behave as one site: sessions and rate limits are shared."""

import pytest
from django.conf import settings

from .conftest import EMAIL, PASSWORD
from .live_server import have_postgresql_and_redis, production_environ, serving

# allauth's default login_failed limit per account: 5 failures in 5 minutes (and 10 a minute per client address).
LOGIN_FAILED_LIMIT = 5

pytestmark = [
    pytest.mark.skipif(
        not have_postgresql_and_redis(),
        reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL: two servers share nothing else",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def servers():
    """Two servers on the test database and the shared Redis, with production settings."""
    with serving(2, production_environ()) as servers:
        yield servers


def test_they_share_the_cache_and_sessions():
    assert settings.CACHES["default"]["BACKEND"] == "core.cache.RedisCache"
    assert settings.SESSION_ENGINE == "core.sessions"


def test_a_session_from_one_is_valid_on_the_other_and_logout_ends_it_on_both(servers, server_user):
    first, second = servers
    status, body = first.call("POST", "auth/login", {"email": EMAIL, "password": PASSWORD})
    assert status == 200, body
    token = body["meta"]["session_token"]

    status, body = second.call("GET", "auth/session", token=token)
    assert status == 200
    assert body["data"]["user"]["email"] == EMAIL

    status, _ = second.call("DELETE", "auth/session", token=token)
    assert status == 401
    assert first.call("GET", "auth/session", token=token)[0] in (401, 410)
    assert second.call("GET", "auth/session", token=token)[0] in (401, 410)


def test_failed_logins_spread_over_both_reach_the_limit_as_on_one(servers, server_user):
    limit = LOGIN_FAILED_LIMIT
    codes = []
    for attempt in range(limit + 1):
        server = servers[attempt % 2]
        status, body = server.call("POST", "auth/login", {"email": EMAIL, "password": "wrong"})
        assert status == 400
        codes.append(body["errors"][0]["code"])

    assert codes[:limit] == ["email_password_mismatch"] * limit
    assert codes[limit] == "too_many_login_attempts"
    status, body = servers[0].call("POST", "auth/login", {"email": EMAIL, "password": PASSWORD})
    assert body["errors"][0]["code"] == "too_many_login_attempts"
