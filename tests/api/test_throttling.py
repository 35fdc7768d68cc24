"""Rate limits: modest for anonymous clients, higher with a personal token; 429 with
Retry-After past the limit."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import ngettext

pytestmark = pytest.mark.django_db


def _rates(anonymous, authenticated):
    rest = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": anonymous, "authenticated": authenticated},
    }
    return override_settings(REST_FRAMEWORK=rest)


def test_defaults():
    """60 requests a minute anonymously, 1000 with a token, unless configured."""
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {
        "anonymous": "60/min",
        "authenticated": "1000/min",
    }


def test_anonymous_limit_then_429(api):
    """Past the anonymous limit the answer is 429 with Retry-After and the error shape;
    the headers count down before that."""
    with _rates("3/min", "10/min"):
        remaining = [api.get("/api/v1/")["RateLimit-Remaining"] for _ in range(3)]
        assert remaining == ["2", "1", "0"]
        response = api.get("/api/v1/")
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 60
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert error["details"] == {"retry_after": retry_after}
    assert "Try again in" in error["message"]


def test_token_holders_have_their_own_higher_limit(api, token_client, citizen):
    """A token holder is counted per account with the higher limit, even when anonymous
    clients of the same address are already throttled."""
    client = token_client(citizen)
    with _rates("2/min", "5/min"):
        for _ in range(2):
            api.get("/api/v1/")
        assert api.get("/api/v1/").status_code == 429
        statuses = [client.get("/api/v1/").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_limits_are_per_address(api):
    """Anonymous clients are counted per IP address."""
    with _rates("1/min", "5/min"):
        assert api.get("/api/v1/", REMOTE_ADDR="10.0.0.1").status_code == 200
        assert api.get("/api/v1/", REMOTE_ADDR="10.0.0.1").status_code == 429
        assert Client().get("/api/v1/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_429_in_romanian():
    """The message of a 429 follows Accept-Language."""
    client = Client(HTTP_ACCEPT_LANGUAGE="ro")
    with _rates("1/min", "5/min"):
        client.get("/api/v1/")
        response = client.get("/api/v1/")
    assert response.status_code == 429
    assert response["Content-Language"] == "ro"
    seconds = int(response["Retry-After"])
    with translation.override("ro"):
        expected = ngettext(
            "Too many requests. Try again in %(seconds)d second.",
            "Too many requests. Try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
    assert response.json()["error"]["message"] == expected
