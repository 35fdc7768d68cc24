"""The administration pages of consultations."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from .conftest import make_recommendation, pdf_bytes

pytestmark = pytest.mark.django_db


def _with_attachment(consultation, author):
    recommendation = make_recommendation(
        consultation, author, attachment_name="anexa.pdf", attachment_type="application/pdf"
    )
    recommendation.attachment.save("anexa.pdf", ContentFile(pdf_bytes("secret")))
    return recommendation


def test_admin_shows_a_recommendation_with_an_attachment(
    client, superuser, coordinator, consultation, citizen
):
    """The admin page of a recommendation with an attachment (kept in the private storage,
    which has no public address) opens for superusers and coordinators, and links to the
    checked download view, never to the file's place in the storage."""
    recommendation = _with_attachment(consultation, citizen)
    change = reverse("admin:consultations_recommendation_change", args=[recommendation.pk])
    download = reverse("consultations:recommendation-attachment", args=[recommendation.pk])
    for user in (superuser, coordinator):
        client.force_login(user)
        response = client.get(change)
        assert response.status_code == 200, user
        content = response.content.decode()
        assert f'href="{download}"' in content
        assert recommendation.attachment.name not in content
        assert 'type="file"' not in content


def test_superuser_saves_a_recommendation_and_keeps_its_attachment(
    client, superuser, consultation, citizen
):
    """A superuser's correction in the admin keeps the attachment as it was."""
    recommendation = _with_attachment(consultation, citizen)
    name = recommendation.attachment.name
    client.force_login(superuser)
    change = reverse("admin:consultations_recommendation_change", args=[recommendation.pk])
    response = client.get(change)
    form = response.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if key in form.fields and value is not None and not isinstance(value, list)
    }
    data.update(text="<p>Text corectat.</p>", status="published", report_count=0)
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    recommendation.refresh_from_db()
    assert recommendation.text == "<p>Text corectat.</p>"
    assert recommendation.attachment.name == name
