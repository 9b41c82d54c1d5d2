"""The settings refuse values that would silently mean something else."""

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured

import config.settings
from config.environment import Env


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
