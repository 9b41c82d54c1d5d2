"""The frontend URL settings: every kind of mistake stops start-up with a message that says what to fix."""

from pathlib import Path

import pytest
from allauth.headless.adapter import get_adapter as get_headless_adapter
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

import config.settings
from accounts import frontend_urls
from accounts.frontend_urls import BY_SETTING, find_problems, render
from core.validation import origin_of, origins_of

from .conftest import FRONTEND
from .live_server import PRODUCTION, start_up_refusal

PROJECT_DIR = Path(__file__).resolve().parent.parent
URLS = [BY_SETTING[setting] for setting in config.settings.FRONTEND_URLS]
WITH_PLACEHOLDERS = [url for url in URLS if url.placeholders]
VALID = frontend_urls.defaults(FRONTEND, URLS)

# Each mistake: a function from the setting to a bad value, and the problem's ID.
MISTAKES = {
    "missing": (lambda url: "", "accounts.E001"),
    "relative": (lambda url: url.path, "accounts.E002"),
    "not_http": (lambda url: "ftp://app.example.com" + url.path, "accounts.E002"),
    "plain_http_in_production": (lambda url: "http://app.example.com" + url.path, "accounts.E003"),
    "unknown_placeholder": (lambda url: VALID[url.setting] + "?next={next}", "accounts.E005"),
    "unbalanced_brace": (lambda url: VALID[url.setting] + "/{oops", "accounts.E006"),
    "format_spec": (lambda url: VALID[url.setting] + "/{token!r}", "accounts.E007"),
}


def problems_for(setting: str, value: str, *, required: bool = True, allow_http: bool = False):
    return find_problems({**VALID, setting: value}, required=required, allow_http=allow_http)


def test_the_defaults_are_valid():
    assert find_problems(VALID, required=True, allow_http=False) == []


@pytest.mark.parametrize("url", URLS, ids=lambda url: url.setting)
@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_mistake_is_reported_with_setting_value_and_example(url, mistake):
    make_value, problem_id = MISTAKES[mistake]
    value = make_value(url)

    problems = problems_for(url.setting, value)

    assert problem_id in {problem.id for problem in problems}
    [problem] = [problem for problem in problems if problem.id == problem_id]
    assert problem.setting == url.setting
    message = str(problem)
    assert url.setting in message
    assert repr(value) in message
    assert url.example() in message


@pytest.mark.parametrize("url", WITH_PLACEHOLDERS, ids=lambda url: url.setting)
def test_a_missing_placeholder_is_reported_by_name(url):
    for name in url.placeholders:
        value = VALID[url.setting].replace(f"{{{name}}}", "fixed")

        [problem] = problems_for(url.setting, value)

        assert problem.id == "accounts.E004"
        assert f"{{{name}}}" in str(problem)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
def test_plain_http_is_fine_for_loopback_hosts(host):
    assert problems_for("EMAIL_VERIFICATION_URL", f"http://{host}:3000/verify/{{token}}") == []


def test_plain_http_is_fine_with_debug():
    assert problems_for("EMAIL_VERIFICATION_URL", "http://app.example.com/verify/{token}", allow_http=True) == []


def test_without_headless_only_a_missing_url_is_fine_but_a_wrong_one_is_not():
    assert problems_for("PASSWORD_RESET_URL", "", required=False) == []
    assert problems_for("PASSWORD_RESET_URL", "/reset/{uidb64}/{token}", required=False)


@pytest.mark.parametrize(("switch", "links"), frontend_urls.LINKS_REPLACED_BY_CODES.items())
def test_a_link_that_codes_by_mail_replace_is_required_until_they_are_on(switch, links):
    without = {**VALID, **dict.fromkeys(links, "")}

    problems = find_problems(without, required=True, allow_http=False)
    replaced = find_problems(without, required=True, allow_http=False, codes_by_mail=[switch])

    assert [(problem.id, problem.setting) for problem in problems] == [("accounts.E001", link) for link in links]
    assert all(f"or set {switch}=on so that the mail carries a code instead" in problem.hint for problem in problems)
    assert replaced == []


@pytest.mark.parametrize("switch", frontend_urls.LINKS_REPLACED_BY_CODES)
def test_codes_by_mail_leave_every_other_link_required(switch):
    others = [url for url in VALID if url not in frontend_urls.LINKS_REPLACED_BY_CODES[switch]]

    problems = find_problems(dict.fromkeys(VALID, ""), required=True, allow_http=False, codes_by_mail=[switch])

    assert [problem.setting for problem in problems] == others


def test_a_link_replaced_by_a_code_must_still_be_valid_when_set():
    codes_by_mail = list(frontend_urls.LINKS_REPLACED_BY_CODES)

    problems = find_problems(
        {**VALID, "PASSWORD_RESET_URL": "/reset"}, required=True, allow_http=False, codes_by_mail=codes_by_mail
    )

    assert [problem.id for problem in problems] == ["accounts.E002"]


def test_literal_braces_are_allowed_when_doubled():
    assert problems_for("PASSWORD_CHANGED_URL", "https://app.example.com/#/{{account}}") == []


def test_all_problems_are_reported_together():
    bad = dict.fromkeys(VALID, "/relative")

    problems = find_problems(bad, required=True, allow_http=False)

    assert {problem.setting for problem in problems} == set(VALID)


def test_render_fills_placeholders_url_encoded():
    template = "https://app.example.com/reset/{uidb64}/{token}?again={token}"

    url = render(template, uidb64="a/b", token="k:1 &x=y")

    assert url == "https://app.example.com/reset/a%2Fb/k%3A1%20%26x%3Dy?again=k%3A1%20%26x%3Dy"


def test_allauth_gets_each_url_it_can_fill_under_the_name_of_its_page():
    allauth_urls = frontend_urls.allauth_frontend_urls({**VALID, "ACCOUNT_SIGNUP_URL": None})

    assert allauth_urls["account_confirm_email"] == "https://app.example.com/account/verify-email/{key}"
    assert allauth_urls["account_change_password"] == VALID["PASSWORD_CHANGED_URL"]
    assert "account_signup" not in allauth_urls
    # Two halves of one key, and a second route for the same allauth page: the adapters fill these in.
    assert set(allauth_urls) == {url.allauth_name for url in URLS if url.allauth_name} - {"account_signup"}
    assert BY_SETTING["PASSWORD_RESET_URL"].allauth_name is None
    assert BY_SETTING["EMAIL_CHANGE_CONFIRMATION_URL"].allauth_name is None


# Every character allauth's keys are made of (Django's signing: URL-safe base64 and colons; or letters and
# digits), and the characters render() encodes where allauth would not, or differently (/ and space).
KEYS = ["MQ:1vQx2Z:a-b_c.dXYZ09", "abcdefghijklmnopqrstuvwxyz0123456789"]


@pytest.mark.parametrize(
    "template",
    [
        "https://app.example.com/account/verify-email/{token}",
        "https://app.example.com/verify?key={token}&again={token}",
        "https://app.example.com/#/verify/{token}",
        "https://app.example.com/{{literal}}/{token}?x={{y}}",
    ],
)
@pytest.mark.parametrize("key", KEYS)
def test_allauth_fills_a_url_exactly_as_render_does(settings, template, key):
    url = BY_SETTING["EMAIL_VERIFICATION_URL"]
    settings.HEADLESS_FRONTEND_URLS = {url.allauth_name: frontend_urls.allauth_template(url, template)}

    filled = get_headless_adapter().get_frontend_url(url.allauth_name, key=key)

    assert filled == render(template, token=key)


def test_text_that_reads_as_allauths_placeholder_is_kept_as_text(settings):
    url = BY_SETTING["EMAIL_VERIFICATION_URL"]
    settings.HEADLESS_FRONTEND_URLS = {
        url.allauth_name: frontend_urls.allauth_template(url, "https://app.example.com/{{key}}/{token}")
    }

    filled = get_headless_adapter().get_frontend_url(url.allauth_name, key="abc")

    assert filled == "https://app.example.com/%7Bkey%7D/abc"


def test_system_checks_list_every_problem_with_its_id(settings, db):
    settings.FRONTEND_URLS = {**settings.FRONTEND_URLS, "EMAIL_VERIFICATION_URL": "/verify", "PASSWORD_RESET_URL": ""}
    settings.HEADLESS_ONLY = True

    errors = [error for error in run_checks() if error.id.startswith("accounts.")]

    assert {(error.id, error.msg.split("=")[0]) for error in errors} >= {
        ("accounts.E002", "EMAIL_VERIFICATION_URL"),
        ("accounts.E001", "PASSWORD_RESET_URL"),
    }
    assert all(error.hint for error in errors)


def test_a_mistake_stops_the_settings_import(settings_from):
    with pytest.raises(ImproperlyConfigured) as error:
        settings_from(**PRODUCTION | {"EMAIL_VERIFICATION_URL": "/verify/{token}"})

    assert "EMAIL_VERIFICATION_URL='/verify/{token}': is not an absolute http(s) URL." in str(error.value)
    assert "(accounts.E002)" in str(error.value)


def test_the_settings_import_succeeds_with_valid_urls(settings_from):
    read = settings_from(**PRODUCTION)

    assert read.FRONTEND_URLS["EMAIL_VERIFICATION_URL"] == VALID["EMAIL_VERIFICATION_URL"]
    assert frontend_urls.allauth_frontend_urls(VALID) == read.HEADLESS_FRONTEND_URLS


def test_a_wsgi_server_does_not_start_with_a_bad_url():
    refusal = start_up_refusal(
        "-c",
        "from config.wsgi import application",
        **PRODUCTION
        | {
            "PASSWORD_RESET_URL": "https://app.example.com/reset/{token}",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
    )

    assert "PASSWORD_RESET_URL='https://app.example.com/reset/{token}': lacks the placeholder {uidb64}." in refusal
    assert "accounts.E004" in refusal


def test_without_headless_only_the_urls_may_be_left_unset(settings_from):
    read = settings_from(**PRODUCTION | {"HEADLESS_ONLY": "off"} | dict.fromkeys(VALID, ""))

    assert set(read.FRONTEND_URLS.values()) == {None}
    assert read.HEADLESS_FRONTEND_URLS == {}


@pytest.mark.parametrize(
    ("switch", "links"),
    [
        ("ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED", ["PASSWORD_RESET_URL"]),
        ("ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED", ["EMAIL_VERIFICATION_URL", "EMAIL_CHANGE_CONFIRMATION_URL"]),
    ],
)
def test_the_settings_need_no_link_for_a_flow_that_mails_a_code(settings_from, switch, links):
    with pytest.raises(ImproperlyConfigured, match=f"{links[0]}=None: is not set"):
        settings_from(**PRODUCTION | dict.fromkeys(links, ""))

    read = settings_from(**PRODUCTION | dict.fromkeys(links, "") | {switch: "on"})

    assert getattr(read, switch) is True
    assert [read.FRONTEND_URLS[link] for link in links] == [None] * len(links)


def test_login_by_code_needs_no_link(settings_from):
    read = settings_from(**PRODUCTION | {"ACCOUNT_LOGIN_BY_CODE_ENABLED": "on"})

    assert read.ACCOUNT_LOGIN_BY_CODE_ENABLED is True


def test_codes_by_mail_are_off_by_default(settings_from):
    read = settings_from(**PRODUCTION | dict.fromkeys(frontend_urls.LINKS_REPLACED_BY_CODES, None))

    assert read.ACCOUNT_LOGIN_BY_CODE_ENABLED is False
    assert read.ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED is False
    assert read.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED is False


def test_origins_are_written_as_browsers_write_them():
    urls = ["https://App.Example.com:443/verify/{token}", "https://app.example.com/reset", "http://localhost", None]

    assert origins_of([*urls, "/relative"]) == ["https://app.example.com", "http://localhost"]
    assert origin_of("http://[::1]:8000/x") == "http://[::1]:8000"
