"""Structured logging: one JSON object a line on stdout, with personal data scrubbed.

What is masked: e-mail addresses, Romanian phone numbers, personal numeric codes (CNP),
IPv4 addresses, and the secret keys in e-mail confirmation and password reset links.
The filter scrubs the message (with its arguments merged in); the formatter scrubs
again, with the exception text and the request path, so that a handler without the
filter leaks nothing either.
"""

import json
import logging
import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\d.])(?:\+?40|0)(?:[\s.-]?\d){9}(?![\d])")
_CNP = re.compile(r"(?<!\d)[1-9]\d{12}(?!\d)")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_ACCOUNT_KEYS = re.compile(r"(/accounts/(?:confirm-email|password/reset/key)/)[^/\s?#\"']+")

# Attributes a log call may add (logger.info(..., extra={...})) that end up in the line.
EXTRA_FIELDS = ("status_code", "task_id", "path", "method", "duration_ms", "object_id")


def scrub(text: str) -> str:
    """Mask personal data and secret link keys in `text`."""
    text = _ACCOUNT_KEYS.sub(r"\1[key]", text)
    text = _EMAIL.sub("[email]", text)
    text = _CNP.sub("[cnp]", text)
    text = _PHONE.sub("[phone]", text)
    return _IPV4.sub("[ip]", text)


class ScrubPersonalDataFilter(logging.Filter):
    def filter(self, record):
        record.msg = scrub(record.getMessage())
        record.args = ()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        for key in EXTRA_FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                payload[key] = scrub(value) if isinstance(value, str) else value
        if record.exc_info:
            payload["exception"] = scrub(self.formatException(record.exc_info))
        if record.stack_info:
            payload["stack"] = scrub(self.formatStack(record.stack_info))
        return json.dumps(payload, ensure_ascii=False, default=str)
