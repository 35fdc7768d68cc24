"""Structured logging: one JSON object a line on stdout, with personal data scrubbed."""

import json
import logging
import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?<!\d)(?:\+?40|0)\d{9}(?!\d)")
_CNP = re.compile(r"(?<!\d)[1-9]\d{12}(?!\d)")


def scrub(text: str) -> str:
    """Mask e-mail addresses, Romanian phone numbers and personal numeric codes (CNP)."""
    text = _EMAIL.sub("[email]", text)
    text = _CNP.sub("[cnp]", text)
    return _PHONE.sub("[phone]", text)


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
            "message": record.getMessage(),
        }
        for key in ("status_code", "task_id", "path"):
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info:
            payload["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(payload, ensure_ascii=False, default=str)
