"""The national map's layer "Feedback on public services": the answers given in the
last 12 months, in the county where each service is provided (a service of a central
institution with no county counts at national level). One GROUP BY over the monthly sums.

The map's numbers are cached under the registry's statistics version; answers bump it
at most every few minutes (services.MAP_REFRESH_SECONDS), so this layer is at most that
late. The satisfaction index itself is under the map (`feedback_map_panel`) and on the
feedback pages the layer links to."""

from django.utils.translation import gettext_lazy as _

from registry.map.selectors import Layer, LayerCounts, register_counter

LAYER = Layer(
    "feedback",
    _("Feedback on public services"),
    _(
        "Answers given in the last 12 months by people who used a public service, in the "
        "county where the service is provided. The satisfaction index of each region and "
        "county is under the map."
    ),
    "feedback:index",
    "/feedback/",
)


def feedback_counts(domain, geo) -> dict[str, LayerCounts]:
    """Answers by county (and region); public services have no domain of activity, so
    the layer counts nothing when the map is filtered by domain."""
    from .selectors import map_answer_counts

    counts = LayerCounts()
    if domain is not None:
        return {LAYER.id: counts}
    for county_id, n in map_answer_counts().items():
        counts.total += n
        if county_id is None:
            counts.national += n
        elif county_id in geo.county_region:
            counts.by_county[county_id] += n
            counts.by_region[geo.county_region[county_id]] += n
        else:
            counts.unknown += n
    return {LAYER.id: counts}


def register() -> None:
    register_counter(feedback_counts, LAYER)
