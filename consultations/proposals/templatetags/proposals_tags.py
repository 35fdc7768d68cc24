"""The proposals' part of the coordinators' dashboard (registry/map/), drawn by an
include so that the dashboard's view does not need to know about proposals."""

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
