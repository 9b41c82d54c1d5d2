"""Whom the site trusts for each client's address behind a proxy: the settings' rules and the deployment warning."""

import importlib

import pytest
from allauth import app_settings as allauth_settings
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

import config.settings
from core import proxies

from .conftest import EMAIL, PASSWORD


@pytest.mark.parametrize(
    ("count", "header"),
    [("0", ""), ("", ""), ("1", ""), ("2", ""), ("0", "X-Real-IP"), ("", "CF-Connecting-IP")],
)
def test_a_count_or_a_header_is_fine(count, header):
    assert proxies.find_problems(count, header) == []


@pytest.mark.parametrize(
    ("count", "header", "problem_id", "complaint"),
    [
        ("-1", "", "core.E130", "TRUSTED_PROXY_COUNT='-1': is not a whole number of proxies"),
        ("one", "", "core.E130", "TRUSTED_PROXY_COUNT='one': is not a whole number of proxies"),
        ("1.5", "", "core.E130", "TRUSTED_PROXY_COUNT='1.5'"),
        ("0", "X_Real_IP", "core.E131", "TRUSTED_CLIENT_IP_HEADER='X_Real_IP': is not a header name"),
        ("0", "X-Real-IP:", "core.E131", "TRUSTED_CLIENT_IP_HEADER='X-Real-IP:'"),
        ("0", "HTTP_X_REAL_IP", "core.E131", "TRUSTED_CLIENT_IP_HEADER='HTTP_X_REAL_IP'"),
        ("0", "X-Real-IP\n", "core.E131", "TRUSTED_CLIENT_IP_HEADER='X-Real-IP\\n'"),
        ("1", "X-Real-IP", "core.E132", "TRUSTED_CLIENT_IP_HEADER='X-Real-IP': is set as well as TRUSTED_PROXY_COUNT"),
        ("0", "x-forwarded-for", "core.E133", "TRUSTED_CLIENT_IP_HEADER='x-forwarded-for': holds a list"),
        ("0", "Forwarded", "core.E133", "TRUSTED_CLIENT_IP_HEADER='Forwarded': holds a list"),
    ],
)
def test_a_bad_count_or_header_is_a_problem_that_says_what_to_set(count, header, problem_id, complaint):
    [problem] = proxies.find_problems(count, header)

    assert problem.id == problem_id
    assert str(problem).startswith(complaint)
    assert "TRUSTED_PROXY_COUNT=1" in problem.hint or "TRUSTED_CLIENT_IP_HEADER=X-Real-IP" in problem.hint


@pytest.fixture
def environ(monkeypatch):
    yield monkeypatch
    monkeypatch.undo()
    importlib.reload(config.settings)


def test_the_environment_sets_allauths_trusted_proxy_count(environ):
    environ.setenv("TRUSTED_PROXY_COUNT", "2")
    environ.delenv("TRUSTED_CLIENT_IP_HEADER", raising=False)

    importlib.reload(config.settings)

    assert config.settings.ALLAUTH_TRUSTED_PROXY_COUNT == 2
    assert config.settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER is None


def test_the_environment_sets_allauths_trusted_client_ip_header(environ):
    environ.setenv("TRUSTED_PROXY_COUNT", "0")
    environ.setenv("TRUSTED_CLIENT_IP_HEADER", "X-Real-IP")

    importlib.reload(config.settings)

    assert config.settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    assert config.settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER == "X-Real-IP"


def test_a_bad_proxy_setting_stops_start_up(environ):
    environ.setenv("TRUSTED_PROXY_COUNT", "1")
    environ.setenv("TRUSTED_CLIENT_IP_HEADER", "X-Real-IP")

    with pytest.raises(ImproperlyConfigured, match=r"core\.E132"):
        importlib.reload(config.settings)


def deployment_warnings() -> list:
    return [issue for issue in run_checks(include_deployment_checks=True) if issue.id == "core.W130"]


def test_the_deployment_checks_warn_of_a_tls_proxy_that_no_setting_trusts_for_addresses(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None

    [warning] = deployment_warnings()

    assert "SECURE_PROXY_SSL_HEADER" in warning.msg
    assert "TRUSTED_PROXY_COUNT=1" in warning.hint


@pytest.mark.parametrize(
    ("ssl_header", "count", "header"),
    [
        (None, 0, None),
        (("HTTP_X_FORWARDED_PROTO", "https"), 1, None),
        (("HTTP_X_FORWARDED_PROTO", "https"), 0, "X-Real-IP"),
    ],
    ids=["no_proxy", "count", "header"],
)
def test_no_warning_without_a_proxy_or_with_one_trusted(settings, ssl_header, count, header):
    settings.SECURE_PROXY_SSL_HEADER = ssl_header
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = count
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = header

    assert deployment_warnings() == []
    read_by_allauth = (allauth_settings.TRUSTED_PROXY_COUNT, allauth_settings.TRUSTED_CLIENT_IP_HEADER)
    assert read_by_allauth == (count, header)


def test_with_a_client_ip_header_a_request_without_it_is_refused(settings, headless_client, user):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"

    refused = headless_client.post("auth/login", {"email": EMAIL, "password": PASSWORD})
    answered = headless_client.post(
        "auth/login", {"email": EMAIL, "password": PASSWORD}, headers={"X-Real-IP": "203.0.113.5"}
    )

    assert refused.status_code == 403
    assert refused.json()["errors"][0]["message"]
    assert answered.status_code == 200, answered.content
