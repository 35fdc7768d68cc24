"""Reads behind the national map and the coordinators' dashboard.

What the map counts (the choices are shown to readers on the map page, "How we count"):

- ``organisations``: verified NGOs, the layer the open-government commitment asks for.
- ``organisations_all``: every public record of the registry, verified NGOs and the
  records imported from the National NGO Registry that nobody has claimed yet. Both
  layers come from the same query.
- ``officials``: published relationship officials (agreed to publication, not removed),
  in the counties they cover. As in the registry's lists, one who names no county covers
  the whole country and counts at national level, and one who names no domain covers
  every domain. An official covering several counties counts once in each county, once in
  each region and once in the national total.
- ``structures``: active advisory structures, in their county; a regional structure with
  no county counts in its region ("whole region"); a national one at national level; a
  county or local one whose county was not filled in falls back to its institution's county.

A record with no place at all is never dropped: it counts as "unknown location" and in the
total. Every count is an aggregate query (GROUP BY) whatever the size of the registry: one
for both organisation layers, three for officials (by county, by region, total), one for
structures, one for the geography and one for the domain filter. The result is cached
under the registry's statistics version (`registry.stats`), which services bump when
records change.

Extension point: a later app (open consultations) adds a layer by appending a counter to
`COUNTERS` with `register_counter`; a counter takes the domain (or None) and the geography
and returns {layer id: LayerCounts}. Layer labels and list links live in `LAYERS`.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from conect.core.collation import by_name, romanian_key

from ..geography import ATTRIBUTION
from ..models import (
    AdvisoryStructure,
    County,
    Domain,
    Institution,
    Organisation,
    RelationshipOfficial,
)
from ..selectors import reference
from ..selectors.officials import official_list_public
from ..stats import stats_version

CACHE_TIMEOUT = 60 * 60 * 24  # a bump of the statistics version invalidates sooner
BOUNDARIES_CACHE_KEY = "map:boundaries:v1"
POPULATION_SOURCE = _(
    "Population: resident population at the 2021 census, National Institute of Statistics "
    "(INS, RPL2021)."
)
PER_CAPITA = 100_000


# --- Layers -------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """A layer of the map: what it counts, how it is named, where its list lives."""

    id: str
    label: object  # a lazy translation
    description: object
    list_url_name: str
    list_path: str  # used while the list page is not routed
    list_params: tuple[tuple[str, str], ...] = ()

    def list_base(self) -> str:
        try:
            return reverse(self.list_url_name)
        except NoReverseMatch:
            return self.list_path

    def list_url(self, *, area_param=None, code=None, domain=None, base=None) -> str:
        """The registry list of this layer filtered to an area (and domain); pass `base`
        (from list_base) when building many links."""
        base = base or self.list_base()
        params = []
        if area_param and code:
            params.append((area_param, code))
        if domain:
            params.append(("domain", domain))
        params.extend(self.list_params)
        return f"{base}?{urlencode(params)}" if params else base


LAYERS: dict[str, Layer] = {
    layer.id: layer
    for layer in (
        Layer(
            "organisations",
            _("Verified NGOs"),
            _("Organisations whose registration a coordinator has verified."),
            "registry:organisation-list",
            "/registry/organisations/",
            (("status", Organisation.Status.VERIFIED.value),),
        ),
        Layer(
            "organisations_all",
            _("All NGOs in the registry"),
            _(
                "Verified NGOs and the records imported from the National NGO Registry "
                "(Ministry of Justice) that are not yet verified on CONECT; those that the "
                "register lists as dissolved, in liquidation or struck off are not counted."
            ),
            "registry:organisation-list",
            "/registry/organisations/",
        ),
        Layer(
            "officials",
            _("Relationship officials"),
            _(
                "Published relationship officials of public institutions, in the counties "
                "they cover."
            ),
            "registry:official-list",
            "/registry/officials/",
        ),
        Layer(
            "structures",
            _("Advisory structures"),
            _("Active consultative councils, committees and working groups, where they work."),
            "registry:structure-list",
            "/registry/structures/",
            (("status", AdvisoryStructure.Status.ACTIVE.value),),
        ),
    )
}
DEFAULT_LAYER = "organisations"


@dataclass
class LayerCounts:
    """Counts of one layer. A record counts once in each county and region it belongs to,
    and once in `total`; `region_wide` holds records of a region with no single county."""

    by_county: Counter = field(default_factory=Counter)  # county id -> n
    by_region: Counter = field(default_factory=Counter)  # region id -> n
    region_wide: Counter = field(default_factory=Counter)  # region id -> n
    national: int = 0
    unknown: int = 0
    total: int = 0


@dataclass(frozen=True)
class Geography:
    """The 42 counties with their region, loaded once per computation."""

    counties: list[dict]
    county_region: dict[int, int]  # county id -> region id


def _load_geography() -> Geography:
    counties = list(
        County.objects.order_by("code").values(
            "id", "code", "name", "population", "region_id", "region__code", "region__name"
        )
    )
    return Geography(counties, {c["id"]: c["region_id"] for c in counties})


def _organisation_counts(domain: Domain | None, geo: Geography) -> dict[str, LayerCounts]:
    """One GROUP BY county over the public organisations that the National NGO Registry
    lists as active, for both organisation layers: the registry's list, which the layers
    link to, hides the dissolved, in liquidation and struck-off ones too."""
    queryset = Organisation.objects.filter(
        status__in=Organisation.PUBLIC_STATUSES, registry_state=Organisation.RegistryState.ACTIVE
    )
    if domain is not None:
        queryset = queryset.filter(domains=domain)
    # Grouped by (status, county), the order of an index: PostgreSQL answers from the index
    # alone, streaming, with no hashing.
    rows = queryset.values_list("status", "county_id").annotate(n=Count("*")).order_by()
    verified, public = LayerCounts(), LayerCounts()
    for status, county_id, n in rows:
        layers = (verified, public) if status == Organisation.Status.VERIFIED else (public,)
        for counts in layers:
            counts.total += n
            if county_id is None:
                counts.unknown += n
            else:
                counts.by_county[county_id] += n
                counts.by_region[geo.county_region[county_id]] += n
    return {"organisations": verified, "organisations_all": public}


def _covering_domain(domain: Domain) -> Q:
    """Officials covering `domain`: those who list it and those who list no domain, the
    rule of registry.selectors.officials.officials_covering_domain (a test holds them
    equal), written with IN subqueries that PostgreSQL hashes once, where EXISTS under an
    OR is run again for every row."""
    through = RelationshipOfficial.domains.through
    return Q(pk__in=through.objects.filter(domain=domain).values("relationshipofficial_id")) | ~Q(
        pk__in=through.objects.values("relationshipofficial_id")
    )


def _official_counts(domain: Domain | None, geo: Geography) -> dict[str, LayerCounts]:
    """Published officials in the counties they cover: three aggregate queries over the
    officials' county links (by county; by region, each official once; the total and those
    who name no county). As in the registry's own lists, an official who names no county
    covers the whole country (national level) and one who names no domain covers every
    domain."""
    officials = official_list_public().select_related(None).prefetch_related(None).order_by()
    if domain is not None:
        officials = officials.filter(_covering_domain(domain))
    through = RelationshipOfficial.counties.through
    # The officials are a subquery that PostgreSQL runs once (a hashed semi-join).
    links = through.objects.filter(relationshipofficial__in=officials.values("pk")).order_by()
    counts = LayerCounts()
    counts.by_county.update(dict(links.values_list("county_id").annotate(n=Count("*"))))
    counts.by_region.update(
        dict(
            links.values_list("county__region_id").annotate(
                n=Count("relationshipofficial_id", distinct=True)
            )
        )
    )
    totals = officials.annotate(
        covers=Exists(through.objects.filter(relationshipofficial=OuterRef("pk")))
    ).aggregate(total=Count("pk"), national=Count("pk", filter=Q(covers=False)))
    counts.total, counts.national = totals["total"], totals["national"]
    return {"officials": counts}


def _structure_counts(domain: Domain | None, geo: Geography) -> dict[str, LayerCounts]:
    """Active advisory structures where they work: one query grouped by place. In their
    county; a regional one with no county in its region only ("whole region"); a national
    one at national level; a county or local one whose county is missing at its
    institution's county, else of unknown location."""
    queryset = AdvisoryStructure.objects.filter(status=AdvisoryStructure.Status.ACTIVE)
    if domain is not None:
        queryset = queryset.filter(domains=domain)
    rows = (
        queryset.values_list("county_id", "region_id", "territorial_level", "institution__county")
        .annotate(n=Count("id"))
        .order_by()
    )
    Level = AdvisoryStructure.TerritorialLevel
    counts = LayerCounts()
    for county_id, region_id, level, institution_county_id, n in rows:
        counts.total += n
        if county_id is None and level in (Level.COUNTY, Level.LOCAL):
            county_id = institution_county_id
        if county_id is not None:
            counts.by_county[county_id] += n
            counts.by_region[geo.county_region[county_id]] += n
        elif region_id is not None:
            counts.region_wide[region_id] += n
            counts.by_region[region_id] += n
        elif level == Level.NATIONAL:
            counts.national += n
        else:
            counts.unknown += n
    return {"structures": counts}


Counter_ = Callable[[Domain | None, Geography], dict[str, LayerCounts]]
COUNTERS: list[Counter_] = [_organisation_counts, _official_counts, _structure_counts]


def register_counter(counter: Counter_, *layers: Layer) -> None:
    """Add a layer to the map (e.g. open consultations) without touching this module."""
    COUNTERS.append(counter)
    for layer in layers:
        LAYERS[layer.id] = layer


# --- The map's numbers ----------------------------------------------------------


def _per_capita(count: int, population: int) -> float | None:
    if not population:
        return None
    return round(count * PER_CAPITA / population, 2)


def _layer_maps(layer_ids, fn):
    return {layer_id: fn(layer_id) for layer_id in layer_ids}


def compute_map_statistics(domain: Domain | None = None) -> dict:
    """Counts of every layer by region and county, absolute and per 100,000 inhabitants.

    A constant number of queries (the geography, then the counters' aggregates: three
    of them for the open consultations layer, one each for the NGOs' activities, the
    proposals and the public services' feedback)
    whatever the size of the registry. The answer is plain JSON-ready data with the list
    links of each area.
    """
    geo = _load_geography()
    results: dict[str, LayerCounts] = {}
    for counter in COUNTERS:
        results.update(counter(domain, geo))
    layer_ids = [layer_id for layer_id in LAYERS if layer_id in results]
    slug = domain.slug if domain is not None else None
    bases = {layer_id: LAYERS[layer_id].list_base() for layer_id in layer_ids}

    def link(layer_id, area_param=None, code=None):
        return LAYERS[layer_id].list_url(
            area_param=area_param, code=code, domain=slug, base=bases[layer_id]
        )

    regions: dict[int, dict] = {}
    counties = []
    for c in geo.counties:
        region = regions.setdefault(
            c["region_id"],
            {
                "code": c["region__code"],
                "name": c["region__name"],
                "population": 0,
                "county_codes": [],
            },
        )
        region["population"] += c["population"]
        region["county_codes"].append(c["code"])
        counts = _layer_maps(layer_ids, lambda lid, c=c: results[lid].by_county[c["id"]])
        counties.append(
            {
                "code": c["code"],
                "name": c["name"],
                "region": c["region__code"],
                "population": c["population"],
                "counts": counts,
                "per_100k": _layer_maps(
                    layer_ids, lambda lid, n=counts, c=c: _per_capita(n[lid], c["population"])
                ),
                "links": _layer_maps(layer_ids, lambda lid, c=c: link(lid, "county", c["code"])),
            }
        )
    region_rows = []
    for region_id, region in sorted(regions.items(), key=lambda item: item[1]["code"]):
        counts = _layer_maps(layer_ids, lambda lid, r=region_id: results[lid].by_region[r])
        region_rows.append(
            {
                **region,
                "counts": counts,
                "per_100k": _layer_maps(
                    layer_ids,
                    lambda lid, n=counts, p=region["population"]: _per_capita(n[lid], p),
                ),
                "region_wide": _layer_maps(
                    layer_ids, lambda lid, r=region_id: results[lid].region_wide[r]
                ),
                "links": _layer_maps(
                    layer_ids, lambda lid, code=region["code"]: link(lid, "region", code)
                ),
            }
        )
    population = sum(c["population"] for c in geo.counties)
    totals = _layer_maps(layer_ids, lambda lid: results[lid].total)
    return {
        "domain": slug,
        "layers": layer_ids,
        "population": population,
        "regions": region_rows,
        "counties": sorted(counties, key=lambda c: romanian_key(c["name"])),
        "national": _layer_maps(layer_ids, lambda lid: results[lid].national),
        "unknown": _layer_maps(layer_ids, lambda lid: results[lid].unknown),
        "total": totals,
        "total_per_100k": _layer_maps(layer_ids, lambda lid: _per_capita(totals[lid], population)),
        "total_links": _layer_maps(layer_ids, lambda lid: link(lid)),
    }


class UnknownDomain(ValueError):
    """The domain filter names no active domain."""


def map_statistics(domain_slug: str | None = None) -> dict:
    """The map's numbers for every layer (see `compute_map_statistics`), filtered to one
    active domain when a slug is given, answered from the cache when the registry has not
    changed since (no query at all). Raises UnknownDomain for a slug that is not an active
    domain; the error is not cached."""
    domain = None
    if domain_slug:
        # Checked against the cached list of active domains first, so that the cache is
        # never asked for a key made of whatever a visitor typed.
        domain = next((d for d in reference.domains() if d.slug == domain_slug), None)
        if domain is None:
            raise UnknownDomain(domain_slug)
    version = stats_version()
    key = f"map:stats:{version}:{domain.slug if domain else '-'}"
    data = cache.get(key)
    if data is None:
        data = compute_map_statistics(domain)
        data["version"] = version
        cache.set(key, data, CACHE_TIMEOUT)
    return {**data, "attribution": str(ATTRIBUTION)}


def map_boundaries() -> dict:
    """GeoJSON FeatureCollections of the 8 regions and 42 counties (properties: code,
    name, region), read once and cached: the reference geography changes only by a
    migration."""
    data = cache.get(BOUNDARIES_CACHE_KEY)
    if data is None:
        regions = {}
        counties = []
        for c in County.objects.select_related("region").order_by("code"):
            regions[c.region.code] = {
                "type": "Feature",
                "properties": {"code": c.region.code, "name": c.region.name},
                "geometry": c.region.boundary,
            }
            counties.append(
                {
                    "type": "Feature",
                    "properties": {"code": c.code, "name": c.name, "region": c.region.code},
                    "geometry": c.boundary,
                }
            )
        data = {
            "regions": {"type": "FeatureCollection", "features": list(regions.values())},
            "counties": {"type": "FeatureCollection", "features": counties},
        }
        cache.set(BOUNDARIES_CACHE_KEY, data, None)
    return {**data, "attribution": str(ATTRIBUTION)}


def active_domains():
    """The domains offered by the map's filter, in the reader's language's order."""
    return sorted(reference.domains(), key=lambda d: romanian_key(d.name))


# --- The coordinators' dashboard ----------------------------------------------------


def _month_starts(now: datetime, months: int) -> list[datetime]:
    """The first instant (local time) of each of the last `months` months, oldest first."""
    local = timezone.localtime(now)
    year, month = local.year, local.month
    starts = []
    for _i in range(months):
        starts.append(local.replace(year=year, month=month, day=1, hour=0, minute=0, second=0))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return [s.replace(microsecond=0) for s in reversed(starts)]


def registrations_by_month(*, now: datetime | None = None, months: int = 12) -> dict:
    """Organisations registered on the platform (records imported from the National NGO
    Registry excluded) per month of their creation, by region, over the last 12 months
    including the current one. One query."""
    now = now or timezone.now()
    starts = _month_starts(now, months)
    rows = (
        Organisation.objects.exclude(status=Organisation.Status.IMPORTED)
        .filter(created_at__gte=starts[0])
        .annotate(month=TruncMonth("created_at"))
        .values("month", "county__region__code")
        .annotate(n=Count("*"))
        .order_by()
    )
    keys = [s.strftime("%Y-%m") for s in starts]
    series: dict[str | None, list[int]] = {}
    for row in rows:
        month = (
            timezone.localtime(row["month"]) if timezone.is_aware(row["month"]) else row["month"]
        )
        key = month.strftime("%Y-%m")
        if key not in keys:
            continue
        values = series.setdefault(row["county__region__code"], [0] * len(keys))
        values[keys.index(key)] += row["n"]
    return {"months": keys, "series": series, "total": sum(sum(v) for v in series.values())}


AGE_BUCKETS = (
    (7, _("under 7 days")),
    (30, _("7 to 30 days")),
    (90, _("31 to 90 days")),
    (None, _("over 90 days")),
)


def verification_queue_age(*, now: datetime | None = None) -> dict:
    """Organisations waiting for verification: how many, the oldest, the median wait in
    days and how many wait in each age band. Waiting starts when the organisation became
    pending (or was created). One query."""
    now = now or timezone.now()
    rows = list(
        Organisation.objects.filter(status=Organisation.Status.PENDING)
        .annotate(waiting_since=Coalesce("status_changed_at", "created_at"))
        .order_by("waiting_since", "pk")
        .values("pk", "name", "waiting_since")
    )
    ages = [(now - r["waiting_since"]) / timedelta(days=1) for r in rows]
    buckets = [0] * len(AGE_BUCKETS)
    for age in ages:
        for i, (limit, _label) in enumerate(AGE_BUCKETS):
            if limit is None or age < limit:
                buckets[i] += 1
                break
    return {
        "pending": len(rows),
        "oldest": rows[0] if rows else None,
        "oldest_days": int(ages[0]) if ages else None,
        "median_days": round(statistics.median(ages), 1) if ages else None,
        "buckets": [
            {"label": str(label), "count": n}
            for (_limit, label), n in zip(AGE_BUCKETS, buckets, strict=True)
        ],
    }


def _published_officials():
    return RelationshipOfficial.objects.filter(
        consented_at__isnull=False, removed_at__isnull=True, institution=OuterRef("pk")
    )


def institutions_without_official(*, limit: int = 25) -> dict:
    """Institutions with no published relationship official: how many of each kind, and
    the first `limit` of them by name. Two queries."""
    queryset = Institution.objects.annotate(has_official=Exists(_published_officials())).filter(
        has_official=False
    )
    kinds = dict(Institution.Kind.choices)
    by_kind = {
        row["kind"]: row["n"] for row in queryset.values("kind").annotate(n=Count("*")).order_by()
    }
    return {
        "total": sum(by_kind.values()),
        "by_kind": [
            {"kind": kind, "label": str(label), "count": by_kind.get(kind, 0)}
            for kind, label in kinds.items()
        ],
        "first": list(queryset.select_related("county").order_by("name", "pk")[:limit]),
        "limit": limit,
    }


def structures_by_institution(*, limit: int = 15) -> dict:
    """Active advisory structures per owning institution, most first (the first `limit`),
    and how many institutions own any. Two queries."""
    active = AdvisoryStructure.objects.filter(status=AdvisoryStructure.Status.ACTIVE)
    rows = list(
        active.values("institution_id", "institution__name")
        .annotate(n=Count("*"))
        .order_by("-n", by_name("institution__name"))[:limit]
    )
    summary = active.aggregate(
        structures=Count("*"), institutions=Count("institution_id", distinct=True)
    )
    return {
        "rows": [
            {"id": r["institution_id"], "name": r["institution__name"], "count": r["n"]}
            for r in rows
        ],
        "institutions": summary["institutions"],
        "structures": summary["structures"],
        "limit": limit,
    }


def structures_by_domain() -> dict:
    """Active advisory structures per domain of activity (a structure with several domains
    counts in each), and how many have no domain. Two queries."""
    active = Q(advisory_structures__status=AdvisoryStructure.Status.ACTIVE)
    domains = Domain.objects.annotate(n=Count("advisory_structures", filter=active))
    rows = sorted(
        ({"slug": d.slug, "name": d.name, "count": d.n} for d in domains),
        key=lambda r: (-r["count"], romanian_key(r["name"])),
    )
    without = AdvisoryStructure.objects.filter(
        status=AdvisoryStructure.Status.ACTIVE, domains__isnull=True
    ).count()
    return {"rows": rows, "without_domain": without}


LAYERS_IN_SUMMARY = ("organisations", "organisations_all", "officials", "structures")
SUMMARY_COLUMNS = (
    ("population", _("Population")),
    ("organisations", _("Verified NGOs")),
    ("organisations_all", _("All NGOs in the registry")),
    ("pending", _("NGOs waiting for verification")),
    ("officials", _("Relationship officials")),
    ("structures", _("Advisory structures")),
    ("institutions", _("Public institutions")),
    ("institutions_without_official", _("Institutions without an official")),
    ("organisations_per_100k", _("Verified NGOs per 100,000 inhabitants")),
)


def region_summary() -> dict:
    """One row per development region, then national level, unknown location and the
    total: population, verified and all public NGOs, NGOs waiting for verification,
    published officials, active advisory structures, public institutions and those
    without a published official, verified NGOs per 100,000 inhabitants.

    The map's (cached) numbers plus two GROUP BY queries. Institutions with no county are
    at national level when they are central, else of unknown location; pending NGOs with
    no county are of unknown location."""
    stats = map_statistics()
    pending = {
        row["county__region__code"]: row["n"]
        for row in Organisation.objects.filter(status=Organisation.Status.PENDING)
        .values("county__region__code")
        .annotate(n=Count("*"))
        .order_by()
    }
    institutions: dict[str, Counter] = defaultdict(Counter)
    for row in (
        Institution.objects.annotate(has_official=Exists(_published_officials()))
        .values("county__region__code", "level")
        .annotate(n=Count("*"), without=Count("pk", filter=Q(has_official=False)))
        .order_by()
    ):
        code = row["county__region__code"]
        if code is None:
            code = "national" if row["level"] == Institution.Level.CENTRAL else "unknown"
        institutions[code].update({"n": row["n"], "without": row["without"]})

    def make_row(key, code, name, population, counts, per_100k):
        # An NGO is never at national level; one with no county is of unknown location.
        waiting = 0 if key == "national" else pending.get(None if key == "unknown" else key, 0)
        return {
            "code": code,
            "name": name,
            "population": population,
            **{layer: counts[layer] for layer in LAYERS_IN_SUMMARY},
            "pending": waiting,
            "institutions": institutions[key]["n"],
            "institutions_without_official": institutions[key]["without"],
            "organisations_per_100k": per_100k,
        }

    rows = [
        make_row(
            r["code"],
            r["code"],
            r["name"],
            r["population"],
            r["counts"],
            r["per_100k"]["organisations"],
        )
        for r in stats["regions"]
    ]
    national = make_row("national", "", str(_("National level")), None, stats["national"], None)
    unknown = make_row("unknown", "", str(_("Unknown location")), None, stats["unknown"], None)
    total = {
        "code": "",
        "name": str(_("Total")),
        "population": stats["population"],
        **{key: stats["total"][key] for key in LAYERS_IN_SUMMARY},
        "pending": sum(pending.values()),
        "institutions": sum(c["n"] for c in institutions.values()),
        "institutions_without_official": sum(c["without"] for c in institutions.values()),
        "organisations_per_100k": stats["total_per_100k"]["organisations"],
    }
    return {"rows": rows, "national": national, "unknown": unknown, "total": total}


DASHBOARD_TIMEOUT = 300  # the queue's ages move with the clock; the counts with the version


def dashboard_data_cached() -> dict:
    """dashboard_data() from the shared cache: a new statistics version (any change to
    what it counts) or five minutes make it again. The coordinators open it often and it
    reads every organisation's month and every pending organisation's age."""
    key = f"map:dashboard:{stats_version()}:{get_language()}"
    return cache.get_or_set(key, dashboard_data, DASHBOARD_TIMEOUT)


def dashboard_data(*, now: datetime | None = None) -> dict:
    """Everything the coordinators' dashboard shows, in a constant number of queries."""
    return {
        "registrations": registrations_by_month(now=now),
        "queue": verification_queue_age(now=now),
        "without_official": institutions_without_official(),
        "by_institution": structures_by_institution(),
        "by_domain": structures_by_domain(),
        "summary": region_summary(),
    }
