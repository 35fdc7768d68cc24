"""What a real Celery worker started by test_delivery_resilience.py runs with: settings
pointing at the test database and Redis, and an e-mail backend that both the worker and
the test can count (one line per message, appended to a file). The settings are in
delivery_worker_settings.py."""

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class CountingBackend(BaseEmailBackend):
    """Appends each recipient to $CONECT_TEST_MAIL_DIR/sent.log. With
    $CONECT_TEST_MAIL_STALL_AFTER=N, the N+1th message never leaves: the worker writes
    `stalled` and waits, in the middle of its fan-out, for the test to kill it."""

    sent = 0

    def send_messages(self, messages):
        directory = Path(os.environ["CONECT_TEST_MAIL_DIR"])
        stall_after = int(os.environ.get("CONECT_TEST_MAIL_STALL_AFTER") or 0)
        for message in messages:
            if stall_after and CountingBackend.sent >= stall_after:
                (directory / "stalled").write_text(str(os.getpid()))
                time.sleep(3600)
            with open(directory / "sent.log", "a", encoding="utf-8") as log:
                log.write(f"{message.to[0]}\n")
            CountingBackend.sent += 1
        return len(messages)
