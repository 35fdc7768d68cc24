"""The site's one CSV writer: no cell a spreadsheet would run as a formula; numbers stay
numbers; streamed; `;` and a byte-order mark on request. And plain text from HTML."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from conect.core.exports import CSVWriter, csv_chunks, csv_response, neutralise, plain_text


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("https://evil.example/","click")',
        "+40 722 000 000",
        "-5 apples",
        "-",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "=1",
        "-1+1",
        "+inf",
        "-1_000",
    ],
)
def test_dangerous_starts_are_neutralised(value):
    """A cell that starts with =, +, -, @, a tab or a carriage return gets a single quote
    in front, as OWASP recommends, unless it is a plain number."""
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    ["Asociația Exemplu", "a=b", "1+1", "mail@example.org", " =1", "", "'=already"],
)
def test_harmless_text_is_unchanged(value):
    """Text that does not start with a dangerous character is written as it is."""
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [-5, 3, -2.5, Decimal("-7.10"), 0])
def test_numbers_stay_numbers(value):
    """A number, negative ones included, is left a number."""
    assert neutralise(value) == value


@pytest.mark.parametrize("value", ["-5", "+5", "-2.5", "-2,5", "-1e3", "-.5"])
def test_numbers_written_as_text_stay_numbers(value):
    """A cell that is only a number (as the API's JSON may give it) is not a formula."""
    assert neutralise(value) == value


def test_other_values():
    """None is an empty cell, booleans are true/false, dates are ISO 8601."""
    assert neutralise(None) == ""
    assert neutralise(True) == "true" and neutralise(False) == "false"
    assert neutralise(datetime.date(2026, 3, 1)) == "2026-03-01"
    assert (
        neutralise(datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC))
        == "2026-03-01T09:30:00+00:00"
    )


def test_writer_neutralises_every_cell_and_keeps_numbers():
    """Every cell of every row, the header included, goes through the rule; a negative
    number is read back as a number."""
    out = io.StringIO()
    writer = CSVWriter(out)
    writer.writerow(["=name", "count"])
    writer.writerows([["-5 apples", -5], ["@x", 2.5]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["'=name", "count"], ["'-5 apples", "-5"], ["'@x", "2.5"]]
    assert out.getvalue().endswith("\r\n")


def test_delimiter_and_bom():
    """`;` for spreadsheets set to Romanian, and a byte-order mark so that they read the
    diacritics."""
    out = io.StringIO()
    writer = CSVWriter(out, delimiter=";", bom=True)
    writer.writerow(["Asociația; Exemplu", "+40 722"])
    assert out.getvalue() == '\ufeff"Asociația; Exemplu";\'+40 722\r\n'


def test_chunks_are_streamed():
    """The rows are read as the chunks are sent, a chunk every `rows_per_chunk` rows."""
    read = []

    def rows():
        for index in range(5):
            read.append(index)
            yield [index, f"={index}"]

    chunks = csv_chunks(rows(), header=["n", "f"], rows_per_chunk=2)
    first = next(chunks)
    assert read == [0, 1]
    assert first == b"n,f\r\n0,'=0\r\n1,'=1\r\n"
    rest = list(chunks)
    assert len(rest) == 2
    assert b"".join([first, *rest]).decode().count("\r\n") == 6


def test_chunks_with_bom_and_no_rows():
    """An empty export is the header alone (with its byte-order mark)."""
    data = b"".join(csv_chunks([], header=["a", "b"], delimiter=";", bom=True))
    assert data == "\ufeffa;b\r\n".encode()


def test_csv_response():
    """A streamed download with its file name, UTF-8 with a byte-order mark."""
    response = csv_response(iter([["=1", 1]]), filename="export.csv", header=["a", "b"])
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="export.csv"'
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content == "\ufeffa,b\r\n'=1,1\r\n"


# --- Plain text ---------------------------------------------------------------------


def test_plain_text_decodes_entities():
    """The sanitised HTML of a recommendation becomes the text its author typed: no
    `&amp;` or `&lt;` in a plain-text field or a cell."""
    stored = "<p>Art. 5 &amp; 6: x &lt; 7 &gt; 3 &quot;citat&quot; l&#39;art</p>"
    assert plain_text(stored) == 'Art. 5 & 6: x < 7 > 3 "citat" l\'art'


def test_plain_text_keeps_paragraphs_apart():
    """Paragraphs, list items and line breaks do not run into each other."""
    stored = "<p>Unu</p><p>Doi<br>Trei</p><ul><li>a</li><li>b</li></ul>"
    assert plain_text(stored) == "Unu Doi Trei a b"
    assert plain_text(stored, one_line=False) == "Unu\nDoi\nTrei\na\nb"


def test_plain_text_of_escaped_markup_is_text():
    """Markup that the author typed as text (stored escaped) comes back as that text;
    it is never taken for a tag and removed."""
    assert plain_text("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>") == "<script>alert(1)</script>"
    assert plain_text("<p><a href='https://x.example/'>link</a> <em>bine</em></p>") == "link bine"


def test_plain_text_of_nothing():
    assert plain_text(None) == ""
    assert plain_text("") == ""


# --- Where the site writes CSV --------------------------------------------------------

HOSTILE_CELL = '=HYPERLINK("https://evil.example/","click")'


def _rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def synthesis_published(institution, citizen):
    from consultations.models import Consultation

    from ..consultations.conftest import make_consultation, make_recommendation

    consultation = make_consultation(
        institution, state=Consultation.State.SYNTHESIS_PUBLISHED, title=HOSTILE_CELL
    )
    recommendation = make_recommendation(
        consultation,
        citizen,
        text="<p>-Art. 5 &amp; 6: x &lt; 7</p><p>@doi</p>",
        disposition="accepted",
        justification=HOSTILE_CELL,
    )
    return consultation, recommendation


@pytest.mark.django_db
def test_api_plain_text_has_no_entities(client, synthesis_published):
    """The API's plain-text field of a recommendation is plain: `&`, not `&amp;`."""
    consultation, _recommendation = synthesis_published
    response = client.get(
        "/api/v1/recommendations/",
        {"consultation": consultation.pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.json()["results"][0]["text_plain"] == "-Art. 5 & 6: x < 7 @doi"


@pytest.mark.django_db
def test_synthesis_csv_is_plain_and_has_no_formulas(client, synthesis_published):
    """The public synthesis CSV: the recommendation as plain text, no formula."""
    from django.urls import reverse

    consultation, _recommendation = synthesis_published
    response = client.get(
        reverse("consultations:synthesis-csv", args=[consultation.pk]),
        HTTP_ACCEPT_LANGUAGE="en",  # the Romanian file is `;`-separated
    )
    row = _rows(response)[1]
    assert row[6] == "'-Art. 5 & 6: x < 7 @doi"
    assert row[8] == "'" + HOSTILE_CELL


@pytest.mark.django_db
def test_annual_report_csv_has_no_formulas(client, coordinator, synthesis_published):
    """The annual report CSV: a consultation's title cannot be a formula."""
    from django.urls import reverse
    from django.utils import timezone

    consultation, _recommendation = synthesis_published
    client.force_login(coordinator)
    year = timezone.localdate(consultation.published_at).year
    response = client.get(reverse("consultations:annual-report-csv"), {"year": year})
    assert response.status_code == 200
    titles = [row[0] for row in _rows(response) if row and "HYPERLINK" in row[0]]
    assert titles == ["'" + HOSTILE_CELL]


def test_import_error_report_has_no_formulas():
    """The import's error report repeats what the file had: never as a formula."""
    from registry.importer.report import ErrorReport, RowError

    stream = io.StringIO()
    ErrorReport(stream).add(RowError(row=2, column="Denumire", value=HOSTILE_CELL, reason="x"))
    rows = list(csv.reader(io.StringIO(stream.getvalue().lstrip("\ufeff")), delimiter=";"))
    assert rows[1] == ["2", "Denumire", "'" + HOSTILE_CELL, "x"]
