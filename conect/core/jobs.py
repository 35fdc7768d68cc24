"""The periodic jobs of Celery beat, run in-process by `make run` (see the command
`runserver_with_jobs`), so that a demo or a developer's site opens and closes its
consultations on their dates without a separate beat and worker.

Production runs `celery beat` and workers instead (README, "Background work"); this
runner is never started by the WSGI application."""

import datetime
import logging
import threading

from celery.schedules import schedule as interval_schedule
from celery.utils.imports import symbol_by_name
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

TICK_SECONDS = 15


def _schedules() -> dict[str, tuple[str, object, dict]]:
    """{entry name: (task name, Celery schedule, kwargs)} from CELERY_BEAT_SCHEDULE."""
    entries = {}
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        every = entry["schedule"]
        if isinstance(every, int | float):
            every = interval_schedule(datetime.timedelta(seconds=every))
        elif isinstance(every, datetime.timedelta):
            every = interval_schedule(every)
        entries[name] = (entry["task"], every, entry.get("kwargs", {}))
    return entries


def run_task(task_name: str, kwargs: dict | None = None) -> None:
    """Run one task here and now, in this process; a failure is logged, not raised."""
    close_old_connections()
    try:
        # Beat names a task by its import path: importing it registers it.
        symbol_by_name(task_name).apply(kwargs=kwargs or {}, throw=True)
    except Exception:
        logger.exception("In-process job failed", extra={"task": task_name})
    finally:
        close_old_connections()


class JobRunner:
    """Runs every beat entry when it is due: interval entries (opening and closing the
    consultations every 15 minutes, the outbox) once at start and then on their period,
    daily entries (reminders, digests) at their hour."""

    def __init__(self):
        self.entries = _schedules()
        now = timezone.now()
        # Interval entries are due at once (a site started after a consultation's last
        # day closes it straight away); crontab entries wait for their next hour.
        self.last_run = {
            name: (now - every.run_every if isinstance(every, interval_schedule) else now)
            for name, (_task, every, _kwargs) in self.entries.items()
        }

    def tick(self) -> list[str]:
        """Run what is due now; returns the names of the entries that ran."""
        ran = []
        for name, (task_name, every, kwargs) in self.entries.items():
            due, _next = every.is_due(self.last_run[name])
            if due:
                self.last_run[name] = timezone.now()
                run_task(task_name, kwargs)
                ran.append(name)
        return ran


def start_in_background(tick_seconds: int = TICK_SECONDS) -> threading.Thread:
    """Start the runner in a daemon thread (it dies with the server)."""
    stop = threading.Event()

    def loop():
        runner = JobRunner()
        while not stop.is_set():
            runner.tick()
            stop.wait(tick_seconds)

    thread = threading.Thread(target=loop, name="conect-jobs", daemon=True)
    thread.stop = stop
    thread.start()
    return thread
