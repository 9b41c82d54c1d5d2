"""What the session check does on every request, made cheaper, answers exactly what allauth's own code answers."""

import dataclasses
import os
import uuid

import pytest
from allauth.account.models import EmailAddress
from allauth.account.utils import setup_user_email
from allauth.headless.adapter import DefaultHeadlessAdapter
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.adapters import HeadlessAdapter
from accounts.auth_backends import AuthenticationBackend
from core.cache import RedisCache

from .conftest import username_if_any

NEW_ADDRESS = "Ada.Lovelace@Example.com"


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


def values_of(user) -> list:
    return [getattr(user, field.attname) for field in user._meta.concrete_fields]


def test_the_backend_loads_the_user_djangos_loads_field_by_field(user):
    for user_id in (user.pk, str(user.pk)):
        assert values_of(AuthenticationBackend().get_user(user_id)) == values_of(ModelBackend().get_user(user_id))


def test_the_backend_loads_no_user_where_djangos_loads_none(user):
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)

    for user_id in (user.pk, uuid.uuid4()):
        assert ModelBackend().get_user(user_id) is None
        assert AuthenticationBackend().get_user(user_id) is None


def test_the_session_check_loads_its_user_with_one_query_the_orm_does_not_build(logged_in_client, monkeypatch):
    built_for = []
    build = SQLCompiler.as_sql

    def as_sql(compiler, *args, **kwargs):
        built_for.append(compiler.query.model)
        return build(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", as_sql)
    with CaptureQueriesContext(connection) as queries:
        assert logged_in_client.get("auth/session").status_code == 200

    user_table = connection.ops.quote_name(get_user_model()._meta.db_table)
    user_queries = [query["sql"] for query in queries if user_table in query["sql"]]
    assert [sql.split(" WHERE ")[0] for sql in user_queries] == [f"SELECT * FROM {user_table}"]  # noqa: S608
    assert get_user_model() not in built_for


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


def sign_up(client, email: str):
    body = {"email": email, "password": "A-new-passphrase-42", **username_if_any("lovelace")}
    return client.post("auth/signup", body)


def addresses_of(user) -> list[dict]:
    return list(EmailAddress.objects.filter(user=user).values("email", "primary", "verified"))


def test_a_signup_writes_the_address_row_allauth_writes(headless_client, db):
    assert sign_up(headless_client, NEW_ADDRESS).status_code == 401  # the address is to be verified
    user = get_user_model().objects.get(email__iexact=NEW_ADDRESS)
    written = addresses_of(user)

    EmailAddress.objects.filter(user=user).delete()
    request = RequestFactory().post("/")
    request.session = {}
    # As allauth's signup form calls it: the user's address, and the form's again.
    setup_user_email(request, user, [EmailAddress(email=user.email)])

    assert written == addresses_of(user) == [{"email": NEW_ADDRESS.lower(), "primary": True, "verified": False}]


def test_a_signup_asks_for_the_address_only_to_check_it_and_to_mail_it(headless_client, db):
    with CaptureQueriesContext(connection) as queries:
        sign_up(headless_client, NEW_ADDRESS)

    address_queries = [query["sql"].split()[0] for query in queries if "account_emailaddress" in query["sql"]]
    # Whether it is taken, the row, whether the user has a verified one, which one to mail.
    assert address_queries == ["SELECT", "INSERT", "SELECT", "SELECT"]
