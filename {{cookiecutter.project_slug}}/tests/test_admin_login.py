"""The admin signs staff in through the site's own login, so that its rate limits and login signals apply.

A signed-out visitor is sent to the site's login page: the frontend's (LOGIN_URL) with HEADLESS_ONLY on, and
with it off allauth's own page when LOGIN_URL is unset. The admin's own form takes no password.
"""

import importlib
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import NoReverseMatch, clear_url_caches, reverse

from .conftest import EMAIL, FRONTEND, PASSWORD, HeadlessClient

WRONG = "Wrong-horse-battery-9"
# What the issue was seen with: forty wrong passwords in a row, each answered with the form again.
ATTEMPTS = 40


def query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


class Person:
    """Someone at a browser who opens the admin and logs in on the page it sends them to.

    On the frontend's login page the frontend calls the headless API's browser client; on allauth's
    own pages the person fills in its forms. Both share one cookie jar with the admin, as in a browser.
    """

    def __init__(self, login_page: str) -> None:
        self.login_page = login_page
        self.api = HeadlessClient("browser")
        self.http = self.api.http
        self.on_frontend = login_page.startswith(FRONTEND)

    def open_admin(self, path: str = "") -> HttpResponse:
        """The admin page at ``path`` (its index by default), redirects within the admin followed."""
        admin = reverse("admin:index")
        response = self.http.get(path or admin)
        while response.status_code == 302 and response["Location"].startswith(admin):
            response = self.http.get(response["Location"])
        return response

    def sent_to_log_in(self, response: HttpResponse) -> bool:
        return response.status_code == 302 and response["Location"].startswith(self.login_page + "?")

    def log_in(self, password: str = PASSWORD) -> str:
        """Logs in on the login page: ``in``, ``second_factor`` (asked for), ``wrong``, or ``limited`` (by allauth's
        login_failed limit, or its limit on logins per address, with a 429)."""
        if self.on_frontend:
            answer = self.api.post("auth/login", {"email": EMAIL, "password": password})
            if answer.status_code == 400:
                [error] = answer.json()["errors"]
                return "limited" if error["code"] == "too_many_login_attempts" else "wrong"
            return {200: "in", 401: "second_factor", 429: "limited"}[answer.status_code]
        answer = self._submit(self.login_page, {"login": EMAIL, "password": password})
        if answer.status_code == 200:
            return "limited" if "Too many failed login attempts" in answer.text else "wrong"
        if answer.status_code == 429:
            return "limited"
        return "second_factor" if self._asks_for_second_factor(answer["Location"]) else "in"

    def _asks_for_second_factor(self, location: str) -> bool:
        try:
            return location.startswith(reverse("mfa_authenticate"))
        except NoReverseMatch:  # a project without second factors
            return False

    def second_factor(self, code: str) -> str:
        """Answers the second step with ``code``: ``in`` or ``wrong``."""
        if self.on_frontend:
            return "in" if self.api.post("auth/2fa/authenticate", {"code": code}).status_code == 200 else "wrong"
        answer = self._submit(reverse("mfa_authenticate"), {"code": code})
        return "in" if answer.status_code == 302 else "wrong"

    def signed_in(self) -> bool:
        return self.api.get("auth/session").status_code == 200

    def post_admin_form(self, password: str) -> HttpResponse:
        """Posts email and password to the admin's login URL, as Django's own admin form would."""
        return self._submit(reverse("admin:login"), {"username": EMAIL, "password": password})

    def _submit(self, url: str, fields: dict[str, str]) -> HttpResponse:
        self.http.get(url)  # the form's page, which sets the CSRF cookie
        return self.http.post(url, {**fields, "csrfmiddlewaretoken": self.api.csrf_token()})


def test_a_signed_out_visitor_is_sent_to_the_sites_login_page_and_back(login_page, db):
    person = Person(login_page)

    sent = person.open_admin(reverse("admin:accounts_user_changelist"))

    assert person.sent_to_log_in(sent), sent
    # The frontend is on another origin, so it gets the whole address to come back to.
    back = "http://testserver" if person.on_frontend else ""
    assert query(sent["Location"])["next"] == back + reverse("admin:accounts_user_changelist")


def test_the_admins_own_form_takes_no_password(login_page, staff):
    person = Person(login_page)

    answers = [person.post_admin_form(WRONG) for _ in range(ATTEMPTS)] + [person.post_admin_form(PASSWORD)]

    assert [answer.status_code for answer in answers] == [302] * (ATTEMPTS + 1)
    assert all(person.sent_to_log_in(answer) for answer in answers)
    assert not person.signed_in()
    assert person.sent_to_log_in(person.open_admin())


def test_wrong_passwords_on_the_way_to_the_admin_hit_the_sites_login_limit(login_page, staff):
    person = Person(login_page)
    assert person.sent_to_log_in(person.open_admin())

    outcomes = [person.log_in(WRONG) for _ in range(ATTEMPTS)]

    # allauth's login_failed limit: a few wrong passwords for one account, then none is tried for a while.
    refused = outcomes.index("limited")
    assert 0 < refused < ATTEMPTS
    assert set(outcomes[:refused]) == {"wrong"}
    assert set(outcomes[refused:]) == {"limited"}
    assert person.log_in(PASSWORD) == "limited"
    assert person.sent_to_log_in(person.open_admin())


def test_staff_logged_in_on_the_sites_login_page_get_into_the_admin(login_page, staff, settings):
    settings.ADMIN_REQUIRES_SECOND_FACTOR = False  # read by bakes with second factors only
    person = Person(login_page)

    assert person.log_in() == "in"

    assert person.open_admin().status_code == 200
    assert person.open_admin(reverse("admin:login") + "?next=/elsewhere/")["Location"] == "/elsewhere/"


def test_a_user_who_is_not_staff_is_refused_with_a_page_that_says_so(login_page, user):
    person = Person(login_page)
    assert person.log_in() == "in"

    refused = person.open_admin()

    assert refused.status_code == 403
    assert "not a staff account" in refused.text


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_the_way_back_never_leaves_the_site(login_page, staff, settings, elsewhere):
    settings.ADMIN_REQUIRES_SECOND_FACTOR = False
    person = Person(login_page)
    login_with_next = f"{reverse('admin:login')}?next={elsewhere}"

    sent = person.open_admin(login_with_next)
    person.log_in()
    back = person.http.get(login_with_next)

    assert "evil.example" not in query(sent["Location"])["next"]
    assert "javascript" not in query(sent["Location"])["next"]
    assert back["Location"] == reverse("admin:index")


def test_an_empty_admin_url_turns_the_admin_off(settings, db):
    import config.urls

    original = settings.ADMIN_URL
    settings.ADMIN_URL = ""
    try:
        importlib.reload(config.urls)
        clear_url_caches()
        assert Client().get("/admin/").status_code == 404
        assert Client().get("/admin/login/").status_code == 404
    finally:
        settings.ADMIN_URL = original
        importlib.reload(config.urls)
        clear_url_caches()
