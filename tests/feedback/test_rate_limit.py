"""Abuse is limited without tracking: a rate limit per client address and per service,
counted in the cache under a keyed hash of the address."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from surveys.feedback import services
from surveys.feedback.models import Answer

pytestmark = pytest.mark.django_db


def post(service, address):
    return Client(REMOTE_ADDR=address).post(
        reverse("feedback:form", args=[service.code]), {"satisfaction": "3"}
    )


def test_limit_per_address_and_service(service, other_service):
    """The 11th answer within the hour from one address to one service is refused (429,
    in the form's language) and not kept; the same address may still rate another
    service, and another address this one."""
    limit = services.RATE_LIMIT_PER_SERVICE[0]
    for _i in range(limit):
        assert post(service, "203.0.113.5").status_code == 302
    refused = post(service, "203.0.113.5")
    assert refused.status_code == 429
    assert Answer.objects.filter(service=service).count() == limit
    assert post(other_service, "203.0.113.5").status_code == 302
    assert post(service, "203.0.113.6").status_code == 302


def test_limit_per_address_over_every_service(service, settings):
    """One address gives at most so many answers an hour over all services."""
    settings.FEEDBACK_RATE_LIMIT_PER_ADDRESS = (3, 3600)
    for _i in range(3):
        assert post(service, "203.0.113.7").status_code == 302
    assert post(service, "203.0.113.7").status_code == 429


def test_the_cache_never_holds_the_address(service):
    """The counters' keys are a keyed hash: the address itself is nowhere in the cache."""
    post(service, "203.0.113.8")
    keys = []
    if hasattr(cache, "keys"):  # django-redis
        keys = list(cache.keys("feedback:rl*"))
    elif isinstance(getattr(cache, "_cache", None), dict):  # local memory
        keys = [key for key in cache._cache if "feedback:rl" in key]
    assert keys, "the rate limit counters are in the cache"
    assert not any("203.0.113.8" in key for key in keys)
