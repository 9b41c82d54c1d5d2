"""Signing in to one baked site through another: a real OpenID Connect provider, not a mocked HTTP answer.

Site B is baked with identity_provider=yes, site A with the default answers (social login on). Each runs
as its own gunicorn server on loopback, with its own database (SQLite, or PostgreSQL on DATABASE_URL's
server when that is set), and A is registered as B's client
with B's `oidc_client` command, its OIDC_* settings pointing at B. A browser is played by a `requests`
session that keeps each site's cookies and does what the frontends do: it posts A's provider redirect
form, logs in to B through B's headless API when B sends it to the login page, consents on B's page and
carries the code back to A. A reaches B itself for discovery, keys and tokens. The app token flow posts
an ID token from B to A's auth/provider/token.
"""

import base64
import hashlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import psycopg
import pytest
import requests
from psycopg import sql

from .conftest import DEFAULTS, bake, generated_test_helper, site_free_environ

pytestmark = pytest.mark.xdist_group("identity_provider")

PASSWORD = "Correct-horse-battery-9"  # noqa: S105  (the test users' password)
# Both listen on 127.0.0.1, but B is called by another name, so that a browser keeps their cookies apart
# (cookies ignore ports).
A_HOST, B_HOST = "127.0.0.1", "localhost"
PROVIDER_ID = "oidc"  # A's OIDC_PROVIDER_ID default
# Short enough for the expired-code case to wait it out, long enough for every other flow to use its code.
CODE_LIFETIME = 4
FRONTEND_CALLBACK = "/account/provider/callback"
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
# The consent form is read as the baked sites' own tests read it.
FormFields = generated_test_helper("html_forms").FormFields

# Users of B, each for one case; A knows only KNOWN, with the same verified address.
NEW, KNOWN, UNVERIFIED, APP, OTHER = (
    "new@example.com",
    "known@example.com",
    "unverified@example.com",
    "app@example.com",
    "other@example.com",
)
# UNVERIFIED logs in to B with this verified second address; B's ID tokens carry the primary, unverified one.
UNVERIFIED_LOGIN = "unverified-login@example.com"

# Run in each site before it serves, in one Django process (start-up is the slow part): the migrations,
# then B registers A as its client with the `oidc_client` command, then each site's users.
PREPARE = """
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command

call_command("migrate", "--no-input", verbosity=0)
if {client!r}:
    call_command("oidc_client", "create", "--name", "Client", "--redirect-uri", {client!r})
for email, verified, login in {users!r}:
    user = get_user_model().objects.create_user(email=email, password={password!r})
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    if login:
        EmailAddress.objects.create(user=user, email=login, primary=False, verified=True)
    print(f"USER={{email}} {{user.pk}}")
"""


def callback_uri(a: "Site") -> str:
    """Where B sends the code: A's allauth callback for its OpenID Connect provider."""
    return f"{a.url}/accounts/oidc/{PROVIDER_ID}/login/callback/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    """A baked site with its own database, served by gunicorn on loopback and called ``host``.

    Its other settings come from the .env written at bake time (DEBUG on, so plain http is fine).
    """

    def __init__(self, project: Path, host: str) -> None:
        self.project = project
        self.host = host
        self.port = free_port()
        self.url = f"http://{host}:{self.port}"
        self.settings = {"ALLOWED_HOSTS": "127.0.0.1,localhost", "WEB_CONCURRENCY": "1"}
        self.process: subprocess.Popen | None = None
        self.log = project / "server.log"

    def prepare(self, users: list[tuple[str, bool, str | None]], client: str = "") -> subprocess.Popen:
        """Starts the preparation: users are (email, verified, a verified second address or None)."""
        script = PREPARE.format(client=client, users=users, password=PASSWORD)
        return subprocess.Popen(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
            cwd=self.project,
            env=site_free_environ(**self.settings),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def start(self) -> None:
        self.process = subprocess.Popen(
            [*GUNICORN, "--bind", f"127.0.0.1:{self.port}"],
            cwd=self.project,
            env=site_free_environ(**self.settings),
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("w"),
        )

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                requests.get(f"{self.url}/healthz", timeout=5)
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise AssertionError(f"{self.url} did not answer within 60 seconds")

    def stop(self) -> None:
        if self.process:
            self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            self.process.wait(timeout=10)


def outcome(preparation: subprocess.Popen) -> tuple[dict[str, str], dict[str, str]]:
    """What a preparation printed: the client's settings (NAME=value lines), and each user's pk by email."""
    stdout, stderr = preparation.communicate(timeout=300)
    assert preparation.returncode == 0, f"{stdout}\n{stderr}"
    printed = [line.split("=", 1) for line in stdout.splitlines() if "=" in line]
    users = dict(value.split() for name, value in printed if name == "USER")
    return {name: value for name, value in printed if name != "USER"}, users


@dataclass
class Sites:
    a: Site
    b: Site
    client: dict[str, str]  # A's OIDC_CLIENT_ID and OIDC_CLIENT_SECRET at B
    a_user_ids: dict[str, str]  # email to pk


@contextmanager
def databases(*names: str) -> Iterator[list[str | None]]:
    """A database URL for each site: with DATABASE_URL set (as in CI), a PostgreSQL database of its own on that
    server, dropped afterwards; without, None (each site's SQLite file)."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        yield [None for _ in names]
        return
    made = [f"identity_provider_{name}_{secrets.token_hex(4)}" for name in names]
    with psycopg.connect(server, autocommit=True) as connection:
        for database in made:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    try:
        yield [urlsplit(server)._replace(path=f"/{database}").geturl() for database in made]
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            for database in made:
                connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    with databases("provider", "client") as (b_database, a_database):
        yield from serve_both(tmp_path_factory, b_database, a_database)


def serve_both(tmp_path_factory, b_database: str | None, a_database: str | None) -> Iterator[Sites]:
    b = Site(bake(tmp_path_factory.mktemp("provider"), project_name="Provider", identity_provider=True), B_HOST)
    a = Site(bake(tmp_path_factory.mktemp("client"), project_name="Client"), A_HOST)
    b.settings["IDP_OIDC_AUTHORIZATION_CODE_EXPIRES_IN"] = str(CODE_LIFETIME)
    for site, database in ((b, b_database), (a, a_database)):
        if database:
            site.settings["DATABASE_URL"] = database
    b_users = [(NEW, True, None), (KNOWN, True, None), (UNVERIFIED, False, UNVERIFIED_LOGIN), (APP, True, None)]
    preparing_b = b.prepare([*b_users, (OTHER, True, None)], client=callback_uri(a))
    preparing_a = a.prepare([(KNOWN, True, None)])
    (client, _), (_, a_user_ids) = outcome(preparing_b), outcome(preparing_a)
    # B verifies every address it hands out, so A may log a verified one in to the account that has it.
    a.settings |= {**client, "OIDC_SERVER_URL": b.url, "OIDC_EMAIL_AUTHENTICATION": "on"}
    try:
        for site in (a, b):
            site.start()
        for site in (a, b):
            site.wait_until_up()
        yield Sites(a, b, client, a_user_ids)
    finally:
        for site in (a, b):
            site.stop()


def query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


class Browser:
    """A browser with both sites' frontends: cookies per host, the CSRF token echoed, redirects one at a time."""

    def __init__(self, sites: Sites) -> None:
        self.sites = sites
        self.http = requests.Session()

    def csrf_token(self, site: Site) -> str:
        if not self.cookie(site, "csrftoken"):
            self.http.get(f"{site.url}/_allauth/browser/v1/config", timeout=10)
        return self.cookie(site, "csrftoken")

    def cookie(self, site: Site, name: str) -> str | None:
        # The cookie jar files a host without a dot, such as localhost, under host.local.
        domains = {site.host, f"{site.host}.local"}
        values = [cookie.value for cookie in self.http.cookies if cookie.name == name and cookie.domain in domains]
        return values[0] if values else None

    def api(self, site: Site, method: str, path: str, json=None) -> requests.Response:
        headers = {"X-CSRFToken": self.csrf_token(site)} if method != "GET" else {}
        return self.http.request(
            method, f"{site.url}/_allauth/browser/v1/{path}", json=json, headers=headers, timeout=30
        )

    def get(self, url: str) -> requests.Response:
        return self.http.get(url, allow_redirects=False, timeout=30)

    def start_at_a(self) -> str:
        """A's frontend posts the provider redirect form; the answer sends the browser to B's authorization."""
        a = self.sites.a
        form = {
            "provider": PROVIDER_ID,
            "callback_url": FRONTEND_CALLBACK,
            "process": "login",
            "csrfmiddlewaretoken": self.csrf_token(a),
        }
        response = self.http.post(
            f"{a.url}/_allauth/browser/v1/auth/provider/redirect", data=form, allow_redirects=False, timeout=30
        )
        assert response.status_code == 302, response.text
        assert response.headers["Location"].startswith(f"{self.sites.b.url}/identity/o/authorize?")
        return response.headers["Location"]

    def sign_in_at_b(self, authorize_url: str, login: str) -> requests.Response:
        """B sends the signed-out browser to its frontend's login page; that frontend logs in and opens next."""
        to_login = self.get(authorize_url)
        assert to_login.status_code == 302, to_login.text
        next_url = query(to_login.headers["Location"])["next"]
        assert next_url == authorize_url
        logged_in = self.api(self.sites.b, "POST", "auth/login", {"email": login, "password": PASSWORD})
        assert logged_in.status_code == 200, logged_in.text
        consent = self.get(next_url)
        assert consent.status_code == 200, consent.text
        assert "Client" in consent.text
        return consent

    def answer_consent(self, consent: requests.Response, action: str) -> str:
        """Submits B's consent form; B redirects to A's callback, whose URL is returned."""
        fields = {**FormFields(consent.text).fields, "action": action}
        response = self.http.post(
            f"{self.sites.b.url}/identity/o/authorize",
            data=fields,
            headers={"Origin": self.sites.b.url, "Referer": consent.url},
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 302, response.text
        callback = response.headers["Location"]
        assert callback.startswith(callback_uri(self.sites.a) + "?")
        return callback

    def finish_at_a(self, callback: str) -> str:
        """A's callback trades the code at B, then redirects to A's frontend; that redirect is returned.

        It lands on the callback URL A's frontend gave, or on SOCIALACCOUNT_LOGIN_ERROR_URL (the same route
        in a bake's .env) when A cannot tell which sign-in the callback belongs to.
        """
        response = self.get(callback)
        assert response.status_code == 302, response.text
        assert urlsplit(response.headers["Location"]).path == FRONTEND_CALLBACK
        return response.headers["Location"]

    def sign_in_to_a_through_b(self, login: str) -> str:
        consent = self.sign_in_at_b(self.start_at_a(), login)
        return self.finish_at_a(self.answer_consent(consent, "grant"))

    def session_at_a(self) -> requests.Response:
        return self.api(self.sites.a, "GET", "auth/session")


def pending_flows(session: requests.Response) -> list[str]:
    assert session.status_code == 401, session.text
    return [flow["id"] for flow in session.json()["data"]["flows"] if flow.get("is_pending")]


def test_a_new_user_signs_in_to_a_through_b(sites):
    browser = Browser(sites)

    landed = browser.sign_in_to_a_through_b(NEW)

    assert "error" not in query(landed)
    session = browser.session_at_a()
    assert session.status_code == 200, session.text
    assert session.json()["data"]["user"]["email"] == NEW


def test_a_user_whose_verified_address_a_knows_signs_in_to_that_account(sites):
    browser = Browser(sites)

    browser.sign_in_to_a_through_b(KNOWN)

    session = browser.session_at_a()
    assert session.status_code == 200, session.text
    assert session.json()["data"]["user"]["id"] == sites.a_user_ids[KNOWN]


def test_an_address_b_has_not_verified_is_not_trusted_by_a(sites):
    browser = Browser(sites)

    browser.sign_in_to_a_through_b(UNVERIFIED_LOGIN)

    assert pending_flows(browser.session_at_a()) == ["verify_email"]


def test_denied_consent_leaves_the_user_signed_out_of_a(sites):
    browser = Browser(sites)
    consent = browser.sign_in_at_b(browser.start_at_a(), OTHER)

    callback = browser.answer_consent(consent, "cancel")
    landed = browser.finish_at_a(callback)

    assert query(callback)["error"] == "access_denied"
    assert query(landed)["error"] == "cancelled"
    assert browser.session_at_a().status_code == 401


def test_a_callback_with_another_state_is_refused(sites):
    browser = Browser(sites)
    callback = browser.answer_consent(browser.sign_in_at_b(browser.start_at_a(), OTHER), "grant")
    forged = re.sub(r"state=[^&]+", "state=" + secrets.token_urlsafe(12), callback)

    landed = browser.finish_at_a(forged)

    # A cannot tell which sign-in this is, so not where to send it back: to SOCIALACCOUNT_LOGIN_ERROR_URL.
    assert landed.startswith(DEFAULTS["frontend_url"] + FRONTEND_CALLBACK + "?")
    assert query(landed)["error"] == "unknown"
    assert browser.session_at_a().status_code == 401


def test_an_expired_code_is_refused(sites):
    browser = Browser(sites)
    callback = browser.answer_consent(browser.sign_in_at_b(browser.start_at_a(), OTHER), "grant")
    time.sleep(CODE_LIFETIME + 1)

    landed = browser.finish_at_a(callback)

    assert landed.startswith(FRONTEND_CALLBACK + "?")
    assert query(landed)["error"] == "unknown"
    assert browser.session_at_a().status_code == 401


def id_token_from_b(sites: Sites, login: str, *, host: str | None = None) -> str:
    """An ID token for ``login`` as an app gets one from B: the code flow with PKCE, then the token endpoint.

    ``host``: the Host the token request names, from which B builds the token's issuer.
    """
    browser = Browser(sites)
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect_uri = callback_uri(sites.a)
    params = {
        "response_type": "code",
        "client_id": sites.client["OIDC_CLIENT_ID"],
        "redirect_uri": redirect_uri,
        "scope": "openid profile email",
        "state": secrets.token_urlsafe(12),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    authorize_url = f"{sites.b.url}/identity/o/authorize?{urlencode(params)}"
    code = query(browser.answer_consent(browser.sign_in_at_b(authorize_url, login), "grant"))["code"]
    response = requests.post(
        f"{sites.b.url}/identity/o/api/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        },
        auth=(sites.client["OIDC_CLIENT_ID"], sites.client["OIDC_CLIENT_SECRET"]),
        headers={"Host": host} if host else {},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["id_token"]


def post_id_token_to_a(sites: Sites, id_token: str) -> requests.Response:
    token = {"client_id": sites.client["OIDC_CLIENT_ID"], "id_token": id_token}
    return requests.post(
        f"{sites.a.url}/_allauth/app/v1/auth/provider/token",
        json={"provider": PROVIDER_ID, "process": "login", "token": token},
        timeout=30,
    )


def test_an_app_signs_in_to_a_with_an_id_token_from_b(sites):
    response = post_id_token_to_a(sites, id_token_from_b(sites, APP))

    assert response.status_code == 200, response.text
    session_token = response.json()["meta"]["session_token"]
    session = requests.get(
        f"{sites.a.url}/_allauth/app/v1/auth/session", headers={"X-Session-Token": session_token}, timeout=30
    )
    assert session.json()["data"]["user"]["email"] == APP


def test_an_id_token_from_another_issuer_is_refused(sites):
    # Signed with B's real key, but issued under another name than the issuer A was configured with.
    id_token = id_token_from_b(sites, OTHER, host=f"127.0.0.1:{sites.b.port}")

    response = post_id_token_to_a(sites, id_token)

    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["code"] == "invalid_token"
