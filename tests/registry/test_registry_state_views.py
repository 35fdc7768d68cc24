"""Issue 18 in the pages and the API: the import of an XLSX by a coordinator with its
summary, the register's state and public utility on the organisation's page, in the
filters and the API, and the claim of a record without a fiscal code."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.models import ImportJob, Organisation
from registry.services import organisations as services

from .test_import_xlsx import FILE_NAME, quirks, write_xlsx

LIST_URL = "/registry/organisations/"
API_LIST = "/api/v1/organisations/"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def en_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def record(name, number, *, state="active", **extra):
    return Organisation.objects.create(
        name=name,
        legal_form="association",
        registry_number=number,
        registry_state=state,
        status="imported",
        search_name=name.lower(),
        **extra,
    )


@pytest.fixture
def states(db, county):
    return {
        state: record(f"Asociația {state}", f"{i}/A/2004", state=state, county=county)
        for i, state in enumerate(Organisation.RegistryState.values, start=1)
    }


# --- The coordinator's upload ---------------------------------------------------------


def test_a_coordinator_uploads_the_ministrys_xlsx_and_reads_the_summary(
    en_client, coordinator, tmp_path, county, django_capture_on_commit_callbacks
):
    """The XLSX is accepted by the upload page, its category read from its name; the job
    page shows the repeats, the row set aside (linked to its review, which names the
    import) and the changes, and the summary downloads as CSV with one line per change."""
    content = write_xlsx(tmp_path / FILE_NAME, quirks()).read_bytes()
    en_client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = en_client.post(
            reverse("registry:import-upload"),
            {"file": SimpleUploadedFile(FILE_NAME, content)},
        )

    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.status, job.file_format, job.extract_date) == (
        "succeeded",
        "xlsx",
        date(2026, 1, 12),
    )
    assert (job.created_count, job.skipped_count, job.repeat_count, job.error_count) == (
        8,
        1,
        2,
        0,
    )
    html = en_client.get(job.get_absolute_url()).content.decode()
    assert "Download the summary of the changes (CSV)" in html
    assert "set aside for review" in html
    download = en_client.get(reverse("registry:import-summary", args=[job.pk]))
    lines = list(csv.reader(io.StringIO(b"".join(download).decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:3] == ["Kind", "Row", "Registry number"]
    assert len(lines) == 1 + 8 + 2 + 1  # header, new, repeats, set aside
    review = reverse("registry:import-set-aside")
    assert f'href="{review}">Review them</a>' in html
    assert job.original_name in en_client.get(review).content.decode()  # the row's import


def test_the_summary_is_for_coordinators_only(en_client, coordinator, citizen, tmp_path, county):
    """Only who may import reads an import's summary."""
    content = write_xlsx(tmp_path / FILE_NAME, quirks()).read_bytes()
    job = ImportJob(original_name=FILE_NAME, size=len(content), created_by=coordinator)
    job.save()
    url = reverse("registry:import-summary", args=[job.pk])
    en_client.force_login(citizen)
    assert en_client.get(url).status_code == 403
    en_client.force_login(coordinator)
    assert en_client.get(url).status_code == 404  # no summary yet


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "protected by a password"),
        (b"PK\x03\x04 broken", "damaged"),
    ],
)
def test_an_unreadable_xlsx_is_refused_on_the_upload_page(en_client, coordinator, content, message):
    """A password-protected or damaged workbook is refused with its reason; no job."""
    en_client.force_login(coordinator)
    response = en_client.post(
        reverse("registry:import-upload"),
        {"file": SimpleUploadedFile("asociatii.xlsx", content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


# --- The register's state, in the lists, the page and the API -----------------------------


def test_the_list_shows_active_organisations_unless_asked(
    en_client, states, django_assert_num_queries
):
    """Dissolved, in liquidation and struck-off organisations are not in the list of
    active ones; asked for, they are listed with their state, for the same queries."""
    # The latest change (the cache key), the count, the page, the domains of its rows,
    # the filter form's choices.
    with django_assert_num_queries(8):
        html = en_client.get(LIST_URL).content.decode()
    assert "Asociația active" in html and "Asociația dissolved" not in html

    with django_assert_num_queries(8):
        html = en_client.get(LIST_URL, {"registry_state": "all"}).content.decode()
    for state in ("active", "in_liquidation", "dissolved", "struck_off"):
        assert f"Asociația {state}" in html
    assert "Struck off" in html

    html = en_client.get(LIST_URL, {"registry_state": "dissolved"}).content.decode()
    assert "Asociația dissolved" in html and "Asociația active" not in html


def test_the_list_filters_by_public_utility(en_client, states):
    """?public_utility=true lists the organisations recognised of public utility."""
    Organisation.objects.filter(pk=states["active"].pk).update(public_utility=True)
    record("Asociația obișnuită", "99/A/2010")

    html = en_client.get(LIST_URL, {"public_utility": "true"}).content.decode()

    assert "Asociația active" in html and "Asociația obișnuită" not in html


def test_the_page_shows_what_the_register_says(en_client, states):
    """The organisation's page shows its state (and that it is not in the active lists),
    its public-utility decision and its registration year."""
    dissolved = states["dissolved"]
    dissolved.public_utility = True
    dissolved.public_utility_decision = "HG nr. 1234/2010"
    dissolved.public_utility_date = date(2010, 5, 4)
    dissolved.registration_year = 2004
    dissolved.save()

    html = en_client.get(dissolved.get_absolute_url()).content.decode()

    assert "lists this organisation as dissolved" in html
    assert "HG nr. 1234/2010" in html and "Of public utility" in html
    assert "2004" in html


def test_the_api_gives_the_state_and_filters_by_it(client, states, django_assert_num_queries):
    """The API lists the active organisations by default, all with ?registry_state=all,
    and gives each its state, registration year and public utility."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with django_assert_num_queries(8):  # change, count, page, domains; the richer profile (4)
        data = client.get(API_LIST).json()
    assert [o["registry_state"] for o in data["results"]] == ["active"]

    data = client.get(API_LIST, {"registry_state": "all"}).json()
    assert sorted(o["registry_state"] for o in data["results"]) == sorted(
        Organisation.RegistryState.values
    )
    one = data["results"][0]
    for key in (
        "registry_state_label",
        "registration_year",
        "public_utility",
        "public_utility_decision",
        "public_utility_date",
        "country",
    ):
        assert key in one
    assert "registry_name_key" not in one and "claim_proof" not in one


def test_the_schema_describes_the_new_fields(client, db):
    """The OpenAPI schema lists the new fields and filters, and says that the list leaves
    out the dissolved, in liquidation and struck-off organisations unless asked."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    listing = schema["paths"]["/api/v1/organisations/"]["get"]["description"]
    assert "left out unless `registry_state` asks for them" in listing
    properties = schema["components"]["schemas"]["Organisation"]["properties"]
    assert {"registry_state", "public_utility", "registration_year", "country"} <= set(properties)
    parameters = {p["name"] for p in schema["paths"]["/api/v1/organisations/"]["get"]["parameters"]}
    assert {"registry_state", "public_utility"} <= parameters


# --- Claiming a record without a fiscal code ------------------------------------------------


def proof(content=PDF, name="statut.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_record_without_fiscal_code_is_claimed_by_number_with_a_proof(citizen, county):
    """A citizen claims a record of the Ministry's file (no fiscal code) by its registry
    number and a document: they become its administrator, it is pending, the proof kept."""
    imported = record("Asociația Fără Cod", "1039/A/2004")

    claimed = services.organisation_claim(
        actor=citizen, registry_number="1039 / a / 2004", proof=proof()
    )

    assert claimed.pk == imported.pk
    claimed.refresh_from_db()
    assert claimed.status == "pending" and claimed.claimed_at is not None
    assert claimed.memberships.get().user == citizen
    assert claimed.claim_proof.read().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (None, "proof_required"),
        (proof(b"MZ\x90\x00 an executable", "statut.pdf"), "proof_type"),
    ],
)
def test_a_claim_by_number_needs_a_real_proof(citizen, county, upload, code):
    """Without a document, or with a file that is not a PDF, PNG or JPEG (whatever its
    name), the claim is refused and the record stays as it was."""
    imported = record("Asociația Fără Cod", "1039/A/2004")

    with pytest.raises(Exception) as raised:
        services.organisation_claim(actor=citizen, registry_number="1039/A/2004", proof=upload)

    assert raised.value.error_dict["proof"][0].code == code
    imported.refresh_from_db()
    assert imported.status == "imported" and not imported.claim_proof


def test_a_shared_registry_number_is_claimed_from_the_records_page(citizen, county):
    """Two records share a number: the claim by number alone asks to choose the record;
    from the record's page (its id), it claims that one."""
    record("Asociația Unu", "7/A/2007", registry_name_key="asociatia unu")
    second = record("Asociația Doi", "7/A/2007", registry_name_key="asociatia doi")

    with pytest.raises(Exception) as raised:
        services.organisation_claim(actor=citizen, registry_number="7/A/2007", proof=proof())
    assert raised.value.error_dict["registry_number"][0].code == "ambiguous"

    claimed = services.organisation_claim(
        actor=citizen, registry_number="7/A/2007", organisation_id=second.pk, proof=proof()
    )
    assert claimed.pk == second.pk


def test_the_claim_page_and_the_coordinators_proof(en_client, citizen, coordinator, county):
    """The record's page links to the claim by number; the claim page takes the number
    and the document; the verification queue links to the proof, which only the
    coordinators can read."""
    imported = record("Asociația Fără Cod", "1039/A/2004")
    page = en_client.get(imported.get_absolute_url()).content.decode()
    assert f"registry_number=1039/A/2004&amp;organisation={imported.pk}" in page.replace("%2F", "/")

    en_client.force_login(citizen)
    response = en_client.post(
        reverse("registry:organisation-claim"),
        {
            "registry_number": "1039/A/2004",
            "organisation": imported.pk,
            "proof": proof(),
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    proof_url = reverse("registry:organisation-claim-proof", args=[imported.pk])
    assert en_client.get(proof_url).status_code == 403

    en_client.force_login(coordinator)
    queue = en_client.get(reverse("registry:verification-queue")).content.decode()
    assert proof_url in queue
    download = en_client.get(proof_url)
    assert download.status_code == 200 and b"".join(download).startswith(b"%PDF")


def test_the_claim_page_asks_for_a_code_or_a_number(en_client, citizen):
    """Neither a fiscal code nor a registry number: the form says what to give."""
    citizen.preferred_language = "en"  # a signed-in person's language wins
    citizen.save(update_fields=["preferred_language"])
    en_client.force_login(citizen)
    response = en_client.post(reverse("registry:organisation-claim"), {"confirm": "on"})
    assert response.status_code == 200
    assert "its number in the National NGO Registry" in response.content.decode()
