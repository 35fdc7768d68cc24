"""Coordinators write and publish the guide in the site, not only in the admin."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guide.models import Chapter, Edition, Section, SectionImage, TemplateFile

pytestmark = pytest.mark.django_db


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_write_and_publish_in_the_site(client, coordinator, django_capture_on_commit_callbacks):
    """A chapter, a section (sanitised), an image with its alternative text, a template,
    then an edition: readers see it at the section's address."""
    client.force_login(coordinator)
    client.post(
        reverse("guide:edit-chapter-create"),
        {
            "title_ro": "Consultarea",
            "title_en": "Consultation",
            "key": "consultation",
            "position": 1,
        },
    )
    chapter = Chapter.objects.get()
    response = client.post(
        reverse("guide:edit-section-create"),
        {
            "chapter": chapter.pk,
            "title_ro": "Pașii",
            "title_en": "The steps",
            "key": "consultations",
            "position": 1,
            "body_ro": "<p>Pasul unu.<script>x()</script></p>",
            "body_en": "Step one.",
        },
    )
    section = Section.objects.get()
    assert response["Location"] == reverse("guide:edit-section", args=[section.pk])
    assert section.body_ro == "<p>Pasul unu.</p>"
    assert section.body_en == "<p>Step one.</p>"
    refused = client.post(
        reverse("guide:edit-image-create", args=[section.pk]),
        {"image": SimpleUploadedFile("a.png", png(), "image/png"), "alt_ro": "", "position": 0},
    )
    assert refused.status_code == 200 and not SectionImage.objects.exists()
    client.post(
        reverse("guide:edit-image-create", args=[section.pk]),
        {
            "image": SimpleUploadedFile("a.png", png(), "image/png"),
            "alt_ro": "Schema pașilor",
            "alt_en": "The steps",
            "position": 0,
        },
    )
    assert SectionImage.objects.get().alt_ro == "Schema pașilor"
    pdf = SimpleUploadedFile("anunt.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    client.post(
        reverse("guide:edit-template-create", args=[section.pk]),
        {"title_ro": "Model de anunț", "language": "ro", "file": pdf, "position": 0},
    )
    template = TemplateFile.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("guide:publish"), {"note_ro": "Prima ediție."})
    edition = Edition.objects.get()
    assert response["Location"] == edition.get_absolute_url()
    client.logout()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("guide:section", args=["consultations"])).content.decode()
    assert "The steps" in page and 'alt="The steps"' in page
    assert template.get_absolute_url() in page
    download = client.get(template.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_template_that_is_not_a_document_is_refused(client, coordinator, guide_written):
    client.force_login(coordinator)
    section = Section.objects.first()
    response = client.post(
        reverse("guide:edit-template-create", args=[section.pk]),
        {
            "title_ro": "Model",
            "language": "ro",
            "file": SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>"),
            "position": 0,
        },
    )
    assert response.status_code == 200
    assert not TemplateFile.objects.exists()
