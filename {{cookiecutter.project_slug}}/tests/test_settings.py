"""The settings refuse values that would silently mean something else."""

import importlib
import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured

import config.settings
from accounts import frontend_urls
from config.environment import Env

from .conftest import FRONTEND


@pytest.fixture
def environ(monkeypatch):
    yield monkeypatch
    monkeypatch.undo()
    importlib.reload(config.settings)


@pytest.mark.parametrize(("raw", "value"), [("on", True), ("TRUE", True), ("1", True), ("off", False), ("0", False)])
def test_booleans_read_on_off_true_false_one_zero(monkeypatch, raw, value):
    monkeypatch.setenv("SOME_FLAG", raw)

    assert Env().bool("SOME_FLAG") is value


def test_an_unset_boolean_takes_its_default(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)

    assert Env().bool("SOME_FLAG", default=True) is True


@pytest.mark.parametrize("setting", ["DEBUG", "HEADLESS_ONLY"])
def test_a_mistyped_boolean_stops_start_up(environ, setting):
    environ.setenv(setting, "flase")

    with pytest.raises(ImproperlyConfigured, match=f"{setting}='flase' is not a boolean"):
        importlib.reload(config.settings)


def test_list_items_are_stripped(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", " api.example.com, www.example.com ,")

    assert Env().list("SOME_HOSTS") == ["api.example.com", "www.example.com"]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_needs_a_secret_key_and_allowed_hosts(environ, missing):
    environ.setenv("DEBUG", "off")
    environ.setenv("SECRET_KEY", "a-test-key-that-is-long-enough-for-these-tests-only")
    environ.setenv("ALLOWED_HOSTS", "api.example.com")
    environ.setenv(missing, "")

    with pytest.raises(ImproperlyConfigured, match=f"{missing} is empty and DEBUG is off"):
        importlib.reload(config.settings)


def test_a_list_of_numbers_that_is_not_one_stops_start_up(environ):
    environ.setenv("EMAIL_RETRY_DELAYS", "60, soon")

    expected = "EMAIL_RETRY_DELAYS='60, soon' is not a comma-separated list of int"
    with pytest.raises(ImproperlyConfigured, match=expected):
        importlib.reload(config.settings)


def test_an_empty_list_is_empty_and_an_unset_one_takes_its_default(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", "")
    assert Env().list("SOME_HOSTS", default=["fallback"]) == []

    monkeypatch.delenv("SOME_HOSTS")
    assert Env().list("SOME_HOSTS", default=["fallback"]) == ["fallback"]


def test_jwt_tokens_need_a_signing_key_and_say_how_to_make_one(environ):
    environ.setenv("APP_TOKEN_STRATEGY", "jwt")
    environ.setenv("HEADLESS_JWT_PRIVATE_KEY", "")

    with pytest.raises(ImproperlyConfigured, match="HEADLESS_JWT_PRIVATE_KEY is empty") as error:
        importlib.reload(config.settings)
    assert "python -m accounts.jwt_keys >> .env" in str(error.value)


def test_the_signing_key_is_read_from_one_line_of_the_environment(environ, jwt_private_key):
    environ.setenv("APP_TOKEN_STRATEGY", "jwt")
    environ.setenv("HEADLESS_JWT_PRIVATE_KEY", jwt_private_key.strip().replace("\n", "\\n"))

    importlib.reload(config.settings)

    assert config.settings.HEADLESS_TOKEN_STRATEGY == "accounts.headless.token_refresh.JWTTokenStrategy"
    read = config.settings.HEADLESS_JWT_PRIVATE_KEY
    assert read == jwt_private_key.strip()


def _small_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505  (to be refused)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem.decode()


@pytest.mark.parametrize(
    ("setting", "value", "complaint"),
    [
        ("APP_TOKEN_STRATEGY", "jtw", "APP_TOKEN_STRATEGY='jtw' is not a token strategy. Set it to session or jwt."),
        ("HEADLESS_JWT_PRIVATE_KEY", "not a key", "HEADLESS_JWT_PRIVATE_KEY is not an unencrypted RSA private key"),
        ("HEADLESS_JWT_PRIVATE_KEY", _small_key(), "HEADLESS_JWT_PRIVATE_KEY is a 1024-bit key; use at least 2048"),
        ("JWT_PREVIOUS_PUBLIC_KEY", "not a key", "JWT_PREVIOUS_PUBLIC_KEY is not an RSA public key"),
    ],
    ids=["unknown_strategy", "not_a_key", "small_key", "bad_previous_key"],
)
def test_a_bad_token_setting_stops_start_up(environ, jwt_private_key, setting, value, complaint):
    environ.setenv("APP_TOKEN_STRATEGY", "jwt")
    environ.setenv("HEADLESS_JWT_PRIVATE_KEY", jwt_private_key)
    environ.setenv(setting, value)

    with pytest.raises(ImproperlyConfigured, match=re.escape(complaint)):
        importlib.reload(config.settings)


def test_the_frontend_origins_are_allowed_and_trusted_by_default(environ):
    for setting, url in frontend_urls.defaults(FRONTEND, frontend_urls.BY_SETTING.values()).items():
        environ.setenv(setting, url)
    environ.delenv("CORS_ALLOWED_ORIGINS", raising=False)

    importlib.reload(config.settings)

    assert config.settings.CORS_ALLOWED_ORIGINS == [FRONTEND]
    assert config.settings.CSRF_TRUSTED_ORIGINS == [FRONTEND]


def test_an_empty_list_of_allowed_origins_allows_none(environ):
    environ.setenv("CORS_ALLOWED_ORIGINS", "")

    importlib.reload(config.settings)

    assert config.settings.CORS_ALLOWED_ORIGINS == []
    assert config.settings.CSRF_TRUSTED_ORIGINS == []


def test_allowed_origins_and_the_csrf_cookie_domain_are_read(environ):
    environ.setenv("CORS_ALLOWED_ORIGINS", "https://app.example.com, https://admin.example.com:8443")
    environ.setenv("CSRF_COOKIE_DOMAIN", "example.com")

    importlib.reload(config.settings)

    assert config.settings.CORS_ALLOWED_ORIGINS == ["https://app.example.com", "https://admin.example.com:8443"]
    assert config.settings.CSRF_TRUSTED_ORIGINS == config.settings.CORS_ALLOWED_ORIGINS
    assert config.settings.CSRF_COOKIE_DOMAIN == "example.com"


@pytest.mark.parametrize(
    ("origins", "complaint"),
    [
        ("*", "'*' is a wildcard, which browsers refuse together with credentials"),
        ("https://*.example.com", "'https://*.example.com' is a wildcard"),
        ("https://app.example.com/", "has more than an origin (a path, even a trailing slash"),
        ("https://app.example.com/app", "Write 'https://app.example.com'"),
        ("app.example.com", "'app.example.com' is not an http(s) origin"),
        ("HTTPS://App.Example.com:443", "would never match what browsers send. Write 'https://app.example.com'"),
        ("https://app.example.com:99999", "has an invalid port"),
    ],
)
def test_a_bad_allowed_origin_stops_start_up(environ, origins, complaint):
    environ.setenv("CORS_ALLOWED_ORIGINS", origins)

    with pytest.raises(ImproperlyConfigured, match=re.escape(complaint)) as error:
        importlib.reload(config.settings)
    assert "CORS_ALLOWED_ORIGINS entry" in str(error.value)


def test_plain_http_origins_are_refused_in_production_except_loopback(environ):
    environ.setenv("DEBUG", "off")
    environ.setenv("SECRET_KEY", "a-test-key-that-is-long-enough-for-these-tests-only-3Fq9")
    environ.setenv("ALLOWED_HOSTS", "api.example.com")
    environ.setenv("CORS_ALLOWED_ORIGINS", "http://app.example.com,http://localhost:3000")

    with pytest.raises(ImproperlyConfigured, match="uses plain http with DEBUG off") as error:
        importlib.reload(config.settings)
    assert "'http://app.example.com'" in str(error.value)
    assert "localhost" not in str(error.value)


def test_every_bad_cross_origin_setting_is_reported_at_once(environ):
    environ.setenv("CORS_ALLOWED_ORIGINS", "*,https://app.example.com/")
    environ.setenv("CSRF_COOKIE_DOMAIN", "https://example.com")

    with pytest.raises(ImproperlyConfigured) as error:
        importlib.reload(config.settings)
    message = str(error.value)
    assert message.count("\n- ") == 3
    assert "CSRF_COOKIE_DOMAIN='https://example.com' is not a domain name" in message


@pytest.mark.parametrize(("raw", "engine"), [(None, "cache"), ("off", "cache"), ("on", "cached_db")])
def test_with_redis_sessions_live_there_alone_unless_kept_in_the_database_too(environ, raw, engine):
    environ.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    if raw is None:
        environ.delenv("SESSIONS_IN_DATABASE", raising=False)
    else:
        environ.setenv("SESSIONS_IN_DATABASE", raw)

    importlib.reload(config.settings)

    assert config.settings.SESSION_ENGINE.removeprefix("django.contrib.sessions.backends.") == engine
