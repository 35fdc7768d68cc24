"""Redis gone: the cache is a cache. Pages built from the database still answer, the
cache's failure is logged, and /health/ says 503."""

import logging
import socket

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from registry.models import Organisation

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_down():
    """The cache as configured in production (django-redis, errors ignored and logged),
    pointed at a port where nothing listens."""
    caches = {
        "default": {
            "BACKEND": "conect.core.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "KEY_PREFIX": "conect",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    with override_settings(CACHES=caches, DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS=True):
        yield


def test_the_settings_ignore_and_log_the_cache_s_errors(settings):
    """With REDIS_URL set, the cache is django-redis with its errors ignored and logged."""
    from conect.settings import base

    if base.REDIS_URL:
        assert base.CACHES["default"]["BACKEND"] == "conect.core.cache.RedisCache"
        assert base.CACHES["default"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert base.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS is True


def test_pages_built_from_the_database_answer_while_redis_is_down(
    client, organisation, redis_down, caplog
):
    """The registry list, an organisation's page, the API list and the sign-in page
    answer 200; the cache's failure is logged."""
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    with caplog.at_level(logging.ERROR, logger="django_redis.cache"):
        assert cache.get("anything") is None
        urls = [
            reverse("registry:organisation-list"),
            organisation.get_absolute_url(),
            "/api/v1/organisations/",
            reverse("account_login"),
            reverse("account_reset_password"),
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
        assert organisation.name in client.get(reverse("registry:organisation-list")).text
    assert "Exception ignored" in caplog.text


def test_rate_limits_fail_open_while_redis_is_down(client, db, redis_down, settings):
    """The counters live in Redis: without it the API's anonymous limit counts nothing
    and lets requests through (stated in docs/deployment-redis.md)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "1/min", "authenticated": "1/min"},
    }
    for _ in range(3):
        assert client.get("/api/v1/regions/").status_code == 200


def test_health_says_503_while_redis_is_down(client, redis_down):
    """/health/ asks Redis itself, not the cache that hides its errors."""
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "down"


def test_signing_in_works_while_redis_is_down(client, citizen, password, redis_down, settings):
    """allauth's limits on sign-in count nothing without Redis (they fail open) and the
    session is kept in the database: a person signs in and stays signed in."""
    from conect.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    response = client.post(reverse("account_login"), {"login": citizen.email, "password": password})
    assert response.status_code == 302
    assert client.get(reverse("account_email")).status_code == 200
