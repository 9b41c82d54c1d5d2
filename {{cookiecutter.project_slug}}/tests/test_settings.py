"""The settings refuse values that would silently mean something else, and report every problem at once."""

import re
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from accounts import frontend_urls, jwt_keys, token_strategies
from config import checks
from config.environment import Env
from core import cors
from core.validation import Problem, ProblemID

from .conftest import FRONTEND


@pytest.mark.parametrize(("raw", "value"), [("on", True), ("TRUE", True), ("1", True), ("off", False), ("0", False)])
def test_booleans_read_on_off_true_false_one_zero(monkeypatch, raw, value):
    monkeypatch.setenv("SOME_FLAG", raw)

    assert Env().bool("SOME_FLAG") is value


def test_an_unset_boolean_takes_its_default(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)

    assert Env().bool("SOME_FLAG", default=True) is True


def test_a_mistyped_boolean_is_a_problem_not_false(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "flase")
    env = Env()

    env.bool("SOME_FLAG", default=True)

    [problem] = env.problems
    assert (problem.id, problem.setting, problem.value) == (ProblemID.NOT_A_BOOLEAN, "SOME_FLAG", "flase")
    assert "Set it to on or off" in str(problem)


def test_list_items_are_stripped(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", " api.example.com, www.example.com ,")

    assert Env().list("SOME_HOSTS") == ["api.example.com", "www.example.com"]


def test_an_empty_list_is_empty_and_an_unset_one_takes_its_default(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", "")
    assert Env().list("SOME_HOSTS", default=["fallback"]) == []

    monkeypatch.delenv("SOME_HOSTS")
    assert Env().list("SOME_HOSTS", default=["fallback"]) == ["fallback"]


def test_a_list_of_numbers_that_is_not_one_is_a_problem(monkeypatch):
    monkeypatch.setenv("SOME_DELAYS", "60, soon")
    env = Env()

    assert env.list("SOME_DELAYS", cast=int, default=[1]) == [1]

    [problem] = env.problems
    assert problem.id == ProblemID.NOT_A_LIST
    assert "SOME_DELAYS='60, soon': is not a comma-separated list of int" in str(problem)


def test_a_number_that_is_not_one_is_a_problem(monkeypatch):
    monkeypatch.setenv("SOME_SECONDS", "5m")
    env = Env()

    assert env.int("SOME_SECONDS", default=300) == 300

    [problem] = env.problems
    assert problem.id == ProblemID.NOT_AN_INTEGER


def test_problem_ids_are_unique_and_shaped_like_djangos():
    ids = [value for name, value in vars(ProblemID).items() if name.isupper()]

    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"(core|accounts)\.[EW]\d{3}", problem_id) for problem_id in ids)


def test_a_secret_is_never_repeated_in_a_message():
    problem = Problem(ProblemID.SIGNING_KEY_MALFORMED, "SOME_KEY", "hunter2", "is not a key.", "Make one.", secret=True)

    assert "hunter2" not in str(problem)
    assert "hunter2" not in checks.as_check_message(problem).msg


def test_jwt_tokens_need_a_signing_key_and_say_how_to_make_one():
    [problem] = jwt_keys.find_problems("", "", required=True)

    assert problem.id == ProblemID.SIGNING_KEY_MISSING
    assert "HEADLESS_JWT_PRIVATE_KEY: is empty, and APP_TOKEN_STRATEGY is jwt" in str(problem)
    assert "python -m accounts.jwt_keys >> .env" in str(problem)


def test_the_signing_key_is_read_from_one_line_of_the_environment(settings_from, jwt_private_key):
    read = settings_from(
        APP_TOKEN_STRATEGY="jwt", HEADLESS_JWT_PRIVATE_KEY=jwt_private_key.strip().replace("\n", "\\n")
    )

    assert read.HEADLESS_TOKEN_STRATEGY == "accounts.headless.token_refresh.JWTTokenStrategy"
    assert jwt_private_key.strip() == read.HEADLESS_JWT_PRIVATE_KEY


def _small_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505  (to be refused)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem.decode()


def test_an_unknown_token_strategy_is_a_problem():
    [problem] = token_strategies.find_problems("jtw")

    assert str(problem).startswith("APP_TOKEN_STRATEGY='jtw': is not a token strategy. Set it to session or jwt.")


@pytest.mark.parametrize(
    ("private_key", "previous", "complaint"),
    [
        ("not a key", "", "HEADLESS_JWT_PRIVATE_KEY: is not an unencrypted RSA private key"),
        (_small_key(), "", "HEADLESS_JWT_PRIVATE_KEY: is a 1024-bit key; use at least 2048"),
        (None, "not a key", "JWT_PREVIOUS_PUBLIC_KEY='not a key': is not an RSA public key"),
    ],
    ids=["not_a_key", "small_key", "bad_previous_key"],
)
def test_a_bad_token_key_is_a_problem(jwt_private_key, private_key, previous, complaint):
    [problem] = jwt_keys.find_problems(private_key or jwt_private_key, previous, required=True)

    assert complaint in str(problem)


def test_the_frontend_origins_are_allowed_and_trusted_by_default(settings_from):
    urls = frontend_urls.defaults(FRONTEND, frontend_urls.BY_SETTING.values())

    read = settings_from(**urls, CORS_ALLOWED_ORIGINS=None)

    assert read.CORS_ALLOWED_ORIGINS == [FRONTEND]
    assert read.CSRF_TRUSTED_ORIGINS == [FRONTEND]


def test_an_empty_list_of_allowed_origins_allows_none(settings_from):
    read = settings_from(CORS_ALLOWED_ORIGINS="")

    assert read.CORS_ALLOWED_ORIGINS == []
    assert read.CSRF_TRUSTED_ORIGINS == []


def test_allowed_origins_and_the_csrf_cookie_domain_are_read(settings_from):
    read = settings_from(
        CORS_ALLOWED_ORIGINS="https://app.example.com, https://admin.example.com:8443", CSRF_COOKIE_DOMAIN="example.com"
    )

    assert read.CORS_ALLOWED_ORIGINS == ["https://app.example.com", "https://admin.example.com:8443"]
    assert read.CSRF_TRUSTED_ORIGINS == read.CORS_ALLOWED_ORIGINS
    assert read.CSRF_COOKIE_DOMAIN == "example.com"


@pytest.mark.parametrize(
    ("origin", "problem_id", "complaint"),
    [
        ("*", ProblemID.CORS_ORIGIN_WILDCARD, "is a wildcard, which browsers refuse together with credentials"),
        ("https://*.example.com", ProblemID.CORS_ORIGIN_WILDCARD, "is a wildcard"),
        ("https://app.example.com/", ProblemID.CORS_ORIGIN_NOT_AN_ORIGIN, "has more than an origin (a path, even"),
        ("https://app.example.com/app", ProblemID.CORS_ORIGIN_NOT_AN_ORIGIN, "Write 'https://app.example.com'"),
        ("app.example.com", ProblemID.CORS_ORIGIN_MALFORMED, "is not an http(s) origin"),
        (
            "HTTPS://App.Example.com:443",
            ProblemID.CORS_ORIGIN_NOT_AN_ORIGIN,
            "would never match what browsers send. Write 'https://app.example.com'",
        ),
        ("https://app.example.com:99999", ProblemID.CORS_ORIGIN_MALFORMED, "has an invalid port"),
    ],
)
def test_a_bad_allowed_origin_is_a_problem(origin, problem_id, complaint):
    [problem] = cors.find_problems([origin], allow_http=False)

    assert problem.id == problem_id
    assert str(problem).startswith(f"CORS_ALLOWED_ORIGINS={origin!r}: ")
    assert complaint in str(problem)


def test_plain_http_origins_are_refused_in_production_except_loopback():
    [problem] = cors.find_problems(["http://app.example.com", "http://localhost:3000"], allow_http=False)

    assert problem.value == "http://app.example.com"
    assert "uses plain http with DEBUG off" in str(problem)
    assert cors.find_problems(["http://app.example.com"], allow_http=True) == []


def test_a_cookie_domain_must_be_a_domain():
    [problem] = cors.cookie_domain_problems("CSRF_COOKIE_DOMAIN", "https://example.com")

    assert "CSRF_COOKIE_DOMAIN='https://example.com': is not a domain name" in str(problem)
    assert cors.cookie_domain_problems("CSRF_COOKIE_DOMAIN", "example.com") == []


def _as_settings(**changes) -> SimpleNamespace:
    """The settings in force, with ``changes``: what config/checks.py reads."""
    return SimpleNamespace(**{name: getattr(settings, name) for name in dir(settings) if name.isupper()} | changes)


def test_every_rule_runs_over_the_settings_and_reports_every_problem():
    bad = _as_settings(
        CORS_ALLOWED_ORIGINS=["*"],
        CSRF_COOKIE_DOMAIN="https://example.com",
        FRONTEND_URLS={**settings.FRONTEND_URLS, "PASSWORD_RESET_URL": "/reset"},
        APP_TOKEN_STRATEGY="jtw",
        ADMIN_URL="/admin",
    )

    ids = {problem.id for problem in checks.find_problems(bad)}

    assert ids >= {
        ProblemID.CORS_ORIGIN_WILDCARD,
        ProblemID.COOKIE_DOMAIN_MALFORMED,
        ProblemID.FRONTEND_URL_NOT_ABSOLUTE,
        ProblemID.TOKEN_STRATEGY_UNKNOWN,
        ProblemID.ADMIN_URL_MALFORMED,
    }
    assert checks.find_problems(_as_settings()) == []


def test_the_system_checks_report_the_same_problems_with_their_ids(settings, db):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com/"]
    settings.FRONTEND_URLS = {**settings.FRONTEND_URLS, "EMAIL_VERIFICATION_URL": "/verify"}

    errors = {error.id: error for error in run_checks()}

    assert errors[ProblemID.CORS_ORIGIN_NOT_AN_ORIGIN].msg.startswith("CORS_ALLOWED_ORIGINS='https://app.example.com/'")
    assert errors[ProblemID.CORS_ORIGIN_NOT_AN_ORIGIN].hint == "Write 'https://app.example.com'."
    assert ProblemID.FRONTEND_URL_NOT_ABSOLUTE in errors


def test_start_up_reports_the_problems_of_every_section_at_once(settings_from):
    with pytest.raises(ImproperlyConfigured) as error:
        settings_from(
            REDIS_URL="redis://127.0.0.1:6379/0",  # production's shared cache; loading settings does not connect
            DEBUG="flase",
            CORS_ALLOWED_ORIGINS="*",
            CSRF_COOKIE_DOMAIN="https://example.com",
            APP_TOKEN_STRATEGY="jtw",
            EMAIL_RETRY_DELAYS="60, soon",
        )

    message = str(error.value)
    assert message.startswith("Fix these settings in the environment or .env:\n")
    for problem_id in (
        ProblemID.NOT_A_BOOLEAN,
        ProblemID.NOT_A_LIST,
        ProblemID.CORS_ORIGIN_WILDCARD,
        ProblemID.COOKIE_DOMAIN_MALFORMED,
        ProblemID.TOKEN_STRATEGY_UNKNOWN,
    ):
        assert f"({problem_id})" in message
    assert message.count("\n- ") == 5


@pytest.mark.parametrize(
    ("raw", "engine"),
    [(None, "core.sessions"), ("off", "core.sessions"), ("on", "django.contrib.sessions.backends.cached_db")],
)
def test_with_redis_sessions_live_there_alone_unless_kept_in_the_database_too(settings_from, raw, engine):
    read = settings_from(REDIS_URL="redis://127.0.0.1:6379/0", SESSIONS_IN_DATABASE=raw)

    assert engine == read.SESSION_ENGINE
