"""Results: counts and percentages per question, filters, the small-group hiding of an
anonymous questionnaire, the written answers and their search, the CSV and XLSX exports
(streamed), the PDF report and the API."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import County, Organisation
from surveys import services
from surveys.models import Response, Survey

from .conftest import K, add_question, make_survey, open_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(author, county):
    """A public questionnaire of a yes/no, a multiple choice, a scale, a matrix, a ranking,
    a number and a text, with 3 answers in Cluj and 2 elsewhere."""
    survey = make_survey(author)
    yes_no = add_question(survey, author, K.YES_NO, "Consultați?")
    multiple = add_question(
        survey, author, K.MULTIPLE, "Cum?", choices=["Online", "Ședințe"], allow_other=True
    )
    scale = add_question(survey, author, K.SCALE, "Cât de util?")
    matrix = add_question(
        survey, author, K.MATRIX_SINGLE, "Matrice", choices=["Da", "Nu"], rows=["R1", "R2"]
    )
    ranking = add_question(survey, author, K.RANKING, "Ordine", choices=["X", "Y"])
    number = add_question(survey, author, K.NUMBER, "Câți?")
    text = add_question(survey, author, K.LONG_TEXT, "Comentarii")
    open_survey(survey, author)
    online, meetings = (c["key"] for c in multiple.choices)
    da, nu = (c["key"] for c in matrix.choices)
    r1, r2 = (r["key"] for r in matrix.rows)
    x, y = (c["key"] for c in ranking.choices)
    other_county = County.objects.exclude(pk=county.pk).first()
    rows = [
        ("yes", [online], 5, {r1: da, r2: nu}, [x, y], 10, "Foarte bine", county),
        ("yes", [online, meetings], 4, {r1: da}, [x, y], 20, "Bine", county),
        ("no", ["other"], 1, {r1: nu}, [y, x], 30, "", county),
        ("yes", [meetings], 3, {}, [x, y], None, "Rău", other_county),
        ("no", [], 2, {}, [], None, "", other_county),
    ]
    for answer_yes, chosen, points, cells, order, count, comment, where in rows:
        answers = {yes_no.key: answer_yes, scale.key: points}
        if chosen:
            answers[multiple.key] = chosen
        if "other" in chosen:
            answers[f"{multiple.key}_other"] = "Prin poștă"
        if cells:
            answers[matrix.key] = cells
        if order:
            answers[ranking.key] = order
        if count is not None:
            answers[number.key] = count
        if comment:
            answers[text.key] = comment
        Response.objects.create(survey=survey, status="submitted", answers=answers, county=where)
    Response.objects.create(survey=survey, status="draft", answers={yes_no.key: "no"})
    return survey, {
        "yes_no": yes_no,
        "multiple": multiple,
        "scale": scale,
        "matrix": matrix,
        "ranking": ranking,
        "number": number,
        "text": text,
    }


def item_of(result, question):
    return next(
        i for i in result["items"] if not i.get("section") and i["question"].pk == question.pk
    )


def test_counts_and_percentages(answered):
    """Each value's count and percentage among those who answered the question; drafts
    are not counted."""
    from surveys import selectors

    survey, q = answered
    result = selectors.results(survey, selectors.questions_of(survey))
    assert result["total"] == 5
    yes_no = item_of(result, q["yes_no"])
    assert [(r["label"], r["count"], r["percent"]) for r in yes_no["rows"]] == [
        ("Yes", 3, 60.0),
        ("No", 2, 40.0),
    ]
    multiple = item_of(result, q["multiple"])
    assert multiple["answered"] == 4
    assert [(r["label"], r["count"]) for r in multiple["rows"]] == [
        ("Online-en", 2),
        ("Ședințe-en", 2),
        ("Other", 1),
    ]
    scale = item_of(result, q["scale"])
    assert [r["count"] for r in scale["rows"]] == [1, 1, 1, 1, 1]
    matrix = item_of(result, q["matrix"])
    assert [(r["label"], r["cells"]) for r in matrix["matrix"]] == [
        ("R1-en", [2, 1]),
        ("R2-en", [0, 1]),
    ]
    ranking = item_of(result, q["ranking"])
    assert [(r["label"], r["average"]) for r in ranking["ranks"]] == [
        ("X-en", 1.25),
        ("Y-en", 1.75),
    ]
    number = item_of(result, q["number"])
    assert number["stats"] == {"average": 20.0, "min": 10.0, "max": 30.0}


def test_filter_by_county(answered, county):
    from surveys import selectors

    survey, q = answered
    result = selectors.results(survey, selectors.questions_of(survey), {"county": county})
    assert result["total"] == 3 and not result["hidden"]
    assert [r["count"] for r in item_of(result, q["yes_no"])["rows"]] == [2, 1]


def test_anonymous_breakdown_hides_small_groups(answered, county):
    """In an anonymous questionnaire, a filter that leaves fewer than 5 answers shows no
    number, and the table by county says "fewer than 5"; a named one shows them."""
    from surveys import selectors

    survey, q = answered
    Survey.objects.filter(pk=survey.pk).update(is_anonymous=True)
    survey.refresh_from_db()
    result = selectors.results(survey, selectors.questions_of(survey), {"county": county})
    assert result["hidden"] and item_of(result, q["yes_no"])["answered"] == 0
    assert all(r["count"] == 0 for r in item_of(result, q["yes_no"])["rows"])
    assert all(row["hidden"] for row in selectors.breakdown(survey))
    assert not selectors.results(survey, selectors.questions_of(survey))["hidden"]


def test_results_page_has_chart_and_table(client, author, answered, django_assert_num_queries):
    """The page has a chart for each counted question with its table, and Chart.js from
    our own static files; its queries do not depend on the number of questions."""
    survey, q = answered
    client.force_login(author)
    url = reverse("surveys:results", args=[survey.pk])
    client.get(url)
    with django_assert_num_queries(11):
        page = client.get(url).content.decode()
    assert f'data-chart="{q["yes_no"].key}"' in page
    assert '<td class="text-end">60.0%</td>' in page
    assert "vendor/chart.js/chart.umd.js" in page and "surveys-results.js" in page
    assert 'id="survey-charts"' in page


def test_results_are_recomputed_after_a_submission(
    author, answered, citizen, django_capture_on_commit_callbacks
):
    """The cached numbers change once a new answer is submitted (and committed)."""
    from surveys import selectors

    survey, q = answered
    assert selectors.results(survey, selectors.questions_of(survey))["total"] == 5
    Survey.objects.filter(pk=survey.pk).update(audience="signed_in")
    survey.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.response_save(
            survey=survey, actor=citizen, answers={q["yes_no"].key: "yes"}, submit=True
        )
    assert selectors.results(survey, selectors.questions_of(survey))["total"] == 6


def test_free_answers_search(client, author, answered):
    """The written answers are listed and searched; "other" texts are among them."""
    survey, q = answered
    client.force_login(author)
    url = reverse("surveys:free-answers", args=[survey.pk, q["text"].pk])
    page = client.get(url).content.decode()
    assert "Foarte bine" in page and "Rău" in page
    page = client.get(url, {"q": "foarte"}).content.decode()
    assert "Foarte bine" in page and "Rău" not in page
    other = client.get(
        reverse("surveys:free-answers", args=[survey.pk, q["multiple"].pk])
    ).content.decode()
    assert "Prin poștă" in other


def _body(response):
    return b"".join(response.streaming_content)


def test_csv_export_streams_every_answer(client, author, answered):
    """The CSV is streamed, one row per submitted answer, with the labels of the choices
    and a neutralised formula."""
    survey, q = answered
    Response.objects.filter(survey=survey).first()
    r = Response.objects.filter(survey=survey, status="submitted").order_by("pk").last()
    r.answers[q["text"].key] = "=HYPERLINK(1)"
    r.save()
    client.force_login(author)
    response = client.get(reverse("surveys:export-csv", args=[survey.pk]))
    assert response.streaming
    text = _body(response).decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert len(lines) == 6
    assert "Online-en; Ședințe-en" in text
    assert "'=HYPERLINK(1)" in text
    assert "Other: Prin poștă" in text


def test_xlsx_export(client, author, answered):
    """The XLSX has a header and one row per submitted answer."""
    from openpyxl import load_workbook

    survey, _q = answered
    client.force_login(author)
    response = client.get(reverse("surveys:export-xlsx", args=[survey.pk]))
    assert response.streaming and response["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(_body(response)), read_only=True).active
    rows = list(sheet.values)
    assert len(rows) == 6
    assert "Consultați? (en)" in rows[0]


def test_anonymous_export_has_no_identity_columns(client, author, answered):
    survey, _q = answered
    Survey.objects.filter(pk=survey.pk).update(is_anonymous=True)
    client.force_login(author)
    header = (
        _body(client.get(reverse("surveys:export-csv", args=[survey.pk])))
        .decode("utf-8-sig")
        .split("\r\n")[0]
    )
    assert "Organisation" not in header and "Submitted by" not in header


def test_roster_export_names_the_member(client, author, organisation, ngo_admin):
    survey = make_survey(author, audience=Survey.Audience.ROSTER)
    q = add_question(survey, author, K.YES_NO)
    services.roster_add(survey=survey, actor=author, organisations=[organisation.pk])
    open_survey(survey, author)
    services.response_save(
        survey=survey,
        actor=ngo_admin,
        answers={q.key: "yes"},
        submit=True,
        invitation=survey.invitations.get(),
    )
    client.force_login(author)
    text = _body(client.get(reverse("surveys:export-csv", args=[survey.pk]))).decode("utf-8-sig")
    assert organisation.name in text and ngo_admin.name in text


def test_pdf_report(client, author, answered):
    """The results as a PDF."""
    survey, _q = answered
    client.force_login(author)
    response = client.get(reverse("surveys:results-pdf", args=[survey.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_api_lists_only_published_results(client, author, answered, django_assert_num_queries):
    """The API lists a questionnaire once its results are published, with its numbers."""
    survey, q = answered
    assert client.get("/api/v1/surveys/").json()["count"] == 0
    services.survey_set_results_public(survey=survey, actor=author, public=True)
    with django_assert_num_queries(2):
        listing = client.get("/api/v1/surveys/").json()
    assert [s["id"] for s in listing["results"]] == [survey.pk]
    # the questionnaire, its questions, then the numbers (computed once, then cached)
    with django_assert_num_queries(10):
        detail = client.get(f"/api/v1/surveys/{survey.pk}/").json()
    yes_no = next(x for x in detail["results"]["questions"] if x["id"] == q["yes_no"].pk)
    assert [v["count"] for v in yes_no["values"]] == [3, 2]
    assert detail["results"]["total"] == 5


def test_api_schema_names_the_endpoint(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert b"/api/v1/surveys/" in schema.content


def test_organisation_fixture(organisation):
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_filters_by_region_kind_of_institution_and_domain(
    client, author, institution, organisation, county
):
    """The results page's form filters the answers by development region, by kind of
    institution and by domain of the organisation; an unknown value filters nothing and
    says so."""
    from registry.models import Domain, Institution

    domain = Domain.objects.filter(is_active=True).first()
    organisation.domains.add(domain)
    other_county = County.objects.exclude(region=county.region).first()
    prefecture = Institution.objects.create(
        name="Prefectura Exemplu",
        kind=Institution.Kind.PREFECTURE,
        level=Institution.Level.COUNTY,
        county=other_county,
    )
    survey = make_survey(author)
    question = add_question(survey, author, K.YES_NO, "Consultați?")
    open_survey(survey, author)
    for answer, who, where in (
        ("yes", {"institution": institution}, county),
        ("no", {"institution": prefecture}, other_county),
        ("yes", {"organisation": organisation}, county),
    ):
        Response.objects.create(
            survey=survey, status="submitted", answers={question.key: answer}, county=where, **who
        )
    client.force_login(author)
    url = reverse("surveys:results", args=[survey.pk])

    def counts(**query):
        response = client.get(url, query)
        item = item_of(response.context["result"], question)
        return response, [r["count"] for r in item["rows"]]

    assert counts()[1] == [2, 1]
    assert counts(region=county.region.code)[1] == [2, 0]
    assert counts(region=other_county.region.code)[1] == [0, 1]
    assert counts(institution_kind="prefecture")[1] == [0, 1]
    assert counts(institution_kind="ministry")[1] == [1, 0]
    assert counts(domain=domain.slug)[1] == [1, 0]
    response, numbers = counts(domain="no-such-domain")
    assert numbers == [2, 1]
    assert response.context["form"].errors["domain"]


@pytest.mark.parametrize("extra", [0, 30])
def test_free_answers_page_queries(client, author, answered, django_assert_num_queries, extra):
    """The page of written answers costs the same queries for 3 or 33 answers."""
    survey, q = answered
    for i in range(extra):
        Response.objects.create(
            survey=survey, status="submitted", answers={q["text"].key: f"Răspuns {i}"}
        )
    client.force_login(author)
    url = reverse("surveys:free-answers", args=[survey.pk, q["text"].pk])
    client.get(url)
    # session, user, second factor, survey (rule, view), question, count, page, and the
    # navigation's roles (verified address, institution staff)
    with django_assert_num_queries(10):
        page = client.get(url, {"q": "r"}).content.decode()
    assert "Foarte bine" in page


@pytest.mark.parametrize("extra", [0, 40])
def test_exports_and_report_queries(client, author, answered, extra):
    """The CSV, the XLSX and the PDF report cost the same queries for 5 or 45 answers:
    the exports read the answers in one pass (chunks of a server-side cursor)."""
    survey, q = answered
    for i in range(extra):
        Response.objects.create(
            survey=survey, status="submitted", answers={q["yes_no"].key: "yes", q["text"].key: i}
        )
    client.force_login(author)
    counts = {}
    for name in ("export-csv", "export-xlsx", "results-pdf"):
        url = reverse(f"surveys:{name}", args=[survey.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            body = _body(response) if response.streaming else response.content
        counts[name] = len(captured)
        assert body
    assert counts == EXPORT_QUERIES


# session, user, second factor, survey (rule, view), questions, then the answers in one
# query (the exports); the report's numbers come from the cache filled by the first call
EXPORT_QUERIES = {"export-csv": 7, "export-xlsx": 7, "results-pdf": 6}
