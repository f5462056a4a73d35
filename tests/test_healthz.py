"""GET /healthz tells a load balancer whether this copy of the app can serve."""

from unittest import mock

import pytest


@pytest.mark.django_db
def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_database_down_is_503(client):
    with mock.patch("enfuse.health.database_ok", return_value=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] is False


@pytest.mark.django_db
def test_redis_is_checked_when_configured(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "redis": False}


@pytest.mark.django_db
def test_post_is_refused(client):
    assert client.post("/healthz").status_code == 405
