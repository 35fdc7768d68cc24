"""The outbox: background work that must happen because of a change, kept in the database.

`enqueue(task, **kwargs)` writes a row in the caller's transaction, so the work exists if
and only if the change does, and hands it to Celery as soon as the transaction commits.
If the broker cannot take it then (Redis down, a network cut), the error is logged, the
request goes on, and the row waits: `relay()` (the `relay_outbox` task, run by Celery beat)
sends every row not yet handed over, with a growing pause between attempts, until it goes.

A message may reach the broker twice (the broker took it but the row could not be marked,
or a worker re-ran a message it had not acknowledged): every task handed to the outbox is
idempotent, as every task of this project is.

In the embedded mode (no Redis: `CELERY_TASK_ALWAYS_EAGER`) there is no broker to lose a
message, so `enqueue` just runs the task once the transaction commits, as `.delay()` would.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# A row the immediate hand-over did not mark within this time is the relay's to send.
GRACE = timedelta(seconds=30)
FIRST_RETRY_SECONDS = 15
MAX_RETRY_SECONDS = 600
RELAY_BATCH = 100
KEEP_DISPATCHED = timedelta(days=7)


def _app():
    from conect.celery import app

    return app


def _eager() -> bool:
    return bool(_app().conf.task_always_eager)


def _task(name: str):
    app = _app()
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue(task, /, **kwargs) -> OutboxMessage | None:
    """Run `task(**kwargs)` in a worker once the current transaction commits, surely.

    `task` is a Celery task (or its name); `kwargs` must be JSON-serialisable (ids and
    strings). Safe to call inside a transaction: nothing leaves the database before it
    commits, and nothing of it stays if it rolls back. Never raises because of the broker.
    Returns the row (None in the embedded mode, which keeps no row).
    """
    name = task if isinstance(task, str) else task.name
    if _eager():
        transaction.on_commit(lambda: _run_eagerly(name, kwargs))
        return None
    message = OutboxMessage.objects.create(
        task=name, kwargs=kwargs, next_attempt_at=timezone.now() + GRACE
    )
    message_id = message.pk
    transaction.on_commit(lambda: dispatch(message_id))
    return message


def _run_eagerly(name: str, kwargs: dict) -> None:
    try:
        _task(name).apply_async(kwargs=kwargs)
    except Exception:
        # The change is committed; failing the request now would only hide that.
        logger.exception("Task %s failed in the embedded mode (kwargs %s)", name, kwargs)


def dispatch(message_id: int) -> bool:
    """Hand one row to the broker now, unless the relay has it or it is gone already.
    Returns True when it was handed over; never raises because of the broker."""
    try:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=message_id, dispatched_at__isnull=True)
                .first()
            )
            return message is not None and _publish(message)
    except Exception:
        logger.exception("Outbox message %s could not be dispatched; the relay will", message_id)
        return False


def _publish(message: OutboxMessage) -> bool:
    """Send the (locked) row to the broker and mark it; on failure note the error and
    when to try again."""
    now = timezone.now()
    try:
        _task(message.task).apply_async(kwargs=message.kwargs)
    except Exception as exc:
        message.attempts += 1
        pause = min(FIRST_RETRY_SECONDS * 2 ** (message.attempts - 1), MAX_RETRY_SECONDS)
        message.next_attempt_at = now + timedelta(seconds=pause)
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        message.save(update_fields=["attempts", "next_attempt_at", "last_error"])
        logger.warning(
            "Outbox message %s (%s) not handed to the broker, attempt %d, next in %d s: %s",
            message.pk,
            message.task,
            message.attempts,
            pause,
            message.last_error,
        )
        return False
    message.dispatched_at = now
    message.attempts += 1
    message.save(update_fields=["dispatched_at", "attempts"])
    return True


def relay(*, limit: int = RELAY_BATCH) -> int:
    """Hand to the broker the rows whose time has come, oldest first; returns how many
    went. Runs in several processes at once without sending a row twice (each row is
    locked while it is sent). Stops at the first broker error: the rest would fail too."""
    sent = 0
    with transaction.atomic():
        waiting = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(dispatched_at__isnull=True, next_attempt_at__lte=timezone.now())
            .order_by("pk")[:limit]
        )
        for message in waiting:
            if not _publish(message):
                break
            sent += 1
    OutboxMessage.objects.filter(dispatched_at__lt=timezone.now() - KEEP_DISPATCHED).delete()
    return sent


def waiting_count() -> int:
    """Rows not handed to the broker yet (for monitoring)."""
    return OutboxMessage.objects.filter(dispatched_at__isnull=True).count()
