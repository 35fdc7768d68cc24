"""Thin Celery tasks of proposals: they take ids or keys and call the services."""

from celery import shared_task

from . import notifications, services


@shared_task
def close_expired_votes() -> int:
    """Archive the proposals whose vote ended below the threshold (every 5 minutes)."""
    return services.close_expired_votes()


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_event_emails(self, event_key: str) -> int:
    try:
        return notifications.send_event_emails(event_key)
    except OSError as exc:  # the mail server: try again later; sent rows stay sent
        raise self.retry(exc=exc) from exc


@shared_task
def send_digests(frequency: str) -> int:
    return notifications.send_digests(frequency)
