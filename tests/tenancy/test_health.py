"""The probes a load balancer asks: /healthz (the process answers) and /readyz (PostgreSQL
and Redis answer)."""

import importlib

import pytest
from django.db import OperationalError, connection


@pytest.mark.django_db
def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content.decode().strip() == "ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_readyz_is_ready_with_postgresql_and_redis_up(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.content.decode().strip() == "ready"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_answers_503_naming_redis_when_redis_is_down(client, redis_down):
    response = client.get("/readyz")

    assert response.status_code == 503
    lines = response.content.decode().strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["redis"]


@pytest.mark.django_db
def test_readyz_answers_503_naming_the_database_when_it_cannot_be_reached(client, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refused)
    response = client.get("/readyz")

    assert response.status_code == 503
    lines = response.content.decode().strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["database"]


@pytest.mark.django_db
def test_readyz_without_redis_configured_is_ready_and_says_so(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.content.decode().splitlines() == ["ready", "redis: not configured"]


@pytest.mark.django_db
def test_probes_answer_plain_http_in_production_while_pages_redirect_to_https(
    client, settings, monkeypatch
):
    monkeypatch.setenv("EMAIL_URL", "smtp://localhost:25")
    production = importlib.import_module("config.settings.production")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = production.SECURE_REDIRECT_EXEMPT

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/privacy/").status_code == 301
