"""The admin asks staff for their second factor, through the site's login, and may refuse staff who have none."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts import admin_access

from ..conftest import PASSWORD
from ..test_admin_login import Person
from .conftest import totp_code


@pytest.fixture
def totp_staff(staff, totp_user):
    """A staff user with an authenticator app."""
    return totp_user


def test_the_admins_own_form_gives_no_session_without_the_second_factor(login_page, totp_staff):
    person = Person(login_page)

    answer = person.post_admin_form(PASSWORD)

    assert person.sent_to_log_in(answer)
    assert not person.signed_in()
    assert person.sent_to_log_in(person.open_admin())


@pytest.mark.parametrize("requires_second_factor", [True, False])
def test_staff_with_an_authenticator_app_get_into_the_admin_after_the_second_step(
    login_page, totp_staff, settings, requires_second_factor
):
    settings.ADMIN_REQUIRES_SECOND_FACTOR = requires_second_factor
    person = Person(login_page)
    assert person.sent_to_log_in(person.open_admin())

    assert person.log_in() == "second_factor"
    assert not person.signed_in()
    assert person.sent_to_log_in(person.open_admin())
    assert person.second_factor("000000") == "wrong"
    assert person.sent_to_log_in(person.open_admin())

    assert person.second_factor(totp_code(totp_staff.secret)) == "in"
    assert person.open_admin().status_code == 200


def test_staff_without_a_second_factor_are_refused_and_told_how_to_add_one(login_page, staff, settings):
    settings.ADMIN_REQUIRES_SECOND_FACTOR = True
    person = Person(login_page)
    assert person.log_in() == "in"

    refused = person.open_admin(reverse("admin:accounts_user_changelist"))

    assert refused.status_code == 403
    assert "requires a second factor" in refused.text
    assert "authenticator app" in refused.text
    assert person.signed_in()  # refused the admin, not logged out of the site


def test_with_the_switch_off_staff_without_a_second_factor_get_in(login_page, staff, settings):
    settings.ADMIN_REQUIRES_SECOND_FACTOR = False
    person = Person(login_page)
    assert person.log_in() == "in"

    assert person.open_admin().status_code == 200


PRODUCTION = {
    "DEBUG": "off",
    "SECRET_KEY": "x7Qe9rT2mV5nB8kL1pZ4wY6uH3jG0fD-sA_cR7tE9yU2iO5pK8lM1nB4vC6xZ",
    "ALLOWED_HOSTS": "api.example.com",
    "REDIS_URL": "redis://127.0.0.1:6379/0",  # production's shared cache; loading settings does not connect
}


@pytest.mark.parametrize(("debug", "default"), [("off", True), ("on", False)])
def test_the_switch_is_on_by_default_when_debug_is_off(settings_from, debug, default):
    read = settings_from(**PRODUCTION | {"DEBUG": debug, "ADMIN_REQUIRES_SECOND_FACTOR": None})

    assert read.ADMIN_REQUIRES_SECOND_FACTOR is default


def test_requiring_a_second_factor_no_one_can_add_is_a_problem():
    [problem] = admin_access.find_problems(True, "admin/", ["recovery_codes"])

    assert problem.id == "accounts.E050"
    assert "ADMIN_REQUIRES_SECOND_FACTOR=off" in str(problem)


def test_requiring_a_second_factor_no_one_can_add_stops_start_up(settings_from):
    with pytest.raises(ImproperlyConfigured, match=r"accounts\.E050"):
        settings_from(ADMIN_REQUIRES_SECOND_FACTOR="on", MFA_SUPPORTED_TYPES="recovery_codes")


@pytest.mark.parametrize(("variable", "value"), [("ADMIN_REQUIRES_SECOND_FACTOR", "off"), ("ADMIN_URL", "")])
def test_without_a_second_factor_on_offer_the_admin_can_go_without_or_be_off(settings_from, variable, value):
    read = settings_from(**{"ADMIN_REQUIRES_SECOND_FACTOR": "on", "MFA_SUPPORTED_TYPES": "", variable: value})

    assert read.MFA_SUPPORTED_TYPES == []
