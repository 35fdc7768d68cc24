"""The production settings refuse to start with a weak or missing secret key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
GOOD_KEY = "k3J9-vQx2_Lr8WmZp0TfYs6HcNaB4uDe7GiKoP1qRtVwXyZ5A2bC"


def _load_production(secret_key: str | None) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    env.update(
        DJANGO_ALLOWED_HOSTS="conect.example.ro",
        DATABASE_URL="postgres://conect@127.0.0.1:5432/conect",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    if secret_key is not None:
        env["DJANGO_SECRET_KEY"] = secret_key
    return subprocess.run(
        [sys.executable, "-c", "import conect.settings.production"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_random_key_is_accepted():
    """A long random key passes (the same environment as the refusals below)."""
    result = _load_production(GOOD_KEY)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("x" * 64, "repeats one or a few characters"),
        ("ab" * 40, "repeats one or a few characters"),
        ("short-but-random-9f8e7d", "50 characters or more"),
        ("insecure-" + GOOD_KEY, "50 characters or more"),
        ("", "DJANGO_SECRET_KEY must be set"),
        (None, "DJANGO_SECRET_KEY must be set"),
    ],
)
def test_weak_or_missing_keys_are_refused(key, message):
    """A key of one repeated character, a short one, the development one or none at all
    stops production with a clear ImproperlyConfigured message."""
    result = _load_production(key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
