"""/health/ reports the database, the cache and the broker, and answers 503 when one is down."""

import socket

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from conect.core import health

pytestmark = pytest.mark.django_db


class BrokenCache:
    """A cache whose server does not answer."""

    def set(self, *args, **kwargs):
        raise ConnectionError("cache server unreachable")

    get = delete = set


class WrongCache:
    """A cache that accepts writes and loses them."""

    def set(self, *args, **kwargs):
        return None

    def get(self, *args, **kwargs):
        return None

    def delete(self, *args, **kwargs):
        return None


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_all_up(client):
    """Everything answers: 200 and each part "ok"."""
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_database_down(client, monkeypatch):
    """A database that refuses queries: 503, and the database is named."""

    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "down", "cache": "ok", "broker": "ok"},
    }


@pytest.mark.parametrize("cache", [BrokenCache(), WrongCache()], ids=["raises", "loses-data"])
def test_cache_down(client, monkeypatch, cache):
    """A cache that fails or loses what it is given: 503, and the cache is named."""
    monkeypatch.setattr(health, "cache", cache)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "down", "broker": "ok"}


def test_broker_down(client):
    """A broker on a port where nothing listens: 503, the broker is named, and the check
    gives up quickly."""
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=url):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "down"}


def test_broker_is_not_checked_in_the_embedded_mode(client):
    """With tasks run in-process there is no broker, and that is healthy."""
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True, CELERY_BROKER_URL="memory://"):
        assert health.check_broker() is True


def test_failures_are_logged_without_connection_details(client, monkeypatch, caplog):
    """An operator finds the failing part in the logs, without secrets from the URL."""
    url = f"redis://:s3cret@127.0.0.1:{_closed_port()}/0"
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=url):
        client.get(reverse("health"))
    messages = [record.getMessage() for record in caplog.records]
    assert any(m.startswith("Health check: broker down") for m in messages)
    assert not any("s3cret" in m for m in messages)


def test_health_answers_anonymous_clients_with_json(client):
    """Load balancers call it without credentials and read JSON."""
    response = client.get(reverse("health"))
    assert response["Content-Type"] == "application/json"
