"""The legal calendar of a consultation (Law 52/2003 on decisional transparency).

- The announcement is published at least CONSULTATION_MIN_ANNOUNCEMENT_WORKING_DAYS
  working days before the planned adoption. Working days are Monday to Friday, less
  Romania's public holidays (Orthodox Easter and Pentecost, Christmas, 1 December...) and
  any extra non-working day the Government declares (CONSULTATION_EXTRA_NON_WORKING_DAYS).
- The window for recommendations lasts at least CONSULTATION_MIN_WINDOW_DAYS calendar days.

Counting follows the civil-procedure rule: the day of the announcement is not counted,
the last day is.
"""

import datetime
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("RO", years=year).keys())


def _extra_non_working_days() -> frozenset[datetime.date]:
    days = getattr(settings, "CONSULTATION_EXTRA_NON_WORKING_DAYS", [])
    return frozenset(datetime.date.fromisoformat(str(day)) for day in days)


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, and not a Romanian public holiday."""
    if day.weekday() >= 5:
        return False
    return day not in _public_holidays(day.year) and day not in _extra_non_working_days()


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The date that is `count` working days after `start` (`start` itself not counted)."""
    day = start
    remaining = count
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` <= `start`)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def min_announcement_working_days() -> int:
    return settings.CONSULTATION_MIN_ANNOUNCEMENT_WORKING_DAYS


def min_window_days() -> int:
    return settings.CONSULTATION_MIN_WINDOW_DAYS


def earliest_adoption(announced_on: datetime.date) -> datetime.date:
    """The first day on which a draft announced on `announced_on` may be adopted."""
    return add_working_days(announced_on, min_announcement_working_days())


def earliest_close(opens_on: datetime.date) -> datetime.date:
    """The first day on which the window opened on `opens_on` may close."""
    return opens_on + datetime.timedelta(days=min_window_days())


def window_days(opens_on: datetime.date, closes_on: datetime.date) -> int:
    return (closes_on - opens_on).days


def local_today() -> datetime.date:
    """Today in Romania (Europe/Bucharest), whatever the server's clock zone."""
    return timezone.localdate()


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of `day` in Romania, as an aware datetime."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(midnight) - datetime.timedelta(microseconds=1)


def synthesis_deadline() -> dict:
    """The synthesis deadline as the interface names it: its days after the last day for
    recommendations, and its source (the law, or the institution's own rule) with the
    text it comes from when configured."""
    from django.utils.translation import gettext as _

    source = settings.CONSULTATION_SYNTHESIS_DUE_SOURCE
    return {
        "days": settings.CONSULTATION_SYNTHESIS_DUE_DAYS,
        "source": source,
        "source_label": _("set by law") if source == "law" else _("the institution's own rule"),
        "reference": settings.CONSULTATION_SYNTHESIS_DUE_REFERENCE,
    }
