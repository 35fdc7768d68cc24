"""The guide in a real browser (headless Chromium): from a consultation's help link to
the guide's section, then registering for a training session and, once marked present,
downloading the certificate of attendance."""

import datetime

import pytest
from django.utils import timezone

from guide import services
from guide.models import Registration, TrainingSession

from .conftest import make_session, write_guide

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_help_link_registration_and_certificate(
    page_for, live_server, coordinator, civil_servant, institution
):
    from tests.consultations.conftest import make_consultation

    write_guide(coordinator)
    services.edition_publish(actor=coordinator, note_ro="Prima ediție.")
    consultation = make_consultation(institution)
    session = make_session(capacity=3)
    page = page_for(civil_servant)

    # A consultation's page links to the section that explains consultations.
    page.goto(live_server.url + consultation.get_absolute_url())
    page.get_by_role("link", name="How a public consultation works").first.click()
    assert page.locator("h1").inner_text() == "How a consultation works"
    assert "30 working days" in page.locator("article").inner_text()

    # Register for the session.
    page.goto(live_server.url + session.get_absolute_url())
    page.locator("#register-button").click()
    assert page.locator("#registration-status").inner_text() == "You have a place."
    registration = Registration.objects.get(user=civil_servant)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.institution == institution

    # The session takes place; the organiser marks who attended.
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    session.refresh_from_db()
    services.attendance_mark(actor=coordinator, session=session, present_ids=[registration.pk])

    page.reload()
    with page.expect_download() as download_info:
        page.locator("#certificate-link").click()
    download = download_info.value
    assert download.suggested_filename == f"certificate-{session.pk}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert page.problems == []
