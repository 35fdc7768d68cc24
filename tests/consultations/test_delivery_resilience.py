"""Nothing lost: a consultation published while the broker is down still reaches its
followers once the broker is back; a worker killed in the middle of a fan-out leaves
nobody without their e-mail, and nobody with two."""

import collections
import datetime
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery import Celery
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from conect.celery import app as celery_app
from conect.core import outbox
from conect.core.models import OutboxMessage
from consultations import dates, notifications, tasks
from consultations.models import Consultation, Follow, Notification

from ..conftest import make_user
from .conftest import make_consultation

State = Consultation.State
Status = Notification.EmailStatus
Kind = Notification.Kind
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def brokered():
    """Celery as in production: tasks go to a broker instead of running in-process."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = eager


def _draft(institution, domain):
    today = dates.local_today()
    draft = make_consultation(
        institution,
        state=State.DRAFT,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=10),
        planned_adoption_on=dates.earliest_adoption(today),
    )
    draft.domains.add(domain)
    return draft


def _followers(domain, count):
    users = [
        make_user(f"follower{n}@example.org", name=f"Urmăritor {n}", preferred_language="ro")
        for n in range(count)
    ]
    Follow.objects.bulk_create([Follow(user=user, domain=domain) for user in users])
    return users


# --- The broker down when a consultation is published ---------------------------------


@pytest.mark.django_db(transaction=True)
def test_publishing_while_the_broker_is_down_succeeds_and_is_delivered_later(
    client, institution, civil_servant, domain, brokered
):
    """Redis refuses every message while a civil servant publishes: the page succeeds,
    the consultation is open, the event waits in the outbox; once the broker is back the
    relay hands it over and every follower hears of it once."""
    followers = _followers(domain, 3)
    draft = _draft(institution, domain)
    client.force_login(civil_servant)
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch("celery.app.task.Task.apply_async", side_effect=refused) as apply_async:
        response = client.post(reverse("consultations:transition", args=[draft.pk, "publish"]))
    assert response.status_code == 302
    assert apply_async.called
    draft.refresh_from_db()
    assert draft.state == State.OPEN
    waiting = OutboxMessage.objects.get()
    assert waiting.task == "consultations.tasks.fan_out_consultation_event"
    assert waiting.kwargs == {"consultation_id": draft.pk, "kind": Kind.CONSULTATION_OPENED}
    assert waiting.dispatched_at is None and waiting.attempts == 1
    assert waiting.last_error.startswith("OperationalError")
    assert not Notification.objects.exists()

    # The broker is back (here: the tasks run in-process, as a worker would run them).
    celery_app.conf.task_always_eager = True
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    mail.outbox.clear()
    assert outbox.relay() == 1
    assert outbox.relay() == 0
    notified = Notification.objects.filter(consultation=draft, kind=Kind.CONSULTATION_OPENED)
    assert sorted(notified.values_list("user_id", flat=True)) == sorted(u.pk for u in followers)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in followers)


def test_a_service_may_schedule_inside_its_transaction(
    institution, domain, brokered, django_capture_on_commit_callbacks
):
    """The schedule_* functions write their outbox row in the caller's transaction and
    reach the broker only once it commits."""
    consultation = make_consultation(institution)
    with (
        mock.patch("celery.app.task.Task.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        notifications.schedule_consultation_opened(consultation.pk)
        notifications.schedule_synthesis_published(consultation.pk)
        assert OutboxMessage.objects.filter(dispatched_at=None).count() == 3
        apply_async.assert_not_called()
    assert apply_async.call_count == 3
    assert not OutboxMessage.objects.filter(dispatched_at=None).exists()


# --- The sweep ------------------------------------------------------------------------


def test_the_sweep_hands_on_events_nobody_is_sending(institution, domain, settings):
    """Expired claims and rows left waiting with no live claim are swept; an event a
    live worker is sending, and one just recorded, are left alone."""
    settings.CONSULTATION_FANOUT_CLAIM_LEASE_SECONDS = 60
    users = _followers(domain, 2)
    now = timezone.now()
    long_ago = now - datetime.timedelta(minutes=5)
    consultation = make_consultation(institution)

    def event(key, status, *, claimed_at=None, created_at=long_ago):
        for user in users:
            Notification.objects.create(
                user=user,
                kind=Kind.CONSULTATION_OPENED,
                event_key=key,
                consultation=consultation,
                email_status=status,
                claimed_at=claimed_at,
                created_at=created_at,
            )

    event("dead", Status.CLAIMED, claimed_at=long_ago)
    event("alive", Status.CLAIMED, claimed_at=now)
    event("forgotten", Status.PENDING)
    event("just-recorded", Status.PENDING, created_at=now)
    event("done", Status.SENT)
    # A worker alive on this event: its waiting rows are its own to send.
    event("busy", Status.PENDING)
    Notification.objects.filter(event_key="busy", user=users[0]).update(
        email_status=Status.CLAIMED, claimed_at=now
    )
    assert notifications.stalled_event_keys() == ["dead", "forgotten"]
    with mock.patch.object(tasks.send_event_emails, "apply_async") as apply_async:
        assert tasks.sweep_fan_outs() == ["dead", "forgotten"]
    assert [c.kwargs["kwargs"] for c in apply_async.call_args_list] == [
        {"event_key": "dead"},
        {"event_key": "forgotten"},
    ]


# --- A real worker, killed in the middle of a fan-out ------------------------------------

needs_redis_and_postgres = pytest.mark.skipif(
    not os.environ.get("REDIS_URL")
    or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a real worker needs PostgreSQL and Redis (REDIS_URL, DATABASE_URL), as in CI",
)

FOLLOWERS = 300
STALL_AFTER = 120
LEASE_SECONDS = 3


class Workers:
    """Real `celery worker` processes on the test database, a Redis queue of their own,
    and the counting e-mail backend of delivery_worker.py."""

    def __init__(self, tmp_path: Path):
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.queue = f"conect-test-{uuid.uuid4().hex}"
        # The next Redis database after the cache's: the tests clear the cache (FLUSHDB)
        # around each test, which would empty the queues of a broker that shared it.
        redis_url = urlsplit(os.environ["REDIS_URL"])
        cache_db = int(redis_url.path.strip("/") or 0)
        self.broker_url = urlunsplit(redis_url._replace(path=f"/{(cache_db + 1) % 16}"))
        self.processes: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.consultations.delivery_worker_settings",
            "CONECT_TEST_DATABASE_NAME": connection.settings_dict["NAME"],
            "CONECT_TEST_QUEUE": self.queue,
            "CONECT_TEST_BROKER_URL": self.broker_url,
            "CONECT_TEST_MAIL_DIR": str(self.mail_dir),
            "CONECT_TEST_FANOUT_BATCH_SIZE": "25",
            "CONECT_TEST_FANOUT_LEASE_SECONDS": str(LEASE_SECONDS),
        }
        self.producer = Celery("conect-test", broker=self.broker_url)

    def ready(self, name: str) -> bool:
        log = self.mail_dir.parent / f"{name}.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        return re.search(rf"\b{name}@\S+ ready\.", text) is not None

    def start(self, name: str, **env) -> subprocess.Popen:
        log = open(self.mail_dir.parent / f"{name}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "conect",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname={name}@%h",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def send(self, task: str, **kwargs) -> None:
        self.producer.send_task(task, kwargs=kwargs, queue=self.queue, expires=5)

    def sent(self) -> list[str]:
        log = self.mail_dir / "sent.log"
        return log.read_text(encoding="utf-8").split() if log.exists() else []

    def stalled(self) -> bool:
        return (self.mail_dir / "stalled").exists()

    def kill(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def unacked(self) -> int:
        """Messages of this test's queue that a worker took and never acknowledged."""
        with self.producer.connection_for_write() as conn:
            raw = conn.default_channel.client.hvals("unacked")
        return sum(self.queue.encode() in value for value in raw)

    def stop(self) -> None:
        for process in self.processes:
            self.kill(process)
        with self.producer.connection_for_write() as conn:
            client = conn.default_channel.client
            client.delete(self.queue)
            for tag, raw in client.hgetall("unacked").items():
                if self.queue.encode() in raw:
                    client.hdel("unacked", tag)
                    client.zrem("unacked_index", tag)
        self.producer.close()


def _wait(condition, timeout: float, *, every=None, what: str) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"{what}: not within {timeout} s")
        if every:
            every()
        time.sleep(1)
    return time.monotonic() - start


@needs_redis_and_postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_fan_out_leaves_nobody_out_and_nobody_twice(
    institution, domain, tmp_path, settings
):
    """The only worker is killed with SIGKILL in the middle of a fan-out to 300 followers
    and another one started: within a bounded time every follower has exactly one
    notification and exactly one e-mail. The dead worker's message stays unacknowledged
    in Redis for the visibility timeout (ten minutes, longer than the test): the sweep,
    sent as beat would send it, is what takes over its expired claims and the rows
    nobody is sending."""
    assert django_settings.CELERY_BROKER_URL  # the workers get theirs from REDIS_URL
    followers = _followers(domain, FOLLOWERS)
    consultation = make_consultation(institution)
    consultation.domains.add(domain)
    workers = Workers(tmp_path)
    try:
        first = workers.start("first", CONECT_TEST_MAIL_STALL_AFTER=str(STALL_AFTER))
        workers.producer.send_task(
            "consultations.tasks.fan_out_consultation_event",
            kwargs={"consultation_id": consultation.pk, "kind": Kind.CONSULTATION_OPENED},
            queue=workers.queue,
        )
        _wait(workers.stalled, 120, what="the first worker reaching the middle of its fan-out")
        workers.kill(first)
        assert len(workers.sent()) == STALL_AFTER

        workers.start("second")
        _wait(lambda: workers.ready("second"), 120, what="the second worker starting")
        back_at = time.monotonic()
        everyone = {u.email for u in followers}
        _wait(
            lambda: set(workers.sent()) >= everyone,
            60,
            every=lambda: workers.send("consultations.tasks.sweep_fan_outs"),
            what="every follower's e-mail after the restart",
        )
        delivered_in = time.monotonic() - back_at
        # Let anything still in flight (a duplicate, if there were one) land.
        time.sleep(LEASE_SECONDS + 2)
        # The dead worker's message is still waiting out its visibility timeout: the
        # sweep did the work.
        assert workers.unacked() == 1
    finally:
        workers.stop()

    counts = collections.Counter(workers.sent())
    assert set(counts) == everyone
    assert [email for email, n in counts.items() if n != 1] == []
    notified = Notification.objects.filter(
        event_key=f"{Kind.CONSULTATION_OPENED}:{consultation.pk}"
    )
    assert notified.count() == FOLLOWERS
    assert set(notified.values_list("user__email", flat=True)) == everyone
    assert not notified.exclude(email_status=Status.SENT).exists()
    # Within a minute of a worker coming back (here a lease of 3 s and a sweep).
    assert delivered_in < 60
