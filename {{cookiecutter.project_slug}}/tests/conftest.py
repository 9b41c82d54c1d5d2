"""Fixtures: a headless client for each of allauth's two clients, users, mail links and codes, settings that route."""

import importlib
import json
import re
import runpy
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import pytest
from allauth.account.internal.flows import code_verification, password_reset_by_code
from allauth.account.models import EmailAddress
from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher, MD5PasswordHasher
from django.contrib.sessions.backends.base import SessionBase
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import clear_url_caches
from django.utils.module_loading import import_string

from accounts import frontend_urls, jwt_keys

from .live_server import Server, production_environ, require_postgresql_and_redis

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "config" / "settings.py"
FRONTEND = "https://app.example.com"
PASSWORD = "Correct-horse-battery-9"
EMAIL = "ada@example.com"
OTHER_EMAIL = "grace@example.com"
URL_PATTERN = re.compile(r"https?://[^\s<>\"]+")
# A code by mail stands on a line of its own: allauth's default is two groups of four letters and digits.
CODE_LINE = re.compile(r"^[A-Z0-9]{4,}(?:-[A-Z0-9]{4,})*$", re.MULTILINE)


@pytest.fixture(autouse=True)
def test_settings(settings):
    """Known frontend URLs, a fast hasher, tasks run at once, no https redirect, plain static files, an empty cache."""
    every_url = frontend_urls.defaults(FRONTEND, frontend_urls.BY_SETTING.values())
    settings.FRONTEND_URLS = {name: every_url[name] for name in settings.FRONTEND_URLS}
    settings.HEADLESS_FRONTEND_URLS = frontend_urls.allauth_frontend_urls(settings.FRONTEND_URLS)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SECURE_SSL_REDIRECT = False  # the test client speaks plain http, even with DEBUG off
    # Django's test runner turns DEBUG off; without Redis the suite is one process with a cache of its own.
    settings.SINGLE_PROCESS = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    return settings


@pytest.fixture
def settings_from(monkeypatch):
    """Reads config/settings.py afresh for an environment, as a new process would, apart from the live settings.

    ``settings_from(DEBUG="off", CACHE_URL=None)`` sets the variables given (None unsets one) and returns
    the settings module's values; a misconfiguration raises ImproperlyConfigured as start-up does.
    """

    def read(**environ: str | None) -> SimpleNamespace:
        for name, value in environ.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        return SimpleNamespace(**runpy.run_path(str(SETTINGS_FILE)))

    return read


class HeadlessClient:
    """Calls one client's headless API, and the project API, the way a frontend does.

    The browser client keeps the session cookie and echoes the CSRF cookie in
    X-CSRFToken; the app client keeps the tokens from each answer and sends the
    session token in X-Session-Token or, with ``bearer`` set, the JWT access
    token in Authorization. CSRF is enforced, unlike Django's default.
    """

    def __init__(self, kind: str, *, bearer: bool = False) -> None:
        self.kind = kind
        self.bearer = bearer
        self.http = Client(enforce_csrf_checks=True)
        self.session_token: str | None = None
        self.access_token: str | None = None
        self.refresh_token: str | None = None

    def url(self, path: str) -> str:
        return f"/_allauth/{self.kind}/v1/{path.lstrip('/')}"

    def request(self, method: str, path: str, data=None, *, csrf: bool = True, headers=None) -> HttpResponse:
        return self._send(method, self.url(path), data, csrf=csrf, headers=headers)

    def api(self, method: str, path: str, data=None, *, csrf: bool = True, headers=None) -> HttpResponse:
        """Calls the project API at /api/v1/ with this client's credentials."""
        return self._send(method, f"/api/v1/{path.lstrip('/')}", data, csrf=csrf, headers=headers)

    def _send(self, method: str, url: str, data, *, csrf: bool, headers) -> HttpResponse:
        headers = dict(headers or {})
        if self.kind == "browser" and csrf and method != "GET":
            headers["X-CSRFToken"] = self.csrf_token()
        if self.kind == "app" and self.bearer and self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        elif self.kind == "app" and self.session_token:
            headers["X-Session-Token"] = self.session_token
        body = "" if data is None else json.dumps(data)
        response = self.http.generic(method, url, body, content_type="application/json", headers=headers)
        if response.get("Content-Type", "").startswith("application/json") and response.content:
            meta = response.json().get("meta", {})
            for token in ("session_token", "access_token", "refresh_token"):
                if meta.get(token):
                    setattr(self, token, meta[token])
        return response

    def get(self, path: str, **kwargs) -> HttpResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data=None, **kwargs) -> HttpResponse:
        return self.request("POST", path, data, **kwargs)

    def put(self, path: str, data=None, **kwargs) -> HttpResponse:
        return self.request("PUT", path, data, **kwargs)

    def delete(self, path: str, data=None, **kwargs) -> HttpResponse:
        return self.request("DELETE", path, data, **kwargs)

    def csrf_token(self) -> str:
        if "csrftoken" not in self.http.cookies:
            self.http.get(self.url("config"))
        return self.http.cookies["csrftoken"].value

    def session(self):
        """The server-side session behind this client (cookie or token)."""
        store: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
        key = self.session_token if self.kind == "app" else self.http.cookies[settings.SESSION_COOKIE_NAME].value
        return store(session_key=key)

    def login(self, email: str = EMAIL, password: str = PASSWORD) -> HttpResponse:
        response = self.post("auth/login", {"email": email, "password": password})
        assert response.status_code == 200, response.content
        return response


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting every password it hashes or checks."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


@pytest.fixture(params=["browser", "app"])
def headless_client(request) -> HeadlessClient:
    return HeadlessClient(request.param)


@pytest.fixture(scope="session")
def jwt_private_key() -> str:
    """The configured signing key, or a fresh one where the site gives session tokens only."""
    return settings.HEADLESS_JWT_PRIVATE_KEY or jwt_keys.new_private_key()


@pytest.fixture
def jwt_tokens(settings, jwt_private_key):
    """The app client gets JWT access and refresh tokens, as with APP_TOKEN_STRATEGY=jwt."""
    settings.HEADLESS_TOKEN_STRATEGY = settings.TOKEN_STRATEGIES["jwt"]
    settings.HEADLESS_JWT_PRIVATE_KEY = jwt_private_key
    return settings


@pytest.fixture(params=["session_cookie", "session_token", "access_token"])
def api_client(request, user) -> HeadlessClient:
    """Logged in, and calling the project API with each of the headless API's three ways to authenticate."""
    if request.param == "access_token":
        request.getfixturevalue("jwt_tokens")
    client = HeadlessClient(
        "browser" if request.param == "session_cookie" else "app", bearer=request.param == "access_token"
    )
    client.login()
    return client


@pytest.fixture
def user(db):
    """A user with a verified email address and a known password."""
    account = get_user_model().objects.create_user(**username_if_any(), email=EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=account, email=EMAIL, primary=True, verified=True)
    return account


@pytest.fixture
def other_user(db):
    """A second user with a verified address, whose codes must not work for ``user``."""
    account = get_user_model().objects.create_user(**username_if_any("grace"), email=OTHER_EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=account, email=OTHER_EMAIL, primary=True, verified=True)
    return account


@pytest.fixture
def server_user():
    """The same user for a real server of this site, whose password hash its own hasher (Argon2) can check.

    Tests hash with a fast hasher that only this process knows; a server runs with the site's hashers.
    """
    account = get_user_model()(email=EMAIL, **username_if_any())
    account.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    account.save()
    EmailAddress.objects.create(user=account, email=EMAIL, primary=True, verified=True)
    cache.clear()
    return account


@pytest.fixture
def logged_in_client(headless_client, user) -> HeadlessClient:
    headless_client.login()
    mail.outbox.clear()
    return headless_client


@pytest.fixture
def reauthenticated_client(logged_in_client) -> HeadlessClient:
    """Logged in and just reauthenticated, as sensitive changes require."""
    response = logged_in_client.post("auth/reauthenticate", {"password": PASSWORD})
    assert response.status_code == 200, response.content
    return logged_in_client


def username_if_any(username: str = "ada") -> dict[str, str]:
    """A username for a test user when the bake has usernames, else nothing."""
    fields = {field.name for field in get_user_model()._meta.get_fields()}
    return {"username": username} if "username" in fields else {}


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def link_in_mail(address: str, setting: str) -> str:
    """The link to the frontend route of ``setting`` in the latest mail to ``address`` that has one.

    The link must stand in the text body and, where there is one, as a link in the HTML body.
    """
    route = frontend_urls.BY_SETTING[setting].example(FRONTEND)
    prefix = route.split("{", 1)[0]
    for message in reversed(mails_to(address)):
        links = [link for link in URL_PATTERN.findall(message.body) if link.startswith(prefix)]
        if links:
            for html, _mimetype in getattr(message, "alternatives", []):
                assert f'href="{links[0]}"' in html, html
            return links[0]
    raise AssertionError(f"No mail to {address} links to {prefix}; sent: {[m.subject for m in mail.outbox]}")


def pending_flow(response) -> dict:
    """The one flow a 401 answer says is waiting for the client."""
    [flow] = [flow for flow in response.json()["data"]["flows"] if flow.get("is_pending")]
    return flow


def flow_ids(response) -> set[str]:
    return {flow["id"] for flow in response.json()["data"]["flows"]}


def pending_flows(response) -> list[str]:
    """The flows a 401 answer says are waiting for the client: none once a flow has ended."""
    return [flow["id"] for flow in response.json()["data"]["flows"] if flow.get("is_pending")]


def another_code(code: str) -> str:
    """A code by mail of the same shape as ``code``, but not it."""
    return ("B" if code[0] == "A" else "A") + code[1:]


TOKENS = {"session_token", "access_token", "refresh_token"}


def shape(value):
    """The structure of a JSON value: keys and types, with the values of the session tokens left out."""
    if isinstance(value, dict):
        return {key: type(item).__name__ if key in TOKENS else shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return value


def code_in_mail(address: str) -> str:
    """The code in the latest mail to ``address``, which must carry it in text and HTML, and no link."""
    assert mails_to(address), f"No mail to {address}; sent: {[m.subject for m in mail.outbox]}"
    message = mails_to(address)[-1]
    [code] = CODE_LINE.findall(message.body)
    [(html, _mimetype)] = message.alternatives
    assert f">{code}</p>" in html, html
    assert URL_PATTERN.findall(message.body) == URL_PATTERN.findall(html) == []
    return code


def path_params(link: str, setting: str) -> dict[str, str]:
    """The placeholder values in ``link``, decoded, matched against the route of ``setting``."""
    route = urlsplit(frontend_urls.BY_SETTING[setting].example(FRONTEND)).path.split("/")
    values = urlsplit(link).path.split("/")
    return {part[1:-1]: unquote(value) for part, value in zip(route, values, strict=True) if part.startswith("{")}


@pytest.fixture
def routed_settings(settings):
    """Changes settings that decide which endpoints allauth routes, and rebuilds the URLs before and after."""
    originals = {}

    def change(**values) -> None:
        for name, value in values.items():
            originals.setdefault(name, getattr(settings, name))
            setattr(settings, name, value)
        _rebuild_urls()

    yield change
    if originals:
        for name, value in originals.items():
            setattr(settings, name, value)
        _rebuild_urls()


def _rebuild_urls() -> None:
    # allauth decides its routes from the settings when its URL modules are first imported:
    # reload them, the included before those that include them.
    import config.urls

    allauth_urls = [name for name in sys.modules if name.startswith("allauth.") and name.endswith(".urls")]
    for name in sorted(allauth_urls, key=lambda name: name.count("."), reverse=True):
        importlib.reload(sys.modules[name])
    importlib.reload(config.urls)
    clear_url_caches()


class Clock:
    """The time module as allauth's codes by mail and rate limits see it, moved forward by tests instead of waiting."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def __getattr__(self, name: str):
        return getattr(time, name)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """allauth's clock for codes by mail and rate limits; ``clock.advance(seconds)`` moves it on."""
    moved = Clock()
    # The modules that read time.time() to start a code's lifetime, to check it, and to count requests.
    for module in (code_verification, password_reset_by_code, ratelimit):
        monkeypatch.setattr(module, "time", moved)
    return moved


def tables_holding(text: str) -> list[str]:
    """The tables of the database with a row in which ``text`` appears, in any column."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608  (names from the database)
            if any(text in _as_text(value) for row in cursor.fetchall() for value in row):
                found.append(table)
    return found


def _as_text(value) -> str:
    return bytes(value).decode(errors="replace") if isinstance(value, bytes | memoryview) else str(value)


@pytest.fixture(params=[True, False], ids=["headless_only", "with_account_pages"])
def headless_only(request, settings):
    """Runs a test with HEADLESS_ONLY on and off, URLs rebuilt for each state."""
    original = settings.HEADLESS_ONLY
    _set_headless_only(settings, request.param)
    yield request.param
    _set_headless_only(settings, original)


def _set_headless_only(settings, value: bool) -> None:
    settings.HEADLESS_ONLY = value
    # allauth and our URLconf decide which routes exist when first imported.
    import allauth.urls

    import config.urls

    importlib.reload(allauth.urls)
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def login_page(headless_only, settings) -> str:
    """Where the admin sends signed-out staff: the frontend's login page, or allauth's own (LOGIN_URL unset)."""
    settings.LOGIN_URL = frontend_urls.BY_SETTING["LOGIN_URL"].example(FRONTEND) if headless_only else "account_login"
    return resolve_url(settings.LOGIN_URL)


@pytest.fixture
def staff(user):
    """``user``, with access to the admin."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def admin_client(admin_client, settings):
    """pytest-django's client of a superuser, let into the admin without a second factor."""
    settings.ADMIN_REQUIRES_SECOND_FACTOR = False  # read by bakes with second factors only
    return admin_client


@pytest.fixture(scope="session")
def concurrent_server(django_db_setup):
    """A gunicorn server of this site on the test database (PostgreSQL), serving twenty requests side by side."""
    require_postgresql_and_redis()
    server = Server(production_environ(), workers=4, threads=5)
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()  # before the test database is dropped: it refuses while connections are open
