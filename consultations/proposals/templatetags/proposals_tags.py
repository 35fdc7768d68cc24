"""The proposals' part of the coordinators' dashboard (registry/map/), drawn by an
include so that the dashboard's view does not need to know about proposals."""

import datetime

from django import template
from django.core.cache import cache
from django.utils.translation import get_language

from registry.stats import stats_version

from .. import selectors

register = template.Library()
TIMEOUT = 60  # votes move the totals without a new statistics version


@register.simple_tag
def proposals_dashboard() -> dict:
    key = f"proposals:dashboard:{stats_version()}:{get_language()}"
    return cache.get_or_set(key, selectors.dashboard_summary, TIMEOUT)


@register.filter
def meeting_when(detail: str):
    """The meeting's date and time kept in an invitation's detail (ISO, first line), as
    a datetime for the `date` filter; None when it cannot be read."""
    try:
        return datetime.datetime.fromisoformat((detail or "").split("\n", 1)[0])
    except ValueError:
        return None


@register.filter
def meeting_place(detail: str) -> str:
    """The meeting's place kept in an invitation's detail (second line), or ""."""
    parts = (detail or "").split("\n", 1)
    return parts[1] if len(parts) > 1 else ""
