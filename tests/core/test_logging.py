"""Logs are one JSON object a line on stdout, and carry no personal data."""

import io
import json
import logging

import pytest
from django.conf import settings

from conect.core.logging import JsonFormatter, ScrubPersonalDataFilter, scrub


@pytest.fixture
def stream_logger():
    """A logger wired like production's: the scrub filter and the JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ScrubPersonalDataFilter())
    logger = logging.getLogger("conect.tests.logging")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def _lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("user ana.pop+x@example.org signed in", "user [email] signed in"),
        ("call 0722 123 456 or +40722123456", "call [phone] or [phone]"),
        ("CNP 1960101123456 on file", "CNP [cnp] on file"),
        ("from 192.168.10.5 via proxy", "from [ip] via proxy"),
        (
            "GET /accounts/confirm-email/MjA:1uT9:abc/ 200",
            "GET /accounts/confirm-email/[key]/ 200",
        ),
        (
            "GET /accounts/password/reset/key/1-abc-123/ 302",
            "GET /accounts/password/reset/key/[key]/ 302",
        ),
        ("organisation 42 verified in 12.5 ms", "organisation 42 verified in 12.5 ms"),
        ("fiscal code 18547290", "fiscal code 18547290"),
    ],
)
def test_scrub(text, expected):
    """Personal data and secret link keys are masked; ids, codes and timings are kept."""
    assert scrub(text) == expected


def test_log_line_is_json_with_personal_data_scrubbed(stream_logger):
    """A log call with an e-mail in its arguments produces one JSON line without it."""
    logger, stream = stream_logger
    logger.info("Welcome e-mail sent to %s", "ion@example.org", extra={"task_id": "t-1"})
    [line] = _lines(stream)
    assert line["message"] == "Welcome e-mail sent to [email]"
    assert line["level"] == "INFO"
    assert line["logger"] == "conect.tests.logging"
    assert line["task_id"] == "t-1"
    assert "time" in line


def test_exceptions_are_scrubbed(stream_logger):
    """The traceback of an error is logged, with the personal data in it masked."""
    logger, stream = stream_logger
    try:
        raise ValueError("no account for maria@example.org")
    except ValueError:
        logger.exception("Import failed")
    [line] = _lines(stream)
    assert "ValueError" in line["exception"]
    assert "maria@example.org" not in line["exception"]
    assert "[email]" in line["exception"]


def test_formatter_scrubs_even_without_the_filter():
    """A handler configured without the filter still leaks nothing."""
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "Not Found: %s", ("/u/a@b.ro/",), None
    )
    record.path = "/u/a@b.ro/"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Not Found: /u/[email]/"
    assert line["path"] == "/u/[email]/"


def test_settings_send_json_to_stdout_through_the_filter():
    """The shared settings route every log through the scrub filter to stdout as JSON."""
    from conect.settings import base

    handler = base.LOGGING["handlers"]["stdout"]
    assert handler["class"] == "logging.StreamHandler"
    assert handler["stream"] == "ext://sys.stdout"
    assert handler["filters"] == ["scrub"]
    assert base.LOGGING["formatters"]["json"]["()"] == "conect.core.logging.JsonFormatter"
    assert base.LOGGING["root"]["handlers"] == ["stdout"]
    assert not settings.CELERY_WORKER_HIJACK_ROOT_LOGGER


def test_a_configured_process_writes_scrubbed_json_to_stdout(tmp_path):
    """A process started with the shared settings writes its logs as JSON on stdout."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = (
        "import django, logging; django.setup();"
        "logging.getLogger('conect.demo').warning('Sign-in failed for %s', 'ana@example.org')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "conect.settings.base",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert line["message"] == "Sign-in failed for [email]"
    assert line["level"] == "WARNING"
    assert "ana@example.org" not in result.stdout + result.stderr
