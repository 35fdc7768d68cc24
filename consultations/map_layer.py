"""The national map's "open consultations" layer (issue 4's extension point).

Registered with `registry.map.selectors.register_counter` when the app is ready. An open
consultation counts once in each county it concerns (the counties it names and the
counties of the regions it names), once in each of those regions, and once in the total;
a national one counts at national level; one that names no place is of unknown location.
Three queries whatever the number of consultations.
"""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from registry.map.selectors import Layer, LayerCounts, register_counter

from .models import Consultation

State = Consultation.State

LAYER = Layer(
    "consultations",
    _("Open consultations"),
    _(
        "Consultations on draft decisions that accept recommendations now, in the counties "
        "and regions they concern."
    ),
    "consultations:list",
    "/consultations/",
    (("state", State.OPEN.value),),
)


def open_consultation_counts(domain, geo) -> dict[str, LayerCounts]:
    consultations = Consultation.objects.filter(state=State.OPEN)
    if domain is not None:
        consultations = consultations.filter(domains=domain)
    national = dict(consultations.values_list("pk", "is_national"))
    places: dict[int, set[int]] = defaultdict(set)  # consultation id -> county ids
    regions_named: dict[int, set[int]] = defaultdict(set)
    county_links = Consultation.counties.through.objects.filter(
        consultation_id__in=consultations.values("pk")
    )
    for consultation_id, county_id in county_links.values_list("consultation_id", "county_id"):
        places[consultation_id].add(county_id)
    region_links = Consultation.regions.through.objects.filter(
        consultation_id__in=consultations.values("pk")
    )
    for consultation_id, region_id in region_links.values_list("consultation_id", "region_id"):
        regions_named[consultation_id].add(region_id)
    counties_of_region: dict[int, list[int]] = defaultdict(list)
    for county_id, region_id in geo.county_region.items():
        counties_of_region[region_id].append(county_id)

    counts = LayerCounts()
    for consultation_id, is_national in national.items():
        counts.total += 1
        if is_national:
            counts.national += 1
            continue
        counties = set(places[consultation_id])
        for region_id in regions_named[consultation_id]:
            counties.update(counties_of_region[region_id])
        if not counties:
            counts.unknown += 1
            continue
        for county_id in counties:
            counts.by_county[county_id] += 1
        for region_id in {geo.county_region[county_id] for county_id in counties}:
            counts.by_region[region_id] += 1
    return {LAYER.id: counts}


def register() -> None:
    register_counter(open_consultation_counts, LAYER)
