"""The public scoreboard of institutions and the annual decisional-transparency report
(page, CSV, PDF) for coordinators and for each institution's civil servants."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import selectors
from consultations.models import Consultation, Debate, DebateRequest, Recommendation

from .conftest import make_consultation, make_recommendation

State = Consultation.State


@pytest.fixture
def record(institution, other_institution, organisation, citizen):
    """Three consultations of `institution` in 2025, one of another institution."""

    def at(day):
        return timezone.make_aware(datetime.datetime(2025, *day, 10))

    compliant = make_consultation(
        institution,
        state=State.ADOPTED,
        published_at=at((2, 1)),
        adopted_on=datetime.date(2025, 5, 1),
        window_days=12,
        announcement_working_days=35,
        synthesis_days_late=0,
    )
    short = make_consultation(
        institution,
        state=State.ADOPTED,
        published_at=at((3, 1)),
        adopted_on=datetime.date(2025, 4, 1),
        is_urgent=True,
        urgency_justification="UE",
        window_days=3,
        announcement_working_days=5,
        synthesis_days_late=4,
    )
    make_consultation(
        institution,
        state=State.UNDER_ANALYSIS,
        published_at=at((6, 1)),
        window_days=10,
        announcement_working_days=29,
    )
    make_consultation(other_institution, state=State.OPEN, published_at=at((7, 1)))
    make_consultation(institution, state=State.DRAFT)
    for disposition in ("accepted", "partially_accepted", "rejected"):
        make_recommendation(compliant, citizen, disposition=disposition, created_at=at((2, 5)))
    make_recommendation(
        compliant, citizen, status=Recommendation.Status.HIDDEN, created_at=at((2, 5))
    )
    DebateRequest.objects.create(
        consultation=compliant,
        organisation=organisation,
        motivation="x",
        status=DebateRequest.Status.SCHEDULED,
        created_at=at((2, 3)),
    )
    debate = Debate.objects.create(consultation=compliant, starts_at=at((2, 10)), place="Sala")
    debate.registrations.create(user=citizen)
    return compliant, short


def test_scoreboard_counts(
    record, institution, other_institution, client, django_assert_num_queries, quiet_nav
):
    # one query for the table, whatever the number of institutions
    with django_assert_num_queries(1):
        response = client.get(reverse("consultations:scoreboard"))
    rows = {i.pk: i for i in response.context["institutions"]}
    assert set(rows) == {institution.pk, other_institution.pk}
    ours = rows[institution.pk]
    assert (ours.held, ours.compliant, ours.urgent) == (3, 1, 1)
    assert (ours.syntheses, ours.syntheses_on_time, ours.days_late_total) == (2, 1, 4)
    assert (ours.debates_requested, ours.debates_honoured, ours.debates_held) == (1, 1, 1)
    single = client.get(reverse("consultations:scoreboard-institution", args=[institution.pk]))
    assert single.status_code == 200 and single.context["single"].held == 3


def test_annual_report_numbers(record, institution):
    report = selectors.annual_report(2025, institution)
    assert report.announced == 3
    assert report.recommendations_received == 3
    assert report.recommendations_included == 2
    assert (report.debates_requested, report.debates_held, report.debate_participants) == (1, 1, 1)
    assert (report.adopted, report.adopted_by_urgency) == (2, 1)
    assert selectors.annual_report(2025).announced == 4
    assert selectors.annual_report(2024, institution).announced == 0


def test_annual_report_access_and_formats(
    django_assert_max_num_queries,
    quiet_nav,
    client,
    record,
    institution,
    other_institution,
    coordinator,
    civil_servant,
    citizen,
    other_civil_servant,
):
    """Coordinators for all or any institution; civil servants for their own only."""
    url = reverse("consultations:annual-report")
    csv_url = reverse("consultations:annual-report-csv")
    pdf_url = reverse("consultations:annual-report-pdf")
    assert client.get(url).status_code == 302
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(other_civil_servant)
    assert client.get(csv_url, {"year": 2025, "institution": institution.pk}).status_code == 403
    client.force_login(civil_servant)
    # session, user, roles, the institutions the form offers and the chosen one, the
    # report's grouped queries (announced, adopted, received, drafts, requests, debates,
    # associations on file, officials, statements) and its list
    with django_assert_max_num_queries(17):
        response = client.get(url, {"year": 2025, "institution": institution.pk})
    assert response.context["report"].announced == 3
    response = client.get(
        csv_url, {"year": 2025, "institution": institution.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == "2025"
    values = dict(row for row in rows[3:] if len(row) == 2)
    assert values["Recommendations received"] == "3"
    assert values["Recommendations included in the acts"] == "2"
    assert values["Public debates held"] == "1"
    assert values["Acts adopted"] == "2"
    client.force_login(coordinator)
    pdf = client.get(pdf_url, {"year": 2025})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
