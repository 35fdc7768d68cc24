"""The outbox: work written in the change's transaction, handed to the broker once it
commits, kept and retried by the relay while the broker is down, sent once."""

import datetime
import logging
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from conect.celery import app as celery_app
from conect.core import outbox
from conect.core.emails import enqueue_email
from conect.core.models import OutboxMessage
from conect.core.tasks import relay_outbox, send_user_email

pytestmark = pytest.mark.django_db

TASK = "conect.core.tasks.send_user_email"
KWARGS = {"user_id": 1, "template": "t", "context": {}, "key": "k"}


@pytest.fixture
def brokered():
    """Celery as in production: tasks go to a broker instead of running in-process."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def broker():
    """The broker as the outbox sees it: `apply_async` of the task, which can be made to
    fail as it does when Redis cannot be reached."""
    with mock.patch.object(send_user_email, "apply_async") as apply_async:
        yield apply_async


def _broker_down(broker):
    broker.side_effect = OperationalError("Error 111 connecting to 127.0.0.1:6379.")


def _due(message):
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_the_row_is_written_in_the_transaction_and_sent_once_it_commits(
    brokered, broker, django_capture_on_commit_callbacks
):
    """Nothing reaches the broker while the transaction is open; once it commits the row
    is handed over and marked, and the relay does not send it again."""
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            message = outbox.enqueue(send_user_email, **KWARGS)
            assert OutboxMessage.objects.filter(pk=message.pk, dispatched_at=None).exists()
        broker.assert_not_called()
    broker.assert_called_once_with(kwargs=KWARGS)
    message.refresh_from_db()
    assert message.task == TASK and message.kwargs == KWARGS
    assert message.dispatched_at is not None and message.attempts == 1
    _due(message)
    assert outbox.relay() == 0
    assert broker.call_count == 1


def test_nothing_is_kept_or_sent_when_the_transaction_rolls_back(
    brokered, broker, django_capture_on_commit_callbacks
):
    """A change that fails takes its events with it."""
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue(TASK, **KWARGS)
        raise RuntimeError("the service failed")
    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    broker.assert_not_called()


def test_a_broker_that_is_down_fails_nothing_and_the_relay_sends_it_later(
    brokered, broker, django_capture_on_commit_callbacks, caplog
):
    """The broker refuses the message: no exception reaches the caller, the error is
    logged, the row waits with a growing pause, and once the broker is back the relay
    sends it, once."""
    _broker_down(broker)
    with (
        caplog.at_level(logging.WARNING, logger="conect.core.outbox"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = outbox.enqueue(send_user_email, **KWARGS)
    message.refresh_from_db()
    assert message.dispatched_at is None and message.attempts == 1
    assert message.last_error.startswith("OperationalError: Error 111")
    first_pause = message.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=10) < first_pause <= datetime.timedelta(seconds=15)
    assert f"Outbox message {message.pk}" in caplog.text

    # Not due yet: the relay leaves it alone.
    assert outbox.relay() == 0 and broker.call_count == 1
    # Due, the broker still down: one more attempt, a longer pause.
    _due(message)
    assert outbox.relay() == 0
    message.refresh_from_db()
    assert message.attempts == 2 and message.dispatched_at is None
    assert message.next_attempt_at - timezone.now() > datetime.timedelta(seconds=25)
    # The broker is back.
    broker.side_effect = None
    _due(message)
    assert relay_outbox() == 1
    message.refresh_from_db()
    assert message.dispatched_at is not None and message.attempts == 3
    assert broker.call_count == 3
    assert outbox.relay() == 0 and broker.call_count == 3
    assert outbox.waiting_count() == 0


def test_the_relay_stops_at_the_first_broker_error_and_keeps_the_order(brokered, broker):
    """Rows go oldest first; when the broker fails, the rest wait for the next run."""
    messages = [
        OutboxMessage.objects.create(task=TASK, kwargs={**KWARGS, "key": str(n)}) for n in range(3)
    ]
    _broker_down(broker)
    assert outbox.relay() == 0
    assert broker.call_count == 1
    assert [m.attempts for m in OutboxMessage.objects.order_by("pk")] == [1, 0, 0]
    broker.side_effect = None
    assert outbox.relay() == 2  # the first waits for its pause
    _due(messages[0])
    assert outbox.relay() == 1
    assert [c.kwargs["kwargs"]["key"] for c in broker.call_args_list[1:]] == ["1", "2", "0"]


def test_the_relay_forgets_rows_sent_long_ago(brokered, broker):
    old = OutboxMessage.objects.create(
        task=TASK, kwargs=KWARGS, dispatched_at=timezone.now() - datetime.timedelta(days=8)
    )
    recent = OutboxMessage.objects.create(task=TASK, kwargs=KWARGS, dispatched_at=timezone.now())
    outbox.relay()
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk


def test_enqueue_email_goes_through_the_outbox(
    brokered, broker, citizen, django_capture_on_commit_callbacks
):
    """An e-mail enqueued while the broker is down is kept for the relay."""
    _broker_down(broker)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_email(to_user=citizen, template="core_tests/greeting", context={}, key="g:1")
    message = OutboxMessage.objects.get()
    assert message.task == TASK and message.dispatched_at is None
    assert message.kwargs == {
        "user_id": citizen.pk,
        "template": "core_tests/greeting",
        "context": {},
        "key": "g:1",
    }


def test_the_embedded_mode_runs_the_task_on_commit_without_a_row(
    broker, django_capture_on_commit_callbacks
):
    """Without a broker (`make run`), the task runs in-process once the transaction
    commits, as `.delay()` would, and nothing is kept."""
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.enqueue(send_user_email, **KWARGS) is None
        broker.assert_not_called()
    broker.assert_called_once_with(kwargs=KWARGS)
    assert not OutboxMessage.objects.exists()


def test_a_task_that_fails_in_the_embedded_mode_is_logged_not_raised(
    broker, django_capture_on_commit_callbacks, caplog
):
    """The change is committed: the request does not fail because of its e-mail."""
    broker.side_effect = ConnectionError("SMTP server went away")
    with (
        caplog.at_level(logging.ERROR, logger="conect.core.outbox"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        outbox.enqueue(send_user_email, **KWARGS)
    assert "failed in the embedded mode" in caplog.text
