"""The national map's layers of projects, events and calls for volunteers (issue 18).

Registered with `registry.map.selectors.register_counter` when the registry app is ready.
Each layer counts the activities under way or to come (not ended before today) of the
public organisations, in the county where they take place; an online activity with no
county counts at national level. One query (GROUP BY kind, county) for the three layers.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import OrganisationActivity
from ..selectors.profiles import not_ended, public_activities
from .selectors import Layer, LayerCounts, register_counter

Kind = OrganisationActivity.Kind

LAYERS = {
    Kind.PROJECT: Layer(
        "projects",
        _("NGO projects"),
        _("Projects of public organisations under way or to come, where they take place."),
        "registry:project-list",
        "/registry/projects/",
        (("current", "true"),),
    ),
    Kind.EVENT: Layer(
        "events",
        _("NGO events"),
        _("Events of public organisations to come, where they take place."),
        "registry:event-list",
        "/registry/events/",
        (("current", "true"),),
    ),
    Kind.VOLUNTEERING: Layer(
        "volunteering",
        _("Calls for volunteers"),
        _("Calls for volunteers of public organisations still open, where they take place."),
        "registry:volunteering-list",
        "/registry/volunteering/",
        (("current", "true"),),
    ),
}


def activity_counts(domain, geo) -> dict[str, LayerCounts]:
    queryset = not_ended(public_activities())
    if domain is not None:
        queryset = queryset.filter(domain=domain)
    rows = queryset.values_list("kind", "county_id", "is_online").annotate(n=Count("*")).order_by()
    counts = {kind: LayerCounts() for kind in LAYERS}
    for kind, county_id, is_online, n in rows:
        layer = counts[kind]
        layer.total += n
        if county_id is not None:
            layer.by_county[county_id] += n
            layer.by_region[geo.county_region[county_id]] += n
        elif is_online:
            layer.national += n
        else:
            layer.unknown += n
    return {LAYERS[kind].id: layer for kind, layer in counts.items()}


def register() -> None:
    register_counter(activity_counts, *LAYERS.values())
