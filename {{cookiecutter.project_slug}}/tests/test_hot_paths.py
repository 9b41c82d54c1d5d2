"""What the session check does on every request, made cheaper, answers exactly what allauth's own code answers."""

import dataclasses
import os

import pytest
from allauth.headless.adapter import DefaultHeadlessAdapter

from accounts.adapters import HeadlessAdapter
from core.cache import RedisCache


def fields_of(dataclass: type) -> list[tuple]:
    # The id's example in the OpenAPI document is a random UUID each time allauth makes the class.
    return [(field.name, field.type, field.metadata["description"]) for field in dataclasses.fields(dataclass)]


def test_the_user_dataclass_is_made_once_with_allauths_fields():
    made = HeadlessAdapter().get_user_dataclass()

    assert HeadlessAdapter().get_user_dataclass() is made
    assert fields_of(made) == fields_of(DefaultHeadlessAdapter().get_user_dataclass())


def test_the_session_checks_user_is_allauths_field_by_field(logged_in_client, user):
    answer = logged_in_client.get("auth/session").json()["data"]["user"]

    assert answer == dataclasses.asdict(DefaultHeadlessAdapter().user_as_dataclass(user))


def test_the_logins_user_is_allauths_field_by_field(headless_client, user):
    answer = headless_client.login().json()["data"]["user"]

    assert answer == dataclasses.asdict(DefaultHeadlessAdapter().user_as_dataclass(user))


@pytest.fixture
def redis_url() -> str:
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL, as production and CI have")
    return os.environ["REDIS_URL"]


def test_the_redis_cache_keeps_one_client_per_pool(redis_url):
    cache = RedisCache(redis_url, {"KEY_PREFIX": "hot-paths-test"})

    cache.set("answer", {"is": 42})

    assert cache.get("answer") == {"is": 42}
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete("answer")
