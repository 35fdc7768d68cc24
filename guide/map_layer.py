"""The national map's "good practices" layer: published practices by county.

Registered with `registry.map.selectors.register_counter` when the app is ready. A
practice counts in its county (the institution's county unless another was given) and
that county's region; one without a county (a central institution's) counts at national
level. One query whatever the number of practices.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from registry.map.selectors import Layer, LayerCounts, register_counter

from .models import Practice

LAYER = Layer(
    "practices",
    _("Good practices"),
    _("Published good practices of public participation, in the county of the institution."),
    "guide:practice-list",
    "/guide/practices/",
)


def practice_counts(domain, geo) -> dict[str, LayerCounts]:
    practices = Practice.objects.filter(status=Practice.Status.PUBLISHED)
    if domain is not None:
        practices = practices.filter(domains=domain)
    counts = LayerCounts()
    for county_id, n in practices.values_list("county_id").annotate(n=Count("pk")).order_by():
        counts.total += n
        if county_id is None or county_id not in geo.county_region:
            counts.national += n
            continue
        counts.by_county[county_id] += n
        counts.by_region[geo.county_region[county_id]] += n
    return {LAYER.id: counts}


def register() -> None:
    register_counter(practice_counts, LAYER)
