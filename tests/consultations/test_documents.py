"""Documents of a consultation: PDF, DOCX or ODT judged by their content, size-limited,
with versions whose changes are visible."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from consultations import services
from consultations.models import Consultation, Document, DocumentVersion

from .conftest import docx_bytes, make_consultation, odt_bytes, pdf_bytes, upload

State = Consultation.State


def _add(consultation, actor, file, **extra):
    return services.document_add(
        consultation=consultation,
        actor=actor,
        kind=extra.pop("kind", Document.Kind.DRAFT),
        title=extra.pop("title", "Proiectul"),
        file=file,
        **extra,
    )


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("proiect.pdf", pdf_bytes(), "application/pdf"),
        (
            "proiect.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("proiect.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
        # The name does not matter, the content does.
        ("proiect.bin", pdf_bytes(), "application/pdf"),
    ],
)
def test_real_documents_are_accepted(name, content, expected, consultation, civil_servant):
    document = _add(consultation, civil_servant, upload(name, content))
    version = document.versions.get()
    assert version.number == 1
    assert version.content_type == expected
    assert version.original_name == name
    assert version.file.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("proiect.pdf", b"<html><script>alert(1)</script></html>"),
        ("proiect.docx", b"MZ\x90\x00\x03\x00\x00\x00 not a document"),
        ("proiect.pdf", b"PK\x03\x04 a broken zip"),
        ("proiect.odt", b"plain text pretending"),
    ],
)
def test_wrong_files_are_refused_whatever_their_name(name, content, consultation, civil_servant):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _add(consultation, civil_servant, upload(name, content))
    assert "not a PDF, DOCX or ODT document" in str(error.value)
    assert not Document.objects.exists()


def test_oversized_and_empty_files_are_refused(settings, consultation, civil_servant):
    settings.CONSULTATION_DOCUMENT_MAX_BYTES = 100
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _add(consultation, civil_servant, upload("mare.pdf", pdf_bytes() + b" " * 200))
    assert "too large" in str(error.value)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _add(consultation, civil_servant, upload("gol.pdf", b""))
    assert "empty" in str(error.value)
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()


def test_a_new_version_is_numbered_and_explained(consultation, civil_servant):
    """A new version gets the next number and needs a note; the same file again is refused."""
    document = _add(consultation, civil_servant, upload("v1.pdf", pdf_bytes("one")))
    with pytest.raises(ValidationError) as error:
        services.document_add_version(
            document=document,
            actor=civil_servant,
            file=upload("v1-copy.pdf", pdf_bytes("one")),
            change_note="Nimic",
        )
    assert "file" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.document_add_version(
            document=document,
            actor=civil_servant,
            file=upload("v2.pdf", pdf_bytes("two")),
            change_note="",
        )
    assert "change_note" in error.value.message_dict
    version = services.document_add_version(
        document=document,
        actor=civil_servant,
        file=upload("v2.odt", odt_bytes("two")),
        change_note="Anexa 2 adăugată.",
    )
    assert version.number == 2
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]


def test_documents_are_frozen_after_the_analysis(institution, civil_servant):
    consultation = make_consultation(institution, state=State.SYNTHESIS_PUBLISHED)
    with pytest.raises(ValidationError):
        _add(consultation, civil_servant, upload("v1.pdf", pdf_bytes()))


def test_upload_page_shows_a_clear_message_and_saves_nothing(client, consultation, civil_servant):
    client.force_login(civil_servant)
    url = reverse("consultations:document-add", args=[consultation.pk])
    response = client.post(
        url,
        {"kind": "draft", "title": "Proiect", "file": upload("x.pdf", b"#!/bin/sh\nrm -rf /")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "not a PDF, DOCX or ODT document" in response.content.decode()
    assert not Document.objects.exists()
    response = client.post(
        url, {"kind": "annex", "title": "Anexa 1", "file": upload("a.docx", docx_bytes())}
    )
    assert response.status_code == 302
    assert Document.objects.get().kind == Document.Kind.ANNEX


def test_version_page(client, consultation, civil_servant):
    document = _add(consultation, civil_servant, upload("v1.pdf", pdf_bytes("one")))
    client.force_login(civil_servant)
    url = reverse("consultations:document-version-add", args=[consultation.pk, document.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"file": upload("v2.pdf", pdf_bytes("two")), "change_note": "Corecturi."}
    )
    assert response.status_code == 302
    assert document.versions.count() == 2


def test_articles_keep_their_recommendations(consultation, civil_servant, citizen):
    """Re-entering the text keeps articles (and their recommendations) by label; removing
    an article that has recommendations is refused."""
    from .conftest import make_recommendation

    services.consultation_set_articles(
        consultation=consultation,
        actor=civil_servant,
        text="Preambul.\nArt. 1 - Obiectul\nText unu.\nArticolul 2. Text doi.\nArt. 3 Trei",
    )
    labels = list(consultation.articles.values_list("label", flat=True))
    assert labels == ["Preambul", "Art. 1", "Art. 2", "Art. 3"]
    first = consultation.articles.get(label="Art. 1")
    make_recommendation(consultation, citizen, article=first)
    services.consultation_set_articles(
        consultation=consultation, actor=civil_servant, text="Art. 1 Nou.\nArt. 2 Doi nou."
    )
    first.refresh_from_db()
    assert first.text == "Nou."
    assert first.recommendations.count() == 1
    with pytest.raises(ValidationError):
        services.consultation_set_articles(
            consultation=consultation, actor=civil_servant, text="Art. 2 Doar doi."
        )
    with pytest.raises(ValidationError):
        services.consultation_set_articles(
            consultation=consultation, actor=civil_servant, text="Art. 1 A\nArt. 1 B"
        )
    assert consultation.articles.count() == 2
