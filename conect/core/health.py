"""/health/: reports the database, the cache and the broker; 503 when one is down.

The answer names each part ("ok" or "down") so that an operator, or a container
orchestrator's health check, sees at once what failed. Failures are logged with the
kind of error, never with connection strings (they hold passwords).
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception as exc:
        logger.warning("Health check: database down (%s)", type(exc).__name__)
        return False


def _ping_redis() -> None:
    """Ask Redis itself, past the cache's ignore-errors layer (django-redis answers as an
    empty cache when Redis is gone, which pages want and a health check must not)."""
    client = getattr(cache, "client", None)
    if client is not None and hasattr(client, "get_client"):
        client.get_client(write=True).ping()


def check_cache() -> bool:
    key = f"health:{uuid.uuid4().hex}"
    try:
        _ping_redis()
        cache.set(key, "ok", 5)
        ok = cache.get(key) == "ok"
        cache.delete(key)
    except Exception as exc:
        logger.warning("Health check: cache down (%s)", type(exc).__name__)
        return False
    if not ok:
        logger.warning("Health check: cache did not return what was stored")
    return ok


def check_broker() -> bool:
    """The broker answers; in the embedded (eager) mode there is no broker to check."""
    broker_url = settings.CELERY_BROKER_URL
    if settings.CELERY_TASK_ALWAYS_EAGER or broker_url.startswith("memory://"):
        return True
    from conect.celery import app

    try:
        with app.connection_for_write(
            url=broker_url, connect_timeout=BROKER_TIMEOUT_SECONDS
        ) as conn:
            conn.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
        return True
    except Exception as exc:
        logger.warning("Health check: broker down (%s)", type(exc).__name__)
        return False


@never_cache
def health(request):
    checks = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {name: "ok" if ok else "down" for name, ok in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
