"""allauth's OpenAPI specification is served for frontend developers."""

from django.test import Client


def test_the_specification_is_served_as_json(db):
    response = Client().get("/_allauth/openapi.json")

    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert any(path.endswith("/auth/login") for path in spec["paths"])


def test_the_specification_is_served_as_a_page(db):
    response = Client().get("/_allauth/openapi.html")

    assert response.status_code == 200
    assert b"openapi.json" in response.content or b"openapi" in response.content
