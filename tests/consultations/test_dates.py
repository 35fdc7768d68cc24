"""The legal calendar: 30 working days (Romanian public holidays excluded) between the
announcement and the adoption, and a window of at least 10 calendar days."""

import datetime

import pytest
from django.utils import translation

from consultations import dates
from consultations.services import check_dates

D = datetime.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2024, 12, 24), True),  # Christmas Eve is a working day
        (D(2024, 12, 25), False),  # Christmas
        (D(2024, 12, 26), False),  # second day of Christmas
        (D(2025, 12, 1), False),  # National Day (a Monday)
        (D(2025, 4, 18), False),  # Orthodox Good Friday
        (D(2025, 4, 21), False),  # Orthodox Easter Monday
        (D(2025, 6, 9), False),  # Orthodox Pentecost Monday
        (D(2025, 1, 24), False),  # Union of the Principalities
        (D(2025, 1, 6), False),  # Epiphany
        (D(2025, 3, 8), False),  # a Saturday
        (D(2025, 3, 10), True),  # an ordinary Monday
    ],
)
def test_working_days_follow_romanian_public_holidays(day, working):
    """Weekends and Romania's public holidays, Orthodox Easter included, are not working days."""
    assert dates.is_working_day(day) is working


def test_thirty_working_days_over_christmas_and_new_year():
    """Announced on Friday 20 December 2024, a draft can be adopted on 11 February 2025 at
    the earliest: Christmas, New Year, Epiphany, St John and 24 January are skipped."""
    assert dates.earliest_adoption(D(2024, 12, 20)) == D(2025, 2, 11)
    assert dates.working_days_between(D(2024, 12, 20), D(2025, 2, 11)) == 30
    assert dates.working_days_between(D(2024, 12, 20), D(2025, 2, 10)) == 29


def test_thirty_working_days_over_orthodox_easter_and_may_day():
    """Announced on 10 April 2025, the adoption can come on 27 May 2025 at the earliest
    (Good Friday, Easter Monday and 1 May skipped)."""
    assert dates.earliest_adoption(D(2025, 4, 10)) == D(2025, 5, 27)


def test_thirty_working_days_over_national_day_and_winter_holidays():
    """Announced on 20 November 2025, 1 December and the winter holidays are skipped:
    the earliest adoption is 12 January 2026."""
    assert dates.earliest_adoption(D(2025, 11, 20)) == D(2026, 1, 12)


def test_extra_non_working_days_declared_by_the_government(settings):
    """A day the Government declares non-working (a bridge day) is not counted either."""
    assert dates.is_working_day(D(2025, 1, 3))
    settings.CONSULTATION_EXTRA_NON_WORKING_DAYS = ["2025-01-03"]
    assert not dates.is_working_day(D(2025, 1, 3))


def test_minimums_come_from_settings(settings):
    """The legal defaults are settings, so a change in the law is a configuration change."""
    settings.CONSULTATION_MIN_ANNOUNCEMENT_WORKING_DAYS = 5
    settings.CONSULTATION_MIN_WINDOW_DAYS = 3
    assert dates.earliest_adoption(D(2025, 3, 7)) == D(2025, 3, 14)
    assert dates.earliest_close(D(2025, 3, 7)) == D(2025, 3, 10)


def _check(**kwargs):
    values = {
        "opens_on": D(2025, 3, 3),
        "closes_on": D(2025, 3, 13),
        "planned_adoption_on": D(2025, 4, 14),
    }
    values.update(kwargs)
    with translation.override("en"):
        return check_dates(**values)


def test_dates_that_meet_the_law_pass():
    """10 calendar days of window and 30 working days of announcement are enough."""
    assert dates.earliest_adoption(D(2025, 3, 3)) == D(2025, 4, 14)
    assert _check() == {}


def test_a_window_shorter_than_ten_days_is_refused_with_the_earliest_date():
    """Nine days of window: refused, and the message gives the first allowed last day."""
    errors = _check(closes_on=D(2025, 3, 12))
    assert list(errors) == ["closes_on"]
    assert "at least 10 calendar days" in errors["closes_on"][0]
    assert "13" in errors["closes_on"][0]


def test_an_adoption_too_soon_is_refused_with_the_earliest_date():
    """29 working days of announcement: refused, with the earliest adoption date."""
    errors = _check(planned_adoption_on=D(2025, 4, 11))
    assert list(errors) == ["planned_adoption_on"]
    assert "30 working days" in errors["planned_adoption_on"][0]
    assert "14" in errors["planned_adoption_on"][0]


def test_the_urgency_procedure_needs_a_written_justification():
    """With the urgency procedure the minimums do not apply, but a justification does."""
    short = {"closes_on": D(2025, 3, 5), "planned_adoption_on": D(2025, 3, 7)}
    assert "urgency_justification" in _check(is_urgent=True, **short)
    assert _check(is_urgent=True, urgency_justification="Termen UE: 1 aprilie.", **short) == {}


def test_adoption_always_comes_after_the_window():
    """Even by urgency, the adoption cannot be planned before the window ends."""
    errors = _check(
        is_urgent=True,
        urgency_justification="Urgent.",
        closes_on=D(2025, 3, 5),
        planned_adoption_on=D(2025, 3, 5),
    )
    assert "planned_adoption_on" in errors


def test_an_opening_in_the_past_is_refused():
    errors = _check(today=D(2025, 3, 4))
    assert "opens_on" in errors
