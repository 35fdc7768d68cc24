"""Working beside e-consultare: every consultation exported as a package (JSON with its
documents, dates and synthesis; a zip with the files; the same JSON in the API), a
package imported as a draft by the staff of an institution, and a new consultation
prefilled from an announcement pasted by hand."""

import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultations import dates, services
from consultations.models import Consultation, Document, Recommendation
from consultations.package import FORMAT

from .conftest import make_consultation, make_recommendation, pdf_bytes, upload

State = Consultation.State


@pytest.fixture
def draft(institution, civil_servant, domain):
    """A draft with a document in two versions and its text by articles."""
    consultation = make_consultation(institution, state=State.DRAFT, with_document=False)
    consultation.domains.add(domain)
    document = services.document_add(
        consultation=consultation,
        actor=civil_servant,
        kind=Document.Kind.DRAFT,
        title="Proiectul de hotărâre",
        file=upload("proiect.pdf", pdf_bytes("v1")),
    )
    services.document_add_version(
        document=document,
        actor=civil_servant,
        file=upload("proiect-v2.pdf", pdf_bytes("v2")),
        change_note="Art. 2 reformulat.",
    )
    services.consultation_set_articles(
        consultation=consultation,
        actor=civil_servant,
        text="Art. 1\nObiectul hotărârii.\n\nArt. 2\nAplicarea.",
    )
    return consultation


def _zip(client, consultation) -> zipfile.ZipFile:
    response = client.get(reverse("consultations:package", args=[consultation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_package_holds_the_consultation_its_files_and_its_synthesis(
    client, institution, citizen, django_assert_num_queries
):
    """The zip's consultation.json names every document version with its file in the zip
    (same sha256); the API answers the same JSON; the synthesis is there once published,
    each public recommendation with its answer."""
    consultation = make_consultation(
        institution, state=State.SYNTHESIS_PUBLISHED, with_document=True
    )
    make_recommendation(
        consultation,
        citizen,
        disposition=Recommendation.Disposition.ACCEPTED,
        justification="Preluată.",
    )
    document = consultation.documents.get()
    version = document.versions.create(
        number=1,
        original_name="proiect.pdf",
        content_type="application/pdf",
        size=len(pdf_bytes()),
        sha256=hashlib.sha256(pdf_bytes()).hexdigest(),
        file=SimpleUploadedFile("proiect.pdf", pdf_bytes()),
    )
    archive = _zip(client, consultation)
    package = json.loads(archive.read("consultation.json"))
    assert package["format"] == FORMAT and package["version"] == 1
    assert package["source"]["url"] == f"http://testserver/consultations/{consultation.pk}/"
    assert package["consultation"]["title"] == consultation.title
    assert package["consultation"]["state"] == "synthesis_published"
    assert package["dates"]["closes_on"] == consultation.closes_on.isoformat()
    (exported,) = package["documents"]
    (file_row,) = exported["versions"]
    assert hashlib.sha256(archive.read(file_row["file"])).hexdigest() == version.sha256
    (row,) = package["synthesis"]["recommendations"]
    assert (row["disposition"], row["justification"]) == ("accepted", "Preluată.")
    url = reverse("api-v1:consultation-package", args=[consultation.pk])
    # the consultation, its domains, regions, counties, articles, documents, versions,
    # and the recommendations of its synthesis
    with django_assert_num_queries(8):
        api = client.get(url).json()
    package.pop("exported_at"), api.pop("exported_at")
    assert api == package


def test_a_draft_package_is_not_public(client, draft, citizen):
    """A draft's package is for its institution only; the API does not know it."""
    client.force_login(citizen)
    assert client.get(reverse("consultations:package", args=[draft.pk])).status_code == 403
    url = reverse("api-v1:consultation-package", args=[draft.pk])
    assert client.get(url).status_code == 404


def test_a_package_is_imported_as_a_draft_with_its_documents(
    client, draft, other_institution, civil_servant
):
    """Exported from one institution, imported by the staff of another: a new draft with
    the same title, dates, domains, articles and every document version."""
    client.force_login(civil_servant)
    content = _zip(client, draft)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as rebuilt:
        for name in content.namelist():
            rebuilt.writestr(name, content.read(name))
    response = client.post(
        reverse("consultations:import"),
        {
            "institution": draft.institution_id,
            "package": SimpleUploadedFile("pachet.zip", archive.getvalue()),
        },
    )
    imported = Consultation.objects.exclude(pk=draft.pk).get()
    assert response.status_code == 302 and response["Location"] == imported.get_absolute_url()
    assert imported.state == State.DRAFT and imported.title == draft.title
    assert (imported.opens_on, imported.closes_on) == (draft.opens_on, draft.closes_on)
    assert list(imported.domains.all()) == list(draft.domains.all())
    assert [a.label for a in imported.articles.all()] == ["Art. 1", "Art. 2"]
    document = imported.documents.get()
    assert [v.sha256 for v in document.versions.order_by("number")] == [
        v.sha256 for v in draft.documents.get().versions.order_by("number")
    ]


def _package(**changes) -> bytes:
    today = dates.local_today()
    opens = today + datetime.timedelta(days=1)
    package = {
        "format": FORMAT,
        "version": 1,
        "consultation": {
            "title": "Proiect importat",
            "summary": "<p>Rezumat.</p>",
            "kind": "government_decision",
            "is_national": True,
        },
        "dates": {
            "opens_on": opens.isoformat(),
            "closes_on": (opens + datetime.timedelta(days=15)).isoformat(),
            "planned_adoption_on": dates.add_working_days(opens, 40).isoformat(),
        },
        "documents": [
            {
                "kind": "draft",
                "title": "Proiectul",
                "versions": [{"number": 1, "file": "documents/1-v1.pdf"}],
            }
        ],
    }
    files = {"documents/1-v1.pdf": pdf_bytes()}
    for key, value in changes.items():
        if key == "files":
            files = value
        elif key == "raw":
            package = value
        else:
            section, field = key.split("__")
            package[section][field] = value
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "consultation.json", package if isinstance(package, str) else json.dumps(package)
        )
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip", "This is not a consultation package"),
        (_package(raw="{not json"), "is not valid JSON"),
        (_package(raw='{"format": "other"}'), "not in the consultation package format"),
        (_package(consultation__kind="decree"), "The kind of act “decree” is not known."),
        (_package(dates__closes_on="31.12.2026"), "“dates.closes_on” is missing or not valid"),
        (_package(files={}), "The file documents/1-v1.pdf is missing from the package."),
        (_package(files={"documents/1-v1.pdf": b"MZ\x90\x00"}), "PDF, DOCX or ODT"),
        (_package(dates__opens_on="2020-01-01"), ""),
    ],
)
def test_a_bad_package_says_why_and_writes_nothing(
    client, institution, civil_servant, content, message
):
    """Each kind of bad package gets a clear message on the form and creates nothing."""
    client.force_login(civil_servant)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(
        reverse("consultations:import"),
        {"institution": institution.pk, "package": SimpleUploadedFile("p.zip", content)},
    )
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors.values())
    assert errors and message in errors
    assert not Consultation.objects.exists() and not Document.objects.exists()


def test_a_good_package_is_imported_and_others_may_not_import(
    client, institution, civil_servant, citizen
):
    """The staff of the chosen institution import; a citizen is refused."""
    client.force_login(citizen)
    data = {"institution": institution.pk, "package": SimpleUploadedFile("p.zip", _package())}
    assert client.post(reverse("consultations:import"), data).status_code == 403
    client.force_login(civil_servant)
    data["package"] = SimpleUploadedFile("p.zip", _package())
    assert client.post(reverse("consultations:import"), data).status_code == 302
    assert Consultation.objects.get().title == "Proiect importat"


def test_a_consultation_is_prefilled_from_a_pasted_announcement(client, civil_servant):
    """The address and the text pasted prefill the title, the kind, the dates and the
    summary of a new consultation's form, which posts to the usual creation page."""
    client.force_login(civil_servant)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    text = (
        "Proiect de Hotărâre a Guvernului privind transportul elevilor\n"
        "Publicat la 03.03.2027.\n"
        "Propuneri și observații se pot trimite până la data de 18 martie 2027.\n"
    )
    response = client.post(
        reverse("consultations:create-from-announcement"),
        {"url": "https://e-consultare.gov.ro/proiect/123", "text": text},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == "Proiect de Hotărâre a Guvernului privind transportul elevilor"
    assert form.initial["kind"] == Consultation.Kind.GOVERNMENT_DECISION
    assert form.initial["opens_on"] == datetime.date(2027, 3, 3)
    assert form.initial["closes_on"] == datetime.date(2027, 3, 18)
    assert "https://e-consultare.gov.ro/proiect/123" in form.initial["summary"]
    html = response.content.decode()
    assert f'action="{reverse("consultations:create")}"' in html
    assert not Consultation.objects.exists()
    bad = client.post(reverse("consultations:create-from-announcement"), {"url": "x", "text": ""})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_the_schema_documents_the_package(client, db):
    """The OpenAPI schema describes the package endpoint and its fields."""
    schema = client.get(reverse("api-v1:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/consultations/{id}/package/"]["get"]
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    properties = schema["components"]["schemas"][reference.rsplit("/", 1)[-1]]["properties"]
    assert {"format", "consultation", "dates", "documents", "synthesis"} <= set(properties)
