"""The demo frontend's page is served at / and at the routes that mails link to; the API's 404s stay JSON."""

import re

import pytest
from django.test import Client

from accounts import frontend_urls


@pytest.mark.parametrize(
    "path",
    ["/", "/account/login", *(url.path for url in frontend_urls.BY_SETTING.values())],
)
def test_the_page_is_served_at_each_route(path):
    response = Client().get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b'<script type="module" src="/static/demo/app.js">' in response.content
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_page_has_no_inline_script_or_style():
    html = Client().get("/").content.decode()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html
    assert " style=" not in html


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/_allauth/browser/v1/nothing-here", "/accountx"])
def test_other_paths_are_not_the_page(path):
    response = Client().get(path)

    assert response.status_code == 404
    assert b"app.js" not in response.content


def test_the_api_answers_unknown_paths_in_json():
    response = Client().get("/api/v1/nothing-here")

    assert response.json()["errors"][0]["code"] == "not_found"


def test_the_page_is_only_read():
    assert Client().post("/account/login").status_code == 405
