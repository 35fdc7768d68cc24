"""The rows an import sets aside for review (a court ruling's text as the name, issue 18):
kept once, listed for the coordinators with the organisations that share their number,
dismissed or added under the name the ruling gives, and left reviewed by later imports."""

import pytest
from django.urls import reverse

from registry.models import Organisation, SetAsideRow
from tests.registry.test_import_views import ROLES, _login, login
from tests.registry.test_import_xlsx import RULING, quirks, row, run, write_xlsx

FILE_NAME = "RNPJFSP_asociatii_2026-01-12.xlsx"
LIST = "registry:import-set-aside"


@pytest.fixture
def en_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def imported(db, tmp_path, county):
    """The quirks' file imported once: its court ruling (1040/A/2005) set aside, and an
    organisation of the file that shares its number."""
    rows = [*quirks(), row("Asociaţia Ştiinţa", "1040/A/2005")]
    path = write_xlsx(tmp_path / FILE_NAME, rows)
    run(path)
    return path


def _review(client, set_aside, action, **data):
    return client.post(
        reverse("registry:import-set-aside-review", args=[set_aside.pk, action]), data
    )


def test_an_import_keeps_the_row_once_and_a_dry_run_keeps_none(imported, tmp_path):
    """The ruling is kept for review with its number, row and legal form; the same file
    imported again keeps no second copy; a dry run of another file keeps nothing."""
    kept = SetAsideRow.objects.get()
    assert (kept.registry_number, kept.row, kept.legal_form) == ("1040/A/2005", 5, "association")
    assert kept.text == RULING.replace("ţ", "ț") and kept.status == "pending"

    run(imported)
    other = write_xlsx(tmp_path / "fundatii.xlsx", [row(RULING + " bis", "7/B/2010")])
    run(other, dry_run=True)

    assert SetAsideRow.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_review_the_rows(en_client, request, imported, role):
    """Anonymous visitors are sent to sign in; only coordinators (and superusers) see the
    rows and act on them; anyone else gets 403 and the row stays as it was."""
    _login(en_client, request, role)
    kept = SetAsideRow.objects.get()

    page = en_client.get(reverse(LIST))
    dismissed = _review(en_client, kept, "dismiss")

    kept.refresh_from_db()
    if role == "anonymous":
        assert page.status_code == dismissed.status_code == 302
        assert page.url.startswith(reverse("account_login"))
        assert kept.status == "pending"
    elif role in ("coordinator", "superuser"):
        assert page.status_code == 200
        assert dismissed.status_code == 302 and kept.status == "dismissed"
    else:
        assert page.status_code == dismissed.status_code == 403
        assert kept.status == "pending"


def test_the_list_shows_the_ruling_and_the_organisations_with_its_number(
    en_client, imported, coordinator, tmp_path, django_assert_num_queries
):
    """Each row shows the ruling's text, its number and row, and the organisations of the
    registry that have its number; the page's query count does not grow with its rows."""
    login(en_client, coordinator)
    en_client.get(reverse(LIST))
    with django_assert_num_queries(8):
        page = en_client.get(reverse(LIST))
    html = page.content.decode()
    assert "Sentința civilă nr. 1234/2005" in html and "Asociația Știința" in html
    assert "Registry number 1040/A/2005 (row 5)" in html

    more = [row(f"{RULING} nr. {n}", f"{2000 + n}/A/2011") for n in range(5)]
    run(write_xlsx(tmp_path / "RNPJFSP_asociatii_2026-01-19.xlsx", more))
    with django_assert_num_queries(8):
        page = en_client.get(reverse(LIST))
    assert len(page.context["rows"]) == 6


def test_a_dismissed_row_stays_dismissed_at_the_next_import(en_client, imported, coordinator):
    """Dismissed, the row leaves the list and the next import of the file does not bring
    it back; nothing is created."""
    login(en_client, coordinator)
    organisations = Organisation.objects.count()

    response = _review(en_client, SetAsideRow.objects.get(), "dismiss")
    run(imported)

    assert response.status_code == 302
    assert SetAsideRow.objects.get().status == "dismissed"
    assert list(en_client.get(reverse(LIST)).context["rows"]) == []
    assert Organisation.objects.count() == organisations


def test_a_row_added_under_a_name_is_in_the_registry_and_in_the_next_file(
    en_client, imported, coordinator
):
    """Added under the name the ruling gives, the organisation is an imported record with
    the row's number, year and legal form, found by the search; the next import of the
    file does not list it as no longer in the file, nor set the row aside again."""
    login(en_client, coordinator)
    kept = SetAsideRow.objects.get()

    response = _review(en_client, kept, "import", name="  Asociaţia   Prietenii Cărţii ")

    assert response.status_code == 302
    added = Organisation.objects.get(name="Asociația Prietenii Cărții")
    assert (added.status, added.legal_form) == ("imported", "association")
    assert (added.registry_number, added.registration_year) == ("1040/A/2005", 2005)
    kept.refresh_from_db()
    assert (kept.status, kept.organisation, kept.decided_by) == ("imported", added, coordinator)
    listed = en_client.get(reverse("registry:organisation-list"), {"q": "prietenii cartii"})
    assert "Asociația Prietenii Cărții" in listed.content.decode()

    stats, _errors, _summary = run(imported)

    assert stats.missing == 0 and stats.created == 0
    assert SetAsideRow.objects.filter(status="pending").count() == 0


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Write the organisation's name"),
        (RULING, "still the text of a ruling"),
        ("A" * 301, "longer than"),
    ],
)
def test_a_bad_name_is_refused_and_changes_nothing(en_client, imported, coordinator, name, message):
    """A missing name, a ruling's text or a name too long is refused with a message; the
    row stays to review and nothing is created."""
    login(en_client, coordinator)
    organisations = Organisation.objects.count()

    response = _review(en_client, SetAsideRow.objects.get(), "import", name=name)

    assert response.status_code == 302
    shown = en_client.get(response.url).content.decode()
    assert message in shown.replace("&#x27;", "'")
    assert SetAsideRow.objects.get().status == "pending"
    assert Organisation.objects.count() == organisations


def test_a_row_reviewed_meanwhile_is_not_reviewed_twice(en_client, imported, coordinator):
    """A second coordinator acting on a row already dismissed is told so; nothing is
    created."""
    login(en_client, coordinator)
    kept = SetAsideRow.objects.get()
    _review(en_client, kept, "dismiss")
    organisations = Organisation.objects.count()

    response = _review(en_client, kept, "import", name="Asociația Nouă")

    assert "already reviewed" in en_client.get(response.url).content.decode()
    assert Organisation.objects.count() == organisations
