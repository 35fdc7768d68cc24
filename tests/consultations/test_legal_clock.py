"""The legal clock as Law 52/2003 and its norms (HG 831/2022) count it: the announcement
comes at least 30 working days before the draft is submitted for endorsement (avizare),
not before its adoption. Every date below was counted by hand on a calendar."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from consultations import dates, services
from consultations.models import Consultation

from .conftest import make_consultation

D = datetime.date
State = Consultation.State


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2024, 5, 3), False),  # Orthodox Good Friday 2024
        (D(2024, 5, 6), False),  # Orthodox Easter Monday 2024
        (D(2024, 5, 1), False),  # Labour Day
        (D(2024, 6, 24), False),  # Orthodox Pentecost Monday 2024
        (D(2024, 4, 29), True),  # the Monday before: an ordinary working day
        (D(2023, 1, 6), True),  # before 2024, Epiphany was a working day
        (D(2025, 1, 6), False),  # Epiphany, a public holiday from 2024
        (D(2025, 1, 7), False),  # St John the Baptist, a public holiday from 2024
        (D(2026, 1, 6), False),
        (D(2026, 1, 7), False),
    ],
)
def test_holidays_counted_by_hand(day, working):
    """Orthodox Easter and Pentecost move every year; 6 and 7 January are public
    holidays from 2024 on, working days before."""
    assert dates.is_working_day(day) is working


def test_thirty_working_days_over_orthodox_easter_2024():
    """Announced on Monday 15 April 2024: 1 May, Good Friday (3 May) and Easter Monday
    (6 May) are skipped, so the 30th working day is Thursday 30 May 2024."""
    assert dates.add_working_days(D(2024, 4, 15), 30) == D(2024, 5, 30)
    assert dates.working_days_between(D(2024, 4, 15), D(2024, 5, 29)) == 29


def test_six_and_seven_january_from_2024():
    """From Wednesday 31 December 2025 to Friday 9 January 2026 there are 3 working days
    (5, 8 and 9 January); from Friday 30 December 2022 to Tuesday 10 January 2023, six
    (3, 4, 5, 6, 9 and 10 January: 6 January was then a working day)."""
    assert dates.working_days_between(D(2025, 12, 31), D(2026, 1, 9)) == 3
    assert dates.working_days_between(D(2022, 12, 30), D(2023, 1, 10)) == 6


def test_a_declared_extra_day_off_moves_the_deadline(settings):
    """Announced on Monday 14 April 2025, the 30th working day is Thursday 29 May 2025;
    if the Government declares Friday 2 May a day off, it is Friday 30 May."""
    assert dates.earliest_adoption(D(2025, 4, 14)) == D(2025, 5, 29)
    settings.CONSULTATION_EXTRA_NON_WORKING_DAYS = ["2025-05-02"]
    assert dates.earliest_adoption(D(2025, 4, 14)) == D(2025, 5, 30)


def _check(**kwargs):
    values = {
        "opens_on": D(2025, 4, 14),
        "closes_on": D(2025, 4, 28),
        "planned_adoption_on": D(2025, 6, 30),
    }
    values.update(kwargs)
    with translation.override("en"):
        return services.check_dates(**values)


def test_the_clock_checks_the_endorsement_date_not_the_adoption():
    """With an endorsement date, the 30 working days are counted to it: 28 May is one
    day short, 29 May is enough, and then the adoption may come the same day."""
    errors = _check(planned_endorsement_on=D(2025, 5, 28))
    assert list(errors) == ["planned_endorsement_on"]
    assert "29 May 2025" in errors["planned_endorsement_on"][0]
    assert "endorsement" in errors["planned_endorsement_on"][0]
    assert _check(planned_endorsement_on=D(2025, 5, 29), planned_adoption_on=D(2025, 5, 29)) == {}


def test_without_an_endorsement_date_the_adoption_is_checked():
    errors = _check(planned_adoption_on=D(2025, 5, 28))
    assert list(errors) == ["planned_adoption_on"]
    assert _check(planned_adoption_on=D(2025, 5, 29)) == {}


def test_endorsement_comes_after_the_window_and_before_the_adoption():
    errors = _check(
        planned_endorsement_on=D(2025, 4, 28),
        planned_adoption_on=D(2025, 4, 20),
        is_urgent=True,
        urgency_justification="Termen UE.",
    )
    assert "planned_endorsement_on" in errors and "planned_adoption_on" in errors


def test_publishing_counts_the_working_days_to_the_endorsement(institution, civil_servant):
    """The working days frozen at publication (what the scoreboard counts) run to the
    planned endorsement when there is one."""
    today = dates.local_today()
    endorsement = dates.add_working_days(today, 31)
    consultation = make_consultation(
        institution,
        state=State.DRAFT,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=12),
        planned_endorsement_on=endorsement,
        planned_adoption_on=endorsement + datetime.timedelta(days=60),
    )
    services.consultation_transition(consultation=consultation, actor=civil_servant, name="publish")
    consultation.refresh_from_db()
    assert consultation.state == State.OPEN
    assert consultation.announcement_working_days == 31


def test_publishing_is_refused_when_the_endorsement_is_too_early(institution, civil_servant):
    today = dates.local_today()
    consultation = make_consultation(
        institution,
        state=State.DRAFT,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=12),
        planned_endorsement_on=dates.add_working_days(today, 29),
    )
    with pytest.raises(ValidationError):
        services.consultation_transition(
            consultation=consultation, actor=civil_servant, name="publish"
        )
    consultation.refresh_from_db()
    assert consultation.state == State.DRAFT


def test_the_form_records_the_endorsement_and_the_channels(client, institution, civil_servant):
    """A civil servant enters the planned endorsement and where else the draft is
    announced; a date too early is refused with a message, and nothing is saved."""
    client.force_login(civil_servant)
    today = dates.local_today()
    data = {
        "institution": institution.pk,
        "title": "Proiect de ordin",
        "summary": "Rezumat.",
        "kind": "ministerial_order",
        "is_national": "on",
        "opens_on": (today + datetime.timedelta(days=1)).isoformat(),
        "closes_on": (today + datetime.timedelta(days=15)).isoformat(),
        "planned_endorsement_on": (today + datetime.timedelta(days=20)).isoformat(),
        "planned_adoption_on": (today + datetime.timedelta(days=90)).isoformat(),
        "announcement_channels": ["website", "e_consultare"],
        "moderation": "post",
    }
    url = reverse("consultations:create")
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "submitted for endorsement" in response.content.decode()
    assert not Consultation.objects.exists()
    data["planned_endorsement_on"] = dates.add_working_days(
        today + datetime.timedelta(days=1), 30
    ).isoformat()
    assert client.post(url, data).status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.announcement_channels == ["e_consultare", "website"]
    assert consultation.planned_endorsement_on.isoformat() == data["planned_endorsement_on"]


def test_the_synthesis_deadline_names_its_source(client, consultation, settings):
    """The page says how many days the synthesis is due after the window and whether the
    deadline comes from the law or from the institution's own rule."""
    settings.CONSULTATION_SYNTHESIS_DUE_SOURCE = "law"
    settings.CONSULTATION_SYNTHESIS_DUE_REFERENCE = "Legea 52/2003"
    page = client.get(consultation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    content = page.content.decode()
    assert "10 days after the last day for recommendations" in content
    assert "Source of this deadline: set by law" in content and "Legea 52/2003" in content
    settings.CONSULTATION_SYNTHESIS_DUE_SOURCE = "institution"
    board = client.get(reverse("consultations:scoreboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert "the institution&#x27;s own rule" in board.content.decode()


def test_the_api_gives_the_endorsement_date_and_the_channels(client, institution):
    consultation = make_consultation(
        institution,
        planned_endorsement_on=D(2030, 1, 15),
        announcement_channels=["website", "media"],
    )
    data = client.get(f"/api/v1/consultations/{consultation.pk}/").json()
    assert data["planned_endorsement_on"] == "2030-01-15"
    assert data["announcement_channels"] == ["website", "media"]
