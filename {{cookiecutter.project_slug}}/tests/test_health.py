"""The health endpoint answers 200 while the database and the cache work, 503 otherwise."""

from django.db import OperationalError, connection
from django.test import Client


def test_healthy(db):
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_an_unreachable_cache_makes_it_unavailable(db, settings):
    # A Redis port that nothing listens on.
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}}

    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "error"}


def test_a_failing_database_makes_it_unavailable(db, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", refuse)
        response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_only_get_is_allowed(db):
    assert Client().post("/healthz").status_code == 405
