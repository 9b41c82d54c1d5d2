"""Refresh tokens on two gunicorn servers sharing PostgreSQL and Redis: each is spent once, whichever server sees it.

Two refreshes with one refresh token at the same moment must not both get new
tokens, and a refresh token sent again after it was spent (RFC 9700, 4.14.2:
it has leaked, or its owner's app misbehaves) ends its session on every server.
"""

from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.cache import cache

from accounts import jwt_keys

from .conftest import EMAIL, PASSWORD, username_if_any
from .live_server import production_environ, require_postgresql_and_redis, serving, side_by_side

pytestmark = [pytest.mark.django_db(transaction=True)]

SIMULTANEOUS = 8


@pytest.fixture(scope="module")
def servers(django_db_setup):
    """Two servers handing out JWTs, on the test database and the shared Redis, each serving requests side by side."""
    require_postgresql_and_redis()
    environ = production_environ() | {
        "APP_TOKEN_STRATEGY": "jwt",
        "HEADLESS_JWT_PRIVATE_KEY": jwt_keys.new_private_key(),
    }
    with serving(2, environ, threads=4) as servers:
        yield servers


@pytest.fixture
def tokens(servers) -> dict:
    """A verified user logged in through the app client: its session token, access token and refresh token."""
    user = get_user_model()(email=EMAIL, **username_if_any())
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save()
    EmailAddress.objects.create(user=user, email=EMAIL, primary=True, verified=True)
    cache.clear()
    status, body = servers[0].call("POST", "auth/login", {"email": EMAIL, "password": PASSWORD})
    assert status == 200, body
    return body["meta"]


def test_simultaneous_refreshes_with_one_token_do_not_both_succeed(servers, tokens):
    def refresh(i: int) -> tuple[int, dict]:
        return servers[i % 2].call("POST", "tokens/refresh", {"refresh_token": tokens["refresh_token"]})

    answers = side_by_side(SIMULTANEOUS, refresh)

    statuses = Counter(status for status, _body in answers)
    assert statuses[200] <= 1, (statuses, answers)
    assert set(statuses) <= {200, 400}, (statuses, servers[0].errors()[-3000:])
    # The token was sent more than once, so the session ended: the winner's new tokens are no use either.
    for status, body in answers:
        if status == 200:
            assert servers[1].call("POST", "tokens/refresh", {"refresh_token": body["data"]["refresh_token"]})[0] == 400
    assert servers[0].call("GET", "auth/session", token=tokens["session_token"])[0] in (401, 410)


def test_a_spent_refresh_token_sent_to_the_other_server_ends_the_session_on_both(servers, tokens):
    first, second = servers
    status, body = first.call("POST", "tokens/refresh", {"refresh_token": tokens["refresh_token"]})
    assert status == 200, body
    renewed = body["data"]

    status, body = second.call("POST", "tokens/refresh", {"refresh_token": tokens["refresh_token"]})

    assert status == 400
    assert body["errors"][0]["code"] == "token_reused"
    assert first.call("POST", "tokens/refresh", {"refresh_token": renewed["refresh_token"]})[0] == 400
    assert first.call("GET", "auth/session", token=tokens["session_token"])[0] in (401, 410)
    assert second.call("GET", "auth/session", token=tokens["session_token"])[0] in (401, 410)
