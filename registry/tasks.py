"""Celery tasks of the registry. Thin: they take ids, reload and call a service.

Each part of the registry keeps its tasks in a section of its own below.
"""

import smtplib

from celery import shared_task

from .importer import import_job_run

# --- Import of the National NGO Registry -------------------------------------


@shared_task(acks_late=True, ignore_result=True)
def run_import_job(job_id: int) -> None:
    """Run one uploaded registry import. A re-delivered task finds the job finished and
    does nothing; a job left running by a lost worker is run again (the import is
    idempotent)."""
    import_job_run(job_id=job_id)


# --- Organisations -------------------------------------------------------------


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=240,
    max_retries=8,
)
def send_organisation_invitation(self, *, invitation_id: int, key: str) -> bool:
    """E-mail an invitation to join an organisation to an address without an account
    (once per key: a re-delivered task sends nothing twice)."""
    from .services.organisations import organisation_send_invitation_to_address

    return organisation_send_invitation_to_address(invitation_id=invitation_id, key=key)


# --- Relationship officials ----------------------------------------------------
# Officials are known by their professional address, not necessarily by an account.


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=240,
    max_retries=8,
)
def send_official_consent_request(self, *, official_id: int, key: str) -> bool:
    """Send the official the one-time link by which they agree to (or decline)
    publication (once per key)."""
    from .models import RelationshipOfficial
    from .services.officials import official_send_consent_request

    official = RelationshipOfficial.objects.select_related("institution").filter(pk=official_id)
    official = official.first()
    return bool(official) and official_send_consent_request(official=official, key=key)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=240,
    max_retries=8,
)
def send_official_removal_link(self, *, official_id: int, key: str) -> bool:
    """Confirm publication to the official, with the link to remove themselves (once per
    key)."""
    from .models import RelationshipOfficial
    from .services.officials import official_send_removal_link

    official = RelationshipOfficial.objects.select_related("institution").filter(pk=official_id)
    official = official.first()
    return bool(official) and official_send_removal_link(official=official, key=key)
