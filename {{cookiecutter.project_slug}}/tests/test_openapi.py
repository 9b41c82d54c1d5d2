"""Both APIs describe themselves in OpenAPI, with interactive docs served from the site's own static files."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

SCRIPT_OR_STYLE = re.compile(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"')


def test_allauth_specification_is_served_as_json(db):
    response = Client().get("/_allauth/openapi.json")

    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert any(path.endswith("/auth/login") for path in spec["paths"])


def test_the_project_api_specification_describes_its_endpoints_and_authentication(db, settings):
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert {"get", "patch"} <= set(spec["paths"]["/api/v1/me"])
    if "allauth.mfa" in settings.INSTALLED_APPS:
        assert "image/svg+xml" in spec["paths"]["/api/v1/mfa/totp/qr"]["get"]["responses"]["200"]["content"]
    else:
        assert "/api/v1/mfa/totp/qr" not in spec["paths"]
    schemes = spec["components"]["securitySchemes"].values()
    assert {"type": "apiKey", "in": "header", "name": "X-Session-Token"} in schemes
    assert {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"} in schemes
    assert {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME} in schemes


@pytest.mark.parametrize(
    ("page", "spec"), [("/_allauth/openapi.html", "/_allauth/openapi.json"), ("/api/v1/docs", "/api/v1/openapi.json")]
)
def test_the_docs_load_nothing_from_other_sites(db, page, spec):
    response = Client().get(page)

    assert response.status_code == 200
    html = response.content.decode()
    assets = SCRIPT_OR_STYLE.findall(html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets), assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not among the static files"
    assert spec in html
    assert re.findall(r"(?:https?:)?//[^\s\"'<>]+", html) == []  # no address on another host
