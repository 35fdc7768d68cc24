"""Security baseline: production refuses to start without secrets, passes Django's deploy
checks, and every response carries the protective headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_ENV = ROOT / ".env.example"


def _example_env() -> dict[str, str]:
    values = {}
    for line in EXAMPLE_ENV.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        values[name] = value.strip().strip('"')
    return values


def _run(code_or_args, env):
    base = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    """With the environment cleared, importing the production settings fails and says
    which variable is missing."""
    result = _run("import conect.settings.production", {})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


@pytest.mark.parametrize(
    "name", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"]
)
def test_production_settings_name_each_missing_variable(name):
    """With every other variable set, a missing one stops the start and is named."""
    env = _example_env()
    del env[name]
    result = _run("import conect.settings.production", env)
    assert result.returncode != 0
    assert f"The environment variable {name} must be set in production." in result.stderr


def test_production_settings_refuse_sqlite():
    """Production runs on PostgreSQL; an SQLite URL is refused."""
    env = {**_example_env(), "DATABASE_URL": "sqlite:////tmp/conect.sqlite3"}
    result = _run("import conect.settings.production", env)
    assert result.returncode != 0
    assert "DATABASE_URL must point to PostgreSQL" in result.stderr


def test_production_settings_refuse_a_weak_secret_key():
    """A short or example-looking key is refused too."""
    result = _run("import conect.settings.production", {"DJANGO_SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "50 characters or more" in result.stderr


def test_production_settings_load_with_the_example_environment():
    """With .env.example's values the production settings load, with DEBUG off and the
    secure cookie and HSTS settings on."""
    code = (
        "import conect.settings.production as s;"
        "assert s.DEBUG is False;"
        "assert s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE;"
        "assert s.SECURE_HSTS_SECONDS >= 31536000;"
        "assert s.SECRET_KEY != 'insecure-development-key-change-me';"
        "print('ok')"
    )
    result = _run(code, _example_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_production_keeps_connections_and_compiled_templates():
    """Production keeps database connections open between requests (checked before
    reuse), reads sessions through the cache and keeps compiled templates: Django's
    cached template loader, which settings without `loaders` get when DEBUG is off."""
    code = (
        "import django, os;"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'conect.settings.production';"
        "django.setup();"
        "from django.conf import settings as s;"
        "from django.template import engines;"
        "db = s.DATABASES['default'];"
        "assert db['CONN_MAX_AGE'] == 60 and db['CONN_HEALTH_CHECKS'] is True, db;"
        "assert s.SESSION_ENGINE == 'django.contrib.sessions.backends.cached_db';"
        "assert 'loaders' not in s.TEMPLATES[0]['OPTIONS'];"
        "loaders = engines['django'].engine.template_loaders;"
        "assert [type(l).__module__ for l in loaders] == ['django.template.loaders.cached'];"
        "print('ok')"
    )
    env = {k: v for k, v in _example_env().items() if k != "DATABASE_CONN_MAX_AGE"}
    result = _run(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_deploy_checks_pass_with_the_example_environment():
    """`manage.py check --deploy` reports no warning with production settings."""
    env = {**_example_env(), "DJANGO_SETTINGS_MODULE": "conect.settings.production"}
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["home", "account_login", "health"])
def test_responses_carry_security_headers(client, url_name):
    """Pages carry a Content-Security-Policy without inline scripts or styles, and refuse
    to be framed."""
    response = client.get(reverse(url_name))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_error_pages_carry_security_headers_too(client):
    """A 404 is protected like any page."""
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_script_or_style():
    """The policy forbids inline scripts and styles, so page templates have none (e-mail
    and PDF templates, named or kept in a folder named so, are exempt: they are not
    served as web pages)."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "emails" in path.parts or path.parts[-3:-1] == ("account", "email"):
            continue
        if "pdf" in path.name or "pdf" in path.parent.name:
            continue
        text = path.read_text()
        if " style=" in text or "<style" in text:
            offenders.append(f"{path.relative_to(ROOT)}: style")
        for chunk in text.split("<script")[1:]:
            head = chunk.split(">", 1)[0]
            if "src=" not in head and "application/json" not in head:
                offenders.append(f"{path.relative_to(ROOT)}: inline script")
    assert offenders == []
