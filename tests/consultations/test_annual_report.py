"""The annual report the law asks for (Law 52/2003, art. 13, and the standard reporting
form): every number checked against data built by hand; completed by the staff where
only they know, published as a page, a PDF and a CSV; the General Secretariat's view of
every institution side by side and of the national total per year."""

import csv
import datetime
import io
import re
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consultations import selectors, services
from consultations.models import (
    AnnualReportStatement,
    Channel,
    Consultation,
    Debate,
    DebateRegistration,
    DebateRequest,
    Follow,
    Recommendation,
)
from consultations.synthesis_pdf import render_synthesis_pdf
from registry.models import Organisation, RelationshipOfficial
from tests.conftest import make_user

from .conftest import make_consultation, make_recommendation

State = Consultation.State
D = datetime.date


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


def is_tagged(pdf: bytes) -> bool:
    text = pdf_text(pdf)
    return b"/StructTreeRoot" in text and b"/MarkInfo" in text


@pytest.fixture
def year_2025(institution, other_institution, organisation, citizen, civil_servant, county):
    """A year of the ministry's consultations, built by hand (see the numbers in
    test_every_number_of_the_report)."""
    other_org = Organisation.objects.create(
        name="Fundația Doi",
        legal_form=Organisation.LegalForm.FOUNDATION,
        fiscal_code="22222222",
        county=county,
        status=Organisation.Status.VERIFIED,
    )
    c1 = make_consultation(
        institution,
        state=State.ADOPTED,
        published_at=at(2025, 2, 1),
        announcement_channels=["website", "e_consultare"],
        adopted_on=D(2025, 5, 1),
        synthesis_published_at=at(2025, 4, 1),
    )
    c2 = make_consultation(
        institution,
        state=State.ADOPTED,
        published_at=at(2025, 3, 1),
        announcement_channels=["website"],
        adopted_on=D(2025, 4, 1),
        is_urgent=True,
        urgency_justification="UE",
        synthesis_published_at=at(2025, 3, 20),
    )
    c3 = make_consultation(institution, state=State.UNDER_ANALYSIS, published_at=at(2025, 6, 1))
    c4 = make_consultation(institution, state=State.CLOSED, published_at=at(2024, 12, 15))
    c5 = make_consultation(other_institution, state=State.OPEN, published_at=at(2025, 7, 1))
    make_consultation(institution, state=State.DRAFT)

    def rec(consultation, created, **extra):
        author = None if extra.get("channel", "online") != "online" else citizen
        if author is None:
            extra.setdefault("sender_name", "Ana")
            extra.setdefault("recorded_by", civil_servant)
        return make_recommendation(consultation, author, created_at=created, **extra)

    rec(c1, at(2025, 2, 5), disposition="accepted", justification="Da.")
    rec(c1, at(2025, 2, 5), disposition="partially_accepted", justification="Parțial.")
    rec(c1, at(2025, 2, 6), disposition="rejected", justification="Nu.")
    rec(c1, at(2025, 2, 7), channel=Channel.EMAIL, disposition="rejected", justification="")
    rec(c1, at(2025, 2, 8), channel=Channel.POST, disposition="accepted", justification="Da.")
    rec(c1, at(2025, 2, 8), status=Recommendation.Status.HIDDEN)
    rec(c2, at(2025, 3, 5), disposition="out_of_scope", justification="Alt act.")
    rec(c4, at(2025, 1, 10), channel=Channel.PHONE)
    rec(c4, at(2024, 12, 20))
    rec(c5, at(2025, 7, 3))
    d1 = Debate.objects.create(consultation=c1, starts_at=at(2025, 2, 20), place="Sala")
    d1.attendance_count = 30
    d1.save()
    DebateRequest.objects.create(
        consultation=c1,
        organisation=organisation,
        motivation="x",
        status=DebateRequest.Status.SCHEDULED,
        debate=d1,
        requested_on=D(2025, 2, 5),
    )
    DebateRequest.objects.create(
        consultation=c1,
        institution=other_institution,
        motivation="y",
        status=DebateRequest.Status.SCHEDULED,
        debate=d1,
        requested_on=D(2025, 2, 6),
    )
    DebateRequest.objects.create(
        consultation=c3,
        organisation=organisation,
        motivation="z",
        status=DebateRequest.Status.DECLINED,
        requested_on=D(2025, 6, 5),
    )
    d2 = Debate.objects.create(consultation=c3, starts_at=at(2025, 6, 20), place="Online")
    for n, status in enumerate(["confirmed", "confirmed", "waiting"]):
        user = citizen if n == 0 else civil_servant if n == 1 else None
        if user is None:
            user = make_user("waiting@example.org")
        DebateRegistration.objects.create(debate=d2, user=user, status=status)
    Debate.objects.create(
        consultation=c1, starts_at=timezone.now() + datetime.timedelta(days=3), place="Viitor"
    )
    Follow.objects.create(organisation=organisation, institution=institution)
    Follow.objects.create(organisation=other_org, institution=institution)
    Follow.objects.create(user=citizen, institution=institution)
    for n, removed in enumerate([None, None, timezone.now()]):
        RelationshipOfficial.objects.create(
            institution=institution,
            name=f"Oficial {n}",
            position="Consilier",
            email=f"oficial{n}@gov.example.ro",
            removed_at=removed,
        )
    AnnualReportStatement.objects.create(
        institution=institution,
        year=2025,
        court_cases=1,
        non_public_meetings=2,
        non_public_meetings_reasons="Informații clasificate.",
        draft_requests_people=4,
        draft_requests_associations=3,
        self_assessment="Bun.",
    )
    AnnualReportStatement.objects.create(institution=other_institution, year=2025, court_cases=2)
    return c1


def test_every_number_of_the_report(year_2025, institution):
    """Each item of art. 13 and of the standard form, counted by hand above."""
    report = selectors.annual_report(2025, institution)
    # art. 13
    assert report.recommendations_received == 7  # C1: 5 (not the hidden one), C2: 1, C4: 1
    assert report.recommendations_included == 3  # accepted, partially, the accepted letter
    assert report.debate_participants == 32  # 30 recorded at D1, 2 confirmed at D2
    assert report.debates_held == 2  # D1, D2 (the third is still to come)
    assert report.court_cases == 1
    assert report.non_public_meetings == 2
    assert report.statement.non_public_meetings_reasons == "Informații clasificate."
    assert report.statement.self_assessment == "Bun."
    # the standard form
    assert report.adopted == 2 and report.adopted_by_urgency == 1
    assert report.announced == 3  # C1, C2, C3 (C4 was announced in 2024)
    assert report.announced_by_channel["website"] == 2
    assert report.announced_by_channel["e_consultare"] == 1
    assert report.announced_by_channel["media"] == 0
    assert (report.draft_requests_people, report.draft_requests_associations) == (4, 3)
    assert report.associations_on_file == 2  # two organisations follow; a person does not count
    assert report.officials_designated == 2  # the removed one does not count
    assert report.received_online == 4
    assert report.received_by_channel == {
        "online": 4,
        "email": 1,
        "post": 1,
        "phone": 1,
        "debate": 0,
        "in_person": 0,
    }
    assert report.online_share == 57  # 4 of 7
    assert (report.rejected, report.rejections_justified) == (2, 1)
    assert (report.drafts_with_accepted, report.drafts_without_accepted) == (1, 1)
    assert report.debates_requested == 3
    assert report.debates_requested_by_associations == 2
    assert report.debates_requested_by_authorities == 1
    assert report.debates_held_for_associations == 1
    assert report.debates_held_for_authorities == 1
    assert report.debates_held_own_initiative == 1
    assert [c.title for c in report.consultations] == [year_2025.title] * 3
    # The year before: C4 and its recommendation of December.
    earlier = selectors.annual_report(2024, institution)
    assert (earlier.announced, earlier.recommendations_received) == (1, 1)


def test_the_national_total_sums_every_institution(year_2025, institution, other_institution):
    total = selectors.annual_report(2025)
    assert total.announced == 4
    assert total.recommendations_received == 8
    assert total.received_online == 5
    assert total.court_cases == 3
    side_by_side, totals = selectors.national_reports([2024, 2025])
    assert [i.name for i, _report in side_by_side] == sorted(
        [institution.name, other_institution.name]
    )
    assert totals[2025].recommendations_received == 8
    assert totals[2024].announced == 1


def test_the_statement_needs_reasons_for_meetings_not_public(institution, civil_servant):
    """Meetings that were not public must say why; nothing is saved otherwise."""
    with pytest.raises(ValidationError) as error:
        services.annual_statement_save(
            institution=institution, year=2025, actor=civil_servant, non_public_meetings=1
        )
    assert "non_public_meetings_reasons" in error.value.message_dict
    assert not AnnualReportStatement.objects.exists()


def test_completing_publishing_and_reading_the_report(
    client, year_2025, institution, civil_servant, other_civil_servant, citizen
):
    """The staff complete and publish it; before, only they (and coordinators) read it;
    after, anyone reads the page, the CSV and the tagged PDF."""
    url = reverse("consultations:annual-report-institution", args=[institution.pk, 2025])
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(other_civil_servant)
    assert client.get(url).status_code == 403
    statement_url = reverse("consultations:annual-statement", args=[institution.pk, 2025])
    assert client.get(statement_url).status_code == 403
    client.force_login(civil_servant)
    assert client.get(url).status_code == 200
    response = client.post(
        statement_url,
        {
            "court_cases": 5,
            "non_public_meetings": 1,
            "non_public_meetings_reasons": "Secret de serviciu.",
            "draft_requests_people": 0,
            "draft_requests_associations": 0,
            "self_assessment": "Parteneriat bun.",
        },
    )
    assert response.status_code == 302
    assert AnnualReportStatement.objects.get(institution=institution).court_cases == 5
    publish = reverse("consultations:annual-report-publish", args=[institution.pk, 2025])
    assert client.post(publish).status_code == 302
    client.logout()
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Secret de serviciu." in page.content.decode()
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(url + "report.csv", HTTP_ACCEPT_LANGUAGE="en").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    values = {row[0]: row[1] for row in rows if len(row) == 2}
    assert values["Court cases for breaches of the law"] == "5"
    assert values["Share of the recommendations received online"] == "57%"
    assert values["Recommendations received by e-mail"] == "1"
    pdf = client.get(url + "report.pdf")
    assert pdf.content.startswith(b"%PDF") and is_tagged(pdf.content)


def test_a_year_not_ended_cannot_be_published(institution, civil_servant):
    with pytest.raises(ValidationError):
        services.annual_report_publish(
            institution=institution, year=timezone.localdate().year, actor=civil_servant
        )


def test_the_general_secretariat_sees_every_report_and_the_national_total(
    client,
    year_2025,
    institution,
    other_institution,
    coordinator,
    civil_servant,
    quiet_nav,
    django_assert_max_num_queries,
):
    """Side by side for a year, the national total per year as a chart with its table;
    only coordinators; a fixed number of queries."""
    url = reverse("consultations:annual-report-national")
    client.force_login(civil_servant)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    with django_assert_max_num_queries(20):
        response = client.get(url, {"year": 2025}, HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert institution.name in content and other_institution.name in content
    assert response.context["total"].recommendations_received == 8
    assert "<canvas" in content and "National total, per year" in content
    rows = {row[0]: row[1:] for row in response.context["chart_rows"]}
    assert rows[2025] == (4, 8, 3, 2) and rows[2024] == (1, 1, 0, 0)
    matrix = {label: (total, values) for label, total, values in response.context["matrix"]}
    assert matrix["Court cases for breaches of the law"][0] == 3


def test_the_synthesis_pdf_is_tagged(institution):
    """A tagged PDF (PDF/UA-1): a structure tree and the mark that says so."""
    consultation = make_consultation(institution, state=State.SYNTHESIS_PUBLISHED)
    make_recommendation(consultation, None, channel=Channel.POST, sender_name="Ana")
    assert is_tagged(render_synthesis_pdf(consultation, "ro"))
