"""Three instances of the default bake behind a real nginx, on one PostgreSQL and one Redis, behave as one site:
under load, and while instances restart or a backing service drops out.

The processes are production's: three gunicorn instances; the task worker (``manage.py db_worker``) sending
mail over SMTP to a server this test runs; nginx (Debian's, a process of the test's own, never the system's)
balancing round robin and passing a request on to the next instance when one refuses the connection, and
naming the instance that answered in a header only this test's configuration adds. Redis is a
``redis-server`` of the test's own on a free port, which it stops and starts; the database is a fresh one
on DATABASE_URL's server, dropped afterwards. The site gives JWTs to the app client (APP_TOKEN_STRATEGY=jwt,
which it reads from the environment), so one bake serves every journey: its app client gets a session token
as well.

Visitors are threads, each calling nginx from a loopback address of its own, as people on the internet would
(the site trusts the one proxy in front of it for their addresses). Each test records its figures (journeys,
requests, failures by kind, requests per instance, latency), which the template suite's terminal summary
prints (tests/conftest.py).
"""

import email
import email.policy
import importlib
import itertools
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg
import pyotp
import pytest
import redis
import requests
from aiosmtpd.controller import Controller
from psycopg import sql
from requests.adapters import HTTPAdapter

from .conftest import bake, generated_test_helper, site_free_environ

pytestmark = pytest.mark.xdist_group("many_instances")

INSTANCES = 3
VISITORS = 10
LOAD_SECONDS = 10
# A visitor's pause before each request, as people and apps make: the load stays well short of what two cores
# serve, so that a restarted instance starts in seconds.
THINK_SECONDS = 0.2
PASSWORD = "Correct-horse-battery-9"  # noqa: S105  (the test users' password)
NEW_PASSWORD = "Another-long-passphrase-4"  # noqa: S105
# Long enough for an argon2 login on a busy 2-core machine; a request that takes longer counts as failed.
REQUEST_TIMEOUT = 10
# While Redis is down, an answer must come within this (the site's Redis timeouts are 1 s to connect, 2 s to read).
OUTAGE_ANSWER_SECONDS = 3
# The worker tries a mail again after these seconds (EMAIL_RETRY_DELAYS, 23 s in all): short, for the test.
EMAIL_RETRY_DELAYS = "1,1,2,3,5,11"
MAIL_TIMEOUT = 20
UPSTREAM_HEADER = "X-Upstream"
WEB_APPLICATION = "site_web"  # the instances' application_name in PostgreSQL, for dropping their connections
APP, BROWSER, PROJECT_API = "/_allauth/app/v1/", "/_allauth/browser/v1/", "/api/v1/"
SECOND_FACTOR_USERS = ("codes", "recovery")  # each code is tried on a user of its own, for the limit on failures
MISSING = "Needs {what} for the test of many instances: {how}"

# Run in the site before it serves, in one Django process: the migrations, then the users with their second
# factors, printed as JSON.
PREPARE = """
import json
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core.management import call_command

call_command("migrate", "--no-input", verbosity=0)
second_factors = {{}}
for address, with_second_factor in {users!r}:
    user = get_user_model().objects.create_user(email=address, password={password!r})
    EmailAddress.objects.create(user=user, email=address, primary=True, verified=True)
    if with_second_factor:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        second_factors[address] = [secret, RecoveryCodes.activate(user).get_unused_codes()]
print(json.dumps(second_factors))
"""


def require(present: bool, what: str, how: str) -> None:
    """Skips without ``what``, with the reason; in CI (CI=true), fails instead."""
    if not present:
        message = MISSING.format(what=what, how=how)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


# --- The services: PostgreSQL, Redis, SMTP ------------------------------------------------------------------


def server_url(database_url: str, name: str) -> str:
    """DATABASE_URL with database ``name`` on the same server."""
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{name}", query=""))


def recreate_database(database_url: str, name: str, *, drop_only: bool = False) -> None:
    with psycopg.connect(server_url(database_url, "postgres"), autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not drop_only:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


class RedisServer:
    """A redis-server of the test's own on a loopback port, in its own directory; the test stops and starts it.

    Persisting, it keeps its data in an append-only file, as compose.yaml runs Redis; otherwise it keeps
    nothing across a restart.
    """

    def __init__(self, path: str, directory: Path, port: int) -> None:
        self.path = path
        self.directory = directory
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self, *, persist: bool) -> None:
        where = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)]
        # No snapshots: persisting or not is the append-only file's choice alone.
        persistence = ["--save", "", "--appendonly", "yes" if persist else "no"]
        self.process = subprocess.Popen(
            [self.path, *where, *persistence, "--logfile", str(self.directory / "redis.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while True:
            assert self.process.poll() is None, (self.directory / "redis.log").read_text()
            with suppress(redis.ConnectionError), redis.Redis(port=self.port, socket_timeout=1) as client:
                if client.ping():
                    return
            assert time.monotonic() < deadline, "redis-server did not answer within 15 seconds"
            time.sleep(0.05)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)  # Redis's shutdown: the append-only file is flushed first
        self.process.wait(timeout=15)


class Inbox:
    """An aiosmtpd handler that keeps what it receives, by recipient."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, email.message.EmailMessage]] = []
        self.arrival: dict[str, float] = {}  # by recipient, the last
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.arrived:
            self.messages.extend((recipient, message) for recipient in envelope.rcpt_tos)
            self.arrival |= dict.fromkeys(envelope.rcpt_tos, time.monotonic())
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self.arrived:
            return self.to_unlocked(address)

    def wait_for(self, address: str, timeout: float = MAIL_TIMEOUT) -> email.message.EmailMessage | None:
        with self.arrived:
            self.arrived.wait_for(lambda: self.to_unlocked(address), timeout=timeout)
            return next(iter(self.to_unlocked(address)), None)

    def to_unlocked(self, address: str) -> list[email.message.EmailMessage]:
        return [message for recipient, message in self.messages if recipient == address]


class MailServer:
    """The SMTP server the worker sends to, on a fixed loopback port so that it can be stopped and started."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:  # not stopped already by a test that failed before starting it again
            self.controller.stop()
            self.controller = None


def verification_key(message: email.message.EmailMessage) -> str:
    """The key in the link of a verification mail (EMAIL_VERIFICATION_URL ends in {token})."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    [link] = [word for word in body.split() if "/account/verify-email/" in word]
    return unquote(link.rstrip("/").rsplit("/", 1)[-1])


# --- Visitors and what they see ------------------------------------------------------------------------------


class JourneyFailed(Exception):
    """A journey met an answer it should not have; the message is the kind of failure."""


class NotNow(Exception):
    """A journey that cannot run at this moment (its second factor code is spent); the visitor takes the next."""


@dataclass
class Answer:
    method: str
    path: str
    status: int | None  # None: no answer (the error's name is in ``error``)
    body: dict
    instances: list[str]  # the instances nginx tried, the one that answered last
    started: float
    seconds: float
    error: str = ""

    @property
    def instance(self) -> str:
        return self.instances[-1] if self.instances else ""

    @property
    def kind(self) -> str:
        """What went wrong, for the figures: the status with its error code, or the error."""
        if self.status is None:
            return f"no answer ({self.error})"
        codes = [error.get("code", "") for error in self.body.get("errors", [])]
        if not codes:  # the health check's "unavailable", an envelope without errors, or no JSON (nginx's page)
            codes = [self.body["status"] if isinstance(self.body.get("status"), str) else "no error code"]
        return f"{self.status} {'/'.join(codes)} {self.method} {self.path}"


@dataclass
class Log:
    """Every answer of a stretch of load, and how each journey ended."""

    answers: list[Answer] = field(default_factory=list)
    journeys: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    journey_instances: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)

    def journey(self, name: str, failure: str | None, instances: set[str]) -> None:
        with self.lock:
            self.journeys[name, failure is None] += 1
            self.journey_instances.append(len(instances))
            if failure:
                self.failures[failure] += 1

    def note(self, text: str) -> None:
        self.notes.append(text)

    def server_errors(self) -> list[Answer]:
        return [answer for answer in self.answers if answer.status is None or answer.status >= 500]

    def figures(self, title: str) -> str:
        ok = {name: count for (name, succeeded), count in self.journeys.items() if succeeded}
        failed = {name: count for (name, succeeded), count in self.journeys.items() if not succeeded}
        latencies = sorted(answer.seconds * 1000 for answer in self.answers if answer.status is not None)
        percentiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
        per_instance = Counter(answer.instance for answer in self.answers if answer.instance)
        retried = sum(len(answer.instances) > 1 for answer in self.answers)
        spread = sum(count >= 2 for count in self.journey_instances)
        lines = [
            f"== {title}",
            f"journeys: {sum(self.journeys.values())}, ok {sum(ok.values())} {dict(sorted(ok.items()))}, "
            f"failed {sum(failed.values())} {dict(sorted(failed.items()))}",
            f"journeys on 2 or more instances: {spread} of {len(self.journey_instances)}",
            f"requests: {len(self.answers)}, per instance {dict(sorted(per_instance.items()))}, "
            f"passed on by nginx after a refused connection: {retried}",
            f"answers: {dict(sorted(Counter(str(answer.status) for answer in self.answers).items()))}",
            f"failures by kind: {dict(self.failures.most_common()) or 'none'}",
            f"latency ms: p50 {percentiles[49]:.0f}, p90 {percentiles[89]:.0f}, p99 {percentiles[98]:.0f}, "
            f"max {max(latencies, default=0):.0f}",
            *self.notes,
        ]
        return "\n".join(lines)


class FromAddress(HTTPAdapter):
    """Connects from ``address``: each visitor is someone else to the site's per-address rate limits."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, source_address=(self.address, 0), **kwargs)


class Visitor:
    """Someone calling the site through nginx from a loopback address of their own, with one device.

    The browser client's cookies are kept by hand: the site sets them Secure (with __Host- names), and a
    cookie jar would not send them back over this plain http. CSRF's cookie is echoed in X-CSRFToken.
    """

    def __init__(self, site: "Site", address: str, log: Log, think: float = 0) -> None:
        self.site = site
        self.address = address
        self.log = log
        self.think = think
        self.http = requests.Session()
        self.http.trust_env = False
        self.http.mount("http://", FromAddress(address))
        self.cookies: dict[str, str] = {}
        self.instances: set[str] = set()

    def call(self, method: str, path: str, data=None, *, token: str = "", access: str = "") -> Answer:
        headers = {"Host": self.site.public_host, "Content-Type": "application/json"}
        if token:
            headers["X-Session-Token"] = token
        if access:
            headers["Authorization"] = f"Bearer {access}"
        if not path.startswith(APP) and self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
            if method != "GET" and "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        time.sleep(self.think)
        started = time.monotonic()
        try:
            response = self.http.request(
                method,
                f"http://127.0.0.1:{self.site.nginx.port}{path}",
                data=None if data is None else json.dumps(data),
                headers=headers,
                timeout=REQUEST_TIMEOUT,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            answer = Answer(method, path, None, {}, [], started, time.monotonic() - started, type(error).__name__)
        else:
            self.keep_cookies(response)
            try:
                body = response.json()
            except ValueError:
                body = {}
            instances = [part.strip() for part in response.headers.get(UPSTREAM_HEADER, "").split(",") if part]
            answer = Answer(method, path, response.status_code, body, instances, started, time.monotonic() - started)
        self.log.add(answer)
        self.instances.add(answer.instance)
        return answer

    def keep_cookies(self, response: requests.Response) -> None:
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value
        for header in response.raw.headers.getlist("Set-Cookie"):
            if "max-age=0" in header.lower():
                self.cookies.pop(header.split("=", 1)[0], None)

    def app(self, method: str, path: str, data=None, **credentials: str) -> Answer:
        return self.call(method, APP + path, data, **credentials)

    def browser(self, method: str, path: str, data=None) -> Answer:
        return self.call(method, BROWSER + path, data)

    def api(self, method: str, path: str, **credentials: str) -> Answer:
        return self.call(method, PROJECT_API + path, **credentials)


def expect(answer: Answer, *statuses: int) -> Answer:
    if answer.status not in statuses:
        raise JourneyFailed(answer.kind)
    return answer


# --- Journeys ------------------------------------------------------------------------------------------------


@dataclass
class Person:
    """A user of the site for one visitor: a password, and an authenticator app with recovery codes."""

    email: str
    totp_email: str
    secret: str
    used_periods: set[int] = field(default_factory=set)

    def unused_totp_code(self) -> str | None:
        """This period's code, or None when a journey used it (a code works once). Near a period's end it waits
        for the next, so that the site checks the code in the period it was made for."""
        totp = pyotp.TOTP(self.secret)
        if totp.interval - time.time() % totp.interval < 2:
            time.sleep(2)
        period = totp.timecode(time.time())
        if period in self.used_periods:
            return None
        self.used_periods.add(period)
        return totp.at(time.time())


def app_login(visitor: Visitor, person: Person) -> None:
    """The app client logs in, checks its session on the headless and the project API, logs out."""
    token = expect(visitor.app("POST", "auth/login", {"email": person.email, "password": PASSWORD}), 200)
    token = token.body["meta"]["session_token"]
    for _ in range(3):
        expect(visitor.app("GET", "auth/session", token=token), 200)
    expect(visitor.api("GET", "me", token=token), 200)
    expect(visitor.app("DELETE", "auth/session", token=token), 401)
    expect(visitor.app("GET", "auth/session", token=token), 401, 410)


def browser_login(visitor: Visitor, person: Person) -> None:
    """The browser client: the CSRF cookie, login, session checks with the cookie, logout."""
    visitor.cookies.clear()
    expect(visitor.browser("GET", "config"), 200)
    expect(visitor.browser("POST", "auth/login", {"email": person.email, "password": PASSWORD}), 200)
    for _ in range(3):
        expect(visitor.browser("GET", "auth/session"), 200)
    expect(visitor.api("GET", "me"), 200)
    expect(visitor.browser("DELETE", "auth/session"), 401)
    expect(visitor.browser("GET", "auth/session"), 401)


def totp_login(visitor: Visitor, person: Person) -> None:
    """Login with the password, then the authenticator app's code (one login a period: a code works once)."""
    code = person.unused_totp_code()
    if code is None:
        raise NotNow
    pending = expect(visitor.app("POST", "auth/login", {"email": person.totp_email, "password": PASSWORD}), 401)
    flow = pending.body["data"]["flows"][-1]
    if (flow["id"], flow.get("is_pending")) != ("mfa_authenticate", True):
        raise JourneyFailed(f"login asked for {flow}")
    token = pending.body["meta"]["session_token"]
    authenticated = expect(visitor.app("POST", "auth/2fa/authenticate", {"code": code}, token=token), 200)
    token = authenticated.body["meta"]["session_token"]  # logging in gives the session a new key
    expect(visitor.app("GET", "auth/session", token=token), 200)
    expect(visitor.app("DELETE", "auth/session", token=token), 401)


def jwt_refresh(visitor: Visitor, person: Person) -> None:
    """JWTs: the access token on the project API, a refresh; the spent refresh token sent again ends the session."""
    meta = expect(visitor.app("POST", "auth/login", {"email": person.email, "password": PASSWORD}), 200).body["meta"]
    expect(visitor.api("GET", "me", access=meta["access_token"]), 200)
    tokens = expect(visitor.app("POST", "tokens/refresh", {"refresh_token": meta["refresh_token"]}), 200).body["data"]
    expect(visitor.api("GET", "me", access=tokens["access_token"]), 200)
    expect(visitor.app("POST", "tokens/refresh", {"refresh_token": meta["refresh_token"]}), 400)  # token_reused
    expect(visitor.api("GET", "me", access=tokens["access_token"]), 401)


def signup(visitor: Visitor, person: Person) -> None:
    """Signup, the mailed link (sent by the worker over SMTP), logged in by it, logout."""
    address = f"new-{uuid.uuid4().hex[:12]}@example.com"
    pending = expect(visitor.app("POST", "auth/signup", {"email": address, "password": PASSWORD}), 401)
    token = pending.body["meta"]["session_token"]
    message = visitor.site.mail.inbox.wait_for(address)
    if message is None:
        raise JourneyFailed("no verification mail")
    verified = expect(visitor.app("POST", "auth/email/verify", {"key": verification_key(message)}, token=token), 200)
    token = verified.body["meta"]["session_token"]  # logging in gives the session a new key
    expect(visitor.app("GET", "auth/session", token=token), 200)
    expect(visitor.app("DELETE", "auth/session", token=token), 401)


JOURNEYS = [app_login, browser_login, totp_login, jwt_refresh, signup]
phases = itertools.count(1)


def run_journeys(visitor: Visitor, person: Person, journeys: list, stop: threading.Event, offset: int) -> None:
    for number in itertools.count(offset):
        if stop.is_set():
            return
        journey = journeys[number % len(journeys)]
        visitor.instances = set()
        try:
            journey(visitor, person)
        except NotNow:
            continue
        except JourneyFailed as failure:
            visitor.log.journey(journey.__name__, str(failure), visitor.instances)
        else:
            visitor.log.journey(journey.__name__, None, visitor.instances)


def under_load(
    site: "Site",
    fault: Callable[[Log], None] | None = None,
    journeys: list | None = None,
    seconds: float = LOAD_SECONDS,
) -> Log:
    """Runs VISITORS visitors' journeys for ``seconds``, and ``fault`` meanwhile; then lets them finish."""
    log = Log()
    phase = next(phases)
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=run_journeys,
            args=(
                Visitor(site, f"127.0.{phase}.{number + 1}", log, THINK_SECONDS),
                person,
                journeys or JOURNEYS,
                stop,
                number,
            ),
        )
        for number, person in enumerate(site.people)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        if fault:
            fault(log)
        time.sleep(max(0, seconds - (time.monotonic() - started)))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    return log


# --- The site ------------------------------------------------------------------------------------------------


@dataclass
class Site:
    project: Path
    live_server: object  # the bake's tests/live_server.py
    environ: dict[str, str]
    servers: list
    nginx: object
    redis: RedisServer
    mail: MailServer
    database: str
    people: list[Person]
    second_factors: dict[str, list]
    public_host: str
    worker_log: Path
    database_url: str
    addresses: Iterator[int] = field(default_factory=itertools.count)

    def restart(self, index: int) -> tuple[float, float]:
        """Stops instance ``index`` gracefully and starts it again on its port: the seconds each took."""
        started = time.monotonic()
        old = self.servers[index]
        old.stop(graceful=True)
        stopped = time.monotonic()
        new = self.live_server.Server(self.environ, port=old.port)
        new.wait_until_up()
        self.servers[index] = new
        return stopped - started, time.monotonic() - stopped

    def visitor(self, log: Log | None = None) -> Visitor:
        """Someone new, from an address of their own (each has its own per-address rate limits)."""
        number = next(self.addresses)
        return Visitor(self, f"127.1.{number // 250}.{number % 250 + 1}", log or Log())

    def instance_addresses(self) -> set[str]:
        return {f"127.0.0.1:{server.port}" for server in self.servers}


# How nginx passes each visitor's address on (the site trusts one proxy), passes a request on to the next
# instance when one refuses the connection (nginx's default, stated), and names the instances it tried.
NGINX_DIRECTIVES = f"""
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            add_header {UPSTREAM_HEADER} $upstream_addr always;"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    """The default bake: three instances, the worker, nginx, a Redis and an SMTP server of the test's own."""
    database_url = os.environ.get("DATABASE_URL", "")
    require(database_url.startswith("postgres"), "PostgreSQL", "set DATABASE_URL to a postgres:// URL.")
    nginx_proxy = generated_test_helper("nginx_proxy")
    nginx_path = nginx_proxy.nginx_path()
    require(nginx_path is not None, "nginx", nginx_proxy.NO_NGINX)
    redis_path = shutil.which("redis-server") or shutil.which("redis-server", path="/usr/sbin:/usr/bin")
    require(redis_path is not None, "redis-server", "install it (Debian and Ubuntu: apt-get install redis-server).")

    project = bake(tmp_path_factory.mktemp("bake"))
    live_server = generated_test_helper("live_server", project)
    jwt_keys = importlib.import_module("accounts.jwt_keys")
    database = f"{urlsplit(database_url).path.lstrip('/') or 'site'}_instances"
    with ExitStack() as cleanup:  # stops what has started, in reverse order, even when the set-up fails
        recreate_database(database_url, database)
        cleanup.callback(recreate_database, database_url, database, drop_only=True)
        redis_server = RedisServer(redis_path, tmp_path_factory.mktemp("redis"), live_server.free_port())
        redis_server.start(persist=True)
        cleanup.callback(redis_server.stop)
        mail = MailServer(live_server.free_port())
        mail.start()
        cleanup.callback(mail.stop)
        environ = site_free_environ(
            **live_server.PRODUCTION
            | {
                "SECURE_SSL_REDIRECT": "off",
                "DATABASE_URL": f"{server_url(database_url, database)}?application_name={WEB_APPLICATION}",
                "REDIS_URL": redis_server.url,
                "EMAIL_URL": f"smtp://127.0.0.1:{mail.port}",
                "EMAIL_RETRY_DELAYS": EMAIL_RETRY_DELAYS,
                "TRUSTED_PROXY_COUNT": "1",
                "APP_TOKEN_STRATEGY": "jwt",
                "HEADLESS_JWT_PRIVATE_KEY": jwt_keys.new_private_key(),
            }
        )
        # The worker and the preparation connect without the instances' application_name: a test drops only theirs.
        other_processes = environ | {"DATABASE_URL": server_url(database_url, database)}
        people = [Person(f"visitor{number}@example.com", f"totp{number}@example.com", "") for number in range(VISITORS)]
        second_factors = prepare(project, other_processes, people)
        worker_log = tmp_path_factory.mktemp("worker") / "worker.log"
        cleanup.enter_context(mail_worker(project, other_processes, worker_log))
        servers = cleanup.enter_context(live_server.serving(INSTANCES, environ))
        upstreams = [server.port for server in servers]
        nginx_directory, nginx_port = tmp_path_factory.mktemp("nginx"), live_server.free_port()
        nginx = nginx_proxy.Nginx(nginx_path, nginx_directory, nginx_port, upstreams, NGINX_DIRECTIVES)
        cleanup.callback(nginx.stop)
        nginx.wait_until_up()
        yield Site(
            project,
            live_server,
            environ,
            servers,
            nginx,
            redis_server,
            mail,
            database,
            people,
            second_factors,
            live_server.PUBLIC_HOST,
            worker_log,
            database_url,
        )


def prepare(project: Path, environ: dict[str, str], people: list[Person]) -> dict[str, list]:
    """Migrates the database and makes the users; returns the second factors, and gives each person theirs."""
    users = [(person.email, False) for person in people] + [(person.totp_email, True) for person in people]
    users += [(f"{name}@example.com", name in SECOND_FACTOR_USERS) for name in ("sessions", "revoked")]
    users += [(f"{name}@example.com", True) for name in SECOND_FACTOR_USERS]
    prepared = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PREPARE.format(users=users, password=PASSWORD)],
        cwd=project,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert prepared.returncode == 0, prepared.stderr[-5000:]
    second_factors = json.loads(prepared.stdout.strip().splitlines()[-1])
    for person in people:
        person.secret = second_factors[person.totp_email][0]
    return second_factors


@contextmanager
def mail_worker(project: Path, environ: dict[str, str], log: Path) -> Iterator[None]:
    """The site's task worker, which sends the queued mail; it looks for tasks five times a second."""
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
            cwd=project,
            env=environ,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield
        finally:
            worker.terminate()
            worker.wait(timeout=30)


# --- The tests -----------------------------------------------------------------------------------------------


def show(record_property, log: Log, title: str) -> None:
    """The figures, in the test's output and in the suite's terminal summary."""
    figures = log.figures(title)
    print(figures)
    record_property("figures", figures)


def test_journeys_under_load_all_end_as_they_should_on_every_instance(site, record_property):
    log = under_load(site)
    show(record_property, log, "Under load: 10 visitors for 10 s, 3 instances behind nginx")

    assert not log.failures, log.figures("failures")
    assert not log.server_errors()
    assert {name for name, _ in log.journeys} == {journey.__name__ for journey in JOURNEYS}
    assert {answer.instance for answer in log.answers} == site.instance_addresses()
    # Round robin among 10 visitors at once: a journey of 5 or more requests keeps to one instance rarely.
    spread = sum(count >= 2 for count in log.journey_instances)
    assert spread >= 0.9 * len(log.journey_instances)


def on_every_instance(site: Site, call: Callable[[], Answer]) -> list[Answer]:
    """``call`` through nginx until every instance has answered it: round robin, once each with nothing else on."""
    answers: list[Answer] = []
    deadline = time.monotonic() + 15
    while {answer.instance for answer in answers} != site.instance_addresses():
        assert time.monotonic() < deadline, [answer.instance for answer in answers]
        if len(answers) >= INSTANCES:
            time.sleep(0.5)
        answers.append(call())
    return answers


def statuses(answers: list[Answer]) -> set[int | None]:
    return {answer.status for answer in answers}


@dataclass
class Sessions:
    """One user logged in three ways: the app's session token, its JWT access token, a browser's cookie."""

    app: Visitor
    token: str
    access: str
    browser: Visitor

    def checks(self, site: Site) -> dict[str, set[int | None]]:
        """What each way's session check answers, on every instance."""
        return {
            "session token": statuses(
                on_every_instance(site, lambda: self.app.app("GET", "auth/session", token=self.token))
            ),
            "access token": statuses(on_every_instance(site, lambda: self.app.api("GET", "me", access=self.access))),
            "browser cookie": statuses(on_every_instance(site, lambda: self.browser.browser("GET", "auth/session"))),
        }


def log_in(site: Site, address: str, *, password: str = PASSWORD) -> Sessions:
    app, browser = site.visitor(), site.visitor()
    meta = expect(app.app("POST", "auth/login", {"email": address, "password": password}), 200).body["meta"]
    expect(browser.browser("GET", "config"), 200)
    expect(browser.browser("POST", "auth/login", {"email": address, "password": password}), 200)
    return Sessions(app, meta["session_token"], meta["access_token"], browser)


ALL_VALID = {"session token": {200}, "access token": {200}, "browser cookie": {200}}
ALL_ENDED = {"session token": {401, 410}, "access token": {401}, "browser cookie": {401}}


def ended(checks: dict[str, set[int | None]]) -> bool:
    return all(checks[way] <= ALL_ENDED[way] for way in checks)


def test_a_session_or_token_made_on_one_instance_works_on_every_other(site):
    sessions = log_in(site, "sessions@example.com")

    assert sessions.checks(site) == ALL_VALID


@pytest.mark.parametrize("user", SECOND_FACTOR_USERS)
def test_a_second_factor_code_works_once_across_instances(site, user):
    secret, recovery_codes = site.second_factors[f"{user}@example.com"]
    code = pyotp.TOTP(secret).now() if user == "codes" else recovery_codes[0]
    visitors = [site.visitor() for _ in range(INSTANCES)]
    tokens = [
        expect(visitor.app("POST", "auth/login", {"email": f"{user}@example.com", "password": PASSWORD}), 401).body[
            "meta"
        ]["session_token"]
        for visitor in visitors
    ]

    answers = site.live_server.side_by_side(
        INSTANCES, lambda i: visitors[i].app("POST", "auth/2fa/authenticate", {"code": code}, token=tokens[i])
    )

    assert sorted(statuses(answers) | {answer.status for answer in answers}) == [200, 400]
    assert [answer.status for answer in answers].count(200) == 1
    assert {answer.instance for answer in answers} == site.instance_addresses()


def test_logout_and_password_change_end_sessions_on_every_instance_at_once(site):
    logged_out = log_in(site, "revoked@example.com")
    expect(logged_out.app.app("DELETE", "auth/session", token=logged_out.token), 401)
    expect(logged_out.browser.browser("DELETE", "auth/session"), 401)

    assert ended(logged_out.checks(site))

    others = log_in(site, "revoked@example.com")
    changer = log_in(site, "revoked@example.com")
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    expect(changer.app.app("POST", "account/password/change", change, token=changer.token), 200)

    assert ended(others.checks(site))


def test_failed_logins_count_across_instances_per_client(site):
    mallory, ada = site.visitor(), site.visitor()
    # allauth's login_failed limit per client address: 10 a minute (a new account each time: 5 per account).
    answers = [
        mallory.app("POST", "auth/login", {"email": f"stranger{attempt}@example.com", "password": "wrong"})
        for attempt in range(11)
    ]

    codes = [answer.body["errors"][0]["code"] for answer in answers]
    assert codes == ["email_password_mismatch"] * 10 + ["too_many_login_attempts"]
    assert {answer.instance for answer in answers} == site.instance_addresses()
    expect(ada.app("POST", "auth/login", {"email": "sessions@example.com", "password": PASSWORD}), 200)


# --- Faults, each under load ---------------------------------------------------------------------------------


DROP_CONNECTIONS = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND application_name = %s"


def in_flight_at(answer: Answer, moment: float) -> bool:
    return answer.started <= moment <= answer.started + answer.seconds


def test_a_rolling_restart_loses_no_request_nginx_could_send_elsewhere_and_no_session(site, record_property):
    sessions = log_in(site, "sessions@example.com")

    stops: list[tuple[str, float, float]] = []  # the instance, when its stop began and ended

    def restart_one_after_another(log: Log) -> None:
        time.sleep(2)
        for index in range(INSTANCES):
            instance = f"127.0.0.1:{site.servers[index].port}"
            began = time.monotonic()
            stopping, starting = site.restart(index)
            stops.append((instance, began, began + stopping))
            log.note(f"instance {index + 1}: graceful stop {stopping:.1f} s, answering again {starting:.1f} s later")
            time.sleep(1)

    log = under_load(site, restart_one_after_another)
    lost = log.server_errors()
    log.note(
        f"requests lost: {len(lost)}, each a POST or DELETE that had reached an instance as it stopped, which "
        "nginx does not send again (the instance may have acted on it)"
    )
    show(record_property, log, "Rolling restart: each instance stopped gracefully (SIGTERM) and started again")

    # nginx sent every request elsewhere that a stopping instance refused. What it could not: one whose
    # connection the instance had accepted into its queue but closed unanswered as it stopped (nginx's 502),
    # if the request may have changed something (POST, DELETE); a GET it would have sent again.
    for answer in lost:
        assert (answer.status, answer.body) == (502, {}), answer
        assert answer.method in {"POST", "DELETE"}, answer
        assert any(
            answer.instance == instance and answer.started <= end and answer.started + answer.seconds >= began
            for instance, began, end in stops
        ), (answer, stops)
    assert len(lost) <= len(stops) * VISITORS
    assert sessions.checks(site) == ALL_VALID


@pytest.mark.parametrize("persist", [True, False], ids=["persisting", "not_persisting"])
def test_redis_restarting(site, record_property, persist):
    site.redis.stop()  # and started as this case runs it
    site.redis.start(persist=persist)
    sessions = log_in(site, "sessions@example.com")
    probe = site.visitor()
    outage: dict[str, float] = {}
    answers_while_down: list[Answer] = []

    def restart_redis(log: Log) -> None:
        time.sleep(2)
        site.redis.stop()
        outage["down"] = time.monotonic()
        while time.monotonic() - outage["down"] < 3:
            answers_while_down.append(probe.call("GET", "/healthz"))
            answers_while_down.append(probe.app("GET", "auth/session", token=sessions.token))
            answers_while_down.append(probe.app("POST", "auth/login", {"email": "x@example.com", "password": "x"}))
            time.sleep(0.1)
        site.redis.start(persist=persist)
        outage["up"] = time.monotonic()
        while probe.call("GET", "/healthz").status != 200:
            assert time.monotonic() - outage["up"] < 10, "the site did not recover within 10 s of Redis answering"
        outage["recovered"] = time.monotonic()
        log.note(
            f"Redis down {outage['up'] - outage['down']:.1f} s; healthy again "
            f"{outage['recovered'] - outage['up']:.2f} s after it answered; "
            f"probes while down: {len(answers_while_down)}, "
            f"{dict(Counter(answer.kind for answer in answers_while_down))}, "
            f"slowest {max(answer.seconds for answer in answers_while_down):.2f} s"
        )

    log = under_load(site, restart_redis)
    checks = sessions.checks(site)
    log.note(f"sessions made before the restart, checked on every instance after it: {checks}")
    show(record_property, log, f"Redis restarted, {'persisting' if persist else 'not persisting'} its data")

    health = [answer for answer in answers_while_down if answer.path == "/healthz"]
    api = [answer for answer in answers_while_down if answer.path != "/healthz"]
    assert health and {(answer.status, answer.body.get("cache")) for answer in health} == {(503, "error")}
    assert api and {answer.kind.split(" ", 2)[:2] == ["503", "service_unavailable"] for answer in api} == {True}
    assert max(answer.seconds for answer in answers_while_down) < OUTAGE_ANSWER_SECONDS
    # Under load too: whatever failed failed with the envelope's 503, quickly; after recovery, nothing did.
    for answer in log.server_errors():
        assert answer.kind.startswith("503 service_unavailable"), answer.kind
        assert answer.seconds < OUTAGE_ANSWER_SECONDS, answer
        assert answer.started < outage["recovered"]
    if persist:
        assert checks == ALL_VALID
    else:
        assert ended(checks)
    log_in(site, "sessions@example.com")  # and a new login works


def test_dropped_database_connections_fail_at_most_the_requests_in_flight(site, record_property):
    drops: list[float] = []

    def drop_connections(log: Log) -> None:
        for _ in range(2):
            time.sleep(3)
            with psycopg.connect(server_url(site.database_url, site.database), autocommit=True) as connection:
                dropped = connection.execute(DROP_CONNECTIONS, (site.database, WEB_APPLICATION)).fetchall()
            drops.append(time.monotonic())
            log.note(f"dropped {len(dropped)} connections of the instances")

    log = under_load(site, drop_connections)
    for moment in drops:
        in_flight = [answer for answer in log.answers if in_flight_at(answer, moment)]
        failed = [answer for answer in in_flight if answer in log.server_errors()]
        log.note(f"requests in flight at a drop: {len(in_flight)}, of which failed: {len(failed)}")
    show(record_property, log, "Database connections of the instances dropped (pg_terminate_backend), twice")

    for answer in log.server_errors():
        assert answer.kind.startswith("503 service_unavailable"), answer.kind
        assert any(in_flight_at(answer, moment) for moment in drops), answer
    assert len(log.server_errors()) <= 2 * VISITORS


def test_mail_queued_while_the_mail_server_is_down_is_sent_once_when_it_is_back(site, record_property):
    addresses = [f"queued-{uuid.uuid4().hex[:12]}@example.com" for _ in range(5)]
    tokens: list[str] = []
    times: dict[str, float] = {}

    def signups_while_down(log: Log) -> None:
        site.mail.stop()
        visitor = site.visitor(log)
        for address in addresses:
            signup = visitor.app("POST", "auth/signup", {"email": address, "password": PASSWORD})
            tokens.append(expect(signup, 401).body["meta"]["session_token"])
        time.sleep(4)  # the worker tries, fails and schedules the next attempts
        site.mail.start()
        times["back"] = time.monotonic()
        for address in addresses:
            site.mail.inbox.wait_for(address)
        times["all"] = max((site.mail.inbox.arrival.get(address, 0) for address in addresses), default=0)
        time.sleep(3)  # long enough for a second copy to arrive, were one sent

    log = under_load(site, signups_while_down, journeys=[app_login, browser_login, totp_login, jwt_refresh])
    received = Counter(address for address, _ in site.mail.inbox.messages if address in addresses)
    failed_attempts = site.worker_log.read_text().count("trying again in")
    log.note(
        f"mails queued while the SMTP server was down: {len(addresses)}; received {dict(received)}; failed attempts "
        f"the worker retried: {failed_attempts}; all received {times['all'] - times['back']:.1f} s after it was back"
    )
    show(record_property, log, "The SMTP server down for 4 s while mails are queued")

    assert received == dict.fromkeys(addresses, 1)
    assert failed_attempts >= len(addresses)
    key = verification_key(site.mail.inbox.to(addresses[0])[0])
    expect(site.visitor().app("POST", "auth/email/verify", {"key": key}, token=tokens[0]), 200)
    assert not log.failures, log.figures("failures")
