"""The demo frontend in Chromium, against this site served by gunicorn, with its mail on a real SMTP server.

The site runs as `make run` serves it (DEBUG on, plain http on localhost, where
browsers allow passkeys), with mail queued for the task worker and sent to an
aiosmtpd server on loopback. It uses the test database when that is
PostgreSQL, which another process can reach, and a SQLite file of its own otherwise.
"""

import email
import email.policy
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from playwright.sync_api import expect, sync_playwright

from accounts import frontend_urls

from ..conftest import CODE_LINE
from ..live_server import PROJECT_DIR, free_port, site_environ, url_of_the_test_database

SCREENSHOTS_DIR = Path(os.environ.get("SCREENSHOTS_DIR", PROJECT_DIR / "screenshots"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_CHROMIUM = (
    "No Chromium to run the browser tests: install one (Debian and Ubuntu: apt-get install chromium; "
    "elsewhere: python -m playwright install chromium), or set CHROMIUM to its path."
)
# Actions and assertions wait this long: each may wait for the server, and the mail for its worker.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)
PASSWORD = "Correct-horse-battery-9"


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the demo frontend in Chromium (deselect with -m 'not browser')")


def chromium_path() -> str | None:
    """CHROMIUM, else a chromium on the PATH, else Playwright's own download, if any."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    with sync_playwright() as playwright:
        bundled = playwright.chromium.executable_path
    return bundled if Path(bundled).exists() else None


class Inbox:
    """An aiosmtpd handler that keeps what it receives, and waits for a mail to one address."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def link(self, to: str, setting: str, timeout: float = 15) -> str:
        """The link to the route of ``setting`` in the next unread mail to ``to`` that has one."""
        prefix = frontend_urls.BY_SETTING[setting].path.split("{", 1)[0]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in list(self.messages):
                if to not in message["To"]:
                    continue
                text = message.get_body(preferencelist=("plain",)).get_content()
                links = [word for word in text.split() if word.startswith("http") and prefix in word]
                if links:
                    self.messages.remove(message)
                    return links[0]
            time.sleep(0.1)
        subjects = [f"{message['To']}: {message['Subject']}" for message in self.messages]
        raise AssertionError(f"No mail to {to} with a {setting} link within {timeout} s; unread: {subjects}")

    def code(self, to: str, timeout: float = 15) -> str:
        """The code by mail in the next unread mail to ``to`` that has one, on a line of its own."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in list(self.messages):
                if to not in message["To"]:
                    continue
                lines = message.get_body(preferencelist=("plain",)).get_content().splitlines()
                if codes := [line.strip() for line in lines if CODE_LINE.fullmatch(line.strip())]:
                    self.messages.remove(message)
                    return codes[0]
            time.sleep(0.1)
        subjects = [f"{message['To']}: {message['Subject']}" for message in self.messages]
        raise AssertionError(f"No mail to {to} with a code within {timeout} s; unread: {subjects}")


@pytest.fixture(scope="package")
def inbox():
    handler = Inbox(free_port())
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


def database_url(tmp_path: Path) -> tuple[str, bool]:
    """The URL the servers use, and whether it still needs the tables."""
    if connection.vendor == "postgresql":
        return url_of_the_test_database(), False
    # The web server and the worker write to the file at the same time: take the write lock at the start
    # of each transaction, and wait for it rather than fail at once when the other holds it.
    return f"sqlite:///{tmp_path / 'browser.sqlite3'}?timeout=20&transaction_mode=IMMEDIATE", True


class Site:
    """This site under gunicorn, and the task worker that sends its mail."""

    def __init__(self, environ: dict[str, str], log: Path) -> None:
        self.environ = environ
        self.port = int(environ["PORT"])
        self.url = f"http://localhost:{self.port}"
        self.log = log.open("w+")
        gunicorn = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
        worker = [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"]
        self.processes = [
            subprocess.Popen(command, cwd=PROJECT_DIR, env=environ, stdout=self.log, stderr=subprocess.STDOUT)
            for command in ([*gunicorn, "--bind", f"127.0.0.1:{self.port}", "--threads", "4"], worker)
        ]

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if any(process.poll() is not None for process in self.processes):
                raise AssertionError(f"The site stopped:\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"The site did not answer within 30 seconds:\n{self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()[-6000:]

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.log.close()


def start_site(inbox: Inbox, tmp_path_factory, **extra: str) -> Site:
    """This site under gunicorn on a free port, and its task worker, mailing to ``inbox``; ``extra``: more settings."""
    tmp_path = tmp_path_factory.mktemp("site")
    port = free_port()
    origin = f"http://localhost:{port}"
    url, needs_tables = database_url(tmp_path)
    environ = site_environ(
        **frontend_urls.defaults(origin, [frontend_urls.BY_SETTING[name] for name in settings.FRONTEND_URLS]),
        DEBUG="on",
        SECRET_KEY="browser-tests-" + "k" * 50,
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=url,
        EMAIL_URL=f"smtp://127.0.0.1:{inbox.port}",
        EMAIL_RETRY_DELAYS="1,1",
        # A code of the next 30-second period is accepted, so that a test need not wait for one.
        MFA_TOTP_TOLERANCE="1",
        PORT=str(port),
        WEB_CONCURRENCY="1",
        **extra,
    )
    if needs_tables:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=PROJECT_DIR,
            env=environ,
            check=True,
        )
    started = Site(environ, tmp_path / "site.log")
    try:
        started.wait_until_up()
    except BaseException:
        started.stop()
        raise
    return started


# Stopped after the last browser test: its task worker would take the mail that later tests queue.
@pytest.fixture(scope="package")
def site(inbox, django_db_setup, tmp_path_factory):
    started = start_site(inbox, tmp_path_factory)
    yield started
    started.stop()


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(NO_CHROMIUM)
        pytest.skip(NO_CHROMIUM)

    # Playwright's sync API keeps an event loop in this thread, where Django refuses database calls
    # (emptying the database after each test) unless told that they do not run concurrently.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def open_page(site, transactional_db, browser):
    """Opens a page in a browser context of its own (its own cookies), at the site; checks it broke no rule.

    The database is emptied after the test (transactional_db), where the site shares the test database.
    """
    contexts = []
    problems = []

    def open_page():
        context = browser.new_context(base_url=site.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
        page.on(
            "console",
            lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None,
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert problems == []


def screenshot(page, name: str) -> None:
    """Keeps a picture of the screen as a test artefact (SCREENSHOTS_DIR, default screenshots/)."""
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS_DIR / f"{name}.png", full_page=True)


def sign_up(page, inbox: Inbox, address: str, password: str = PASSWORD) -> None:
    """Signs up in the frontend and confirms the address from the mail: logged in afterwards."""
    page.goto("/account/signup")
    page.get_by_label("Email").fill(address)
    if page.get_by_label("Username").count():
        page.get_by_label("Username").fill(address.split("@")[0])
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign up", exact=True).click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    page.goto(inbox.link(address, "EMAIL_VERIFICATION_URL"))
    page.get_by_role("button", name="Confirm", exact=True).click()
    page.get_by_role("heading", name="Hello").wait_for()


def log_out(page) -> None:
    """Logs out and waits for the login screen: a page opened before then could still find the session."""
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def log_in(page, address: str, password: str = PASSWORD) -> None:
    page.goto("/account/login")
    fill_in_login(page, address, password)


def fill_in_login(page, address: str, password: str = PASSWORD) -> None:
    """Logs in on the login screen the page shows."""
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Email").fill(address)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()


def answer_reauthentication(page, password: str = PASSWORD) -> None:
    """The API asks for the password again before sensitive changes, even just after logging in."""
    question = page.get_by_role("group", name="Confirm it is you")
    expect(question.get_by_label("Password")).to_be_focused()
    question.get_by_label("Password").fill(password)
    question.get_by_role("button", name="Confirm", exact=True).click()
    expect(question).to_be_hidden()
