"""The registry's reference data (development regions, counties, domains of activity),
held in each process.

Every registry page and API answer names counties, regions and domains: a list of a
hundred organisations names the same few dozen of them a hundred times, and every search
form offers all of them. Read from the database on every request they would cost three
queries, a JOIN per row and a few hundred model instances; they change a few times a
year. So each process keeps one snapshot, as model instances shared by every request
(read-only: never save or change them), and checks on each use that it is current:

- a version token in the shared cache names the current snapshot; any change to a region,
  county or domain (a save or delete, from a service or the admin) writes a new token, at
  once and again when the transaction commits, so that every process reloads; a process
  reads the token at most once a second (CHECK_INTERVAL), so that a page does not pay a
  round trip to the cache for it;
- a snapshot older than MAX_AGE is reloaded anyway, in case the shared cache lost a token
  or a data migration (which sends no signal) changed the rows while processes ran.

`organisation_refs()` gives a page of organisations their county (with its region) and
their domains from the snapshot: one query for the domains' links, none for the rest.
"""

import threading
import time
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from conect.core.baked import BakedQuery

VERSION_KEY = "registry:reference-version"
MAX_AGE = 300  # seconds
CHECK_INTERVAL = 1.0  # seconds between two reads of the token (a Redis round trip each)


@dataclass(frozen=True)
class Snapshot:
    token: str
    loaded_at: float
    regions: tuple = ()
    counties: tuple = ()
    domains: tuple = ()  # every domain, active or not, by position then Romanian name
    region_by_id: dict = field(default_factory=dict)
    region_by_code: dict = field(default_factory=dict)
    county_by_id: dict = field(default_factory=dict)
    county_by_code: dict = field(default_factory=dict)
    domain_by_id: dict = field(default_factory=dict)
    domain_by_slug: dict = field(default_factory=dict)
    domain_position: dict = field(default_factory=dict)  # id -> place in the reference order
    # What is worked out from this data and kept while it holds (e.g. the options of the
    # search forms' drop-down lists, registry_tags.search_field), by the user's key.
    memo: dict = field(default_factory=dict, compare=False)

    @property
    def active_domains(self) -> list:
        return [domain for domain in self.domains if domain.is_active]

    def counties_of_region(self, region) -> list:
        return [county for county in self.counties if county.region_id == region.pk]

    def domains_by_owner(self, pairs) -> dict:
        """{owner id: [domain, ...]} from (owner id, domain id) pairs (the rows of an
        organisation's, official's or structure's domain links), each list in the
        reference order; a domain unknown to the snapshot is left out."""
        grouped: dict = {}
        for owner, domain_id in sorted(pairs, key=lambda p: self.domain_position.get(p[1], 0)):
            domain = self.domain_by_id.get(domain_id)
            if domain is not None:
                grouped.setdefault(owner, []).append(domain)
        return grouped


_lock = threading.Lock()
_snapshot: Snapshot | None = None
_checked_at = 0.0  # when this process last read the token


def _load(token: str) -> Snapshot:
    from .models import County, Domain, Region

    regions = tuple(Region.objects.defer("boundary").order_by("code"))
    region_by_id = {region.pk: region for region in regions}
    counties = tuple(County.objects.defer("boundary").order_by("name"))
    for county in counties:
        County.region.field.set_cached_value(county, region_by_id[county.region_id])
    domains = tuple(Domain.objects.order_by("position", "name_ro", "pk"))
    return Snapshot(
        token=token,
        loaded_at=time.monotonic(),
        regions=regions,
        counties=counties,
        domains=domains,
        region_by_id=region_by_id,
        region_by_code={region.code: region for region in regions},
        county_by_id={county.pk: county for county in counties},
        county_by_code={county.code: county for county in counties},
        domain_by_id={domain.pk: domain for domain in domains},
        domain_by_slug={domain.slug: domain for domain in domains},
        domain_position={domain.pk: position for position, domain in enumerate(domains)},
    )


def reference() -> Snapshot:
    """The current snapshot: a read of the shared cache at most once every CHECK_INTERVAL
    seconds, and three queries when the reference data changed since this process last
    loaded it. (A change made in this process drops its snapshot at once; one made in
    another is seen within CHECK_INTERVAL.)"""
    global _snapshot, _checked_at
    snapshot = _snapshot
    now = time.monotonic()
    if (
        snapshot is not None
        and now - _checked_at < CHECK_INTERVAL
        and now - snapshot.loaded_at < MAX_AGE
    ):
        return snapshot
    token = cache.get(VERSION_KEY)
    if token is None:
        # The shared cache lost the token (or never had one): keep ours when it is fresh.
        own = snapshot.token if snapshot is not None else uuid.uuid4().hex
        cache.add(VERSION_KEY, own, timeout=None)
        token = cache.get(VERSION_KEY, own)
    if snapshot is not None and snapshot.token == token and now - snapshot.loaded_at < MAX_AGE:
        _checked_at = now
        return snapshot
    with _lock:
        if _snapshot is not None and _snapshot.token == token and _snapshot is not snapshot:
            return _snapshot
        _snapshot = _load(token)
        _checked_at = now
        return _snapshot


def bump_reference_version() -> None:
    """A new token now (this process, and others reading in the meantime, reload) and
    another when the transaction commits (so that nobody keeps what they read before)."""
    global _snapshot
    _snapshot = None
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)

    def _after_commit():
        global _snapshot
        _snapshot = None
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)

    transaction.on_commit(_after_commit)


def forget() -> None:
    """Drop this process's snapshot (the test suite calls it between tests)."""
    global _snapshot, _checked_at
    _snapshot = None
    _checked_at = 0.0


def _changed(sender, **kwargs):
    bump_reference_version()


def connect_signals() -> None:
    from .models import County, Domain, Region

    for model in (Region, County, Domain):
        uid = f"registry.reference.{model.__name__}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")


# --- Organisations ---------------------------------------------------------------


def _links_of_one(pk):
    from .models import Organisation

    return Organisation.domains.through.objects.filter(organisation_id=pk).order_by()


_domain_links_of = BakedQuery(_links_of_one)


def organisation_refs(organisations) -> None:
    """Give each organisation of a page its county (with its region) from the snapshot,
    so that `organisation.county.region.name` costs no query, and `domain_list`, its
    domains in the order of the reference list, in one query for the whole page (with
    `domain_keys`, the keys of its domains as read, the snapshot's or not)."""
    from .models import Organisation

    organisations = list(organisations)
    if not organisations:
        return
    snapshot = reference()
    cache_county = Organisation.county.field.set_cached_value
    for organisation in organisations:
        if organisation.county_id is not None:
            cache_county(organisation, snapshot.county_by_id.get(organisation.county_id))
    by_pk = {organisation.pk: organisation for organisation in organisations}
    if len(by_pk) == 1:  # an organisation's own page: its SQL is written once (see baked)
        links = [(link.organisation_id, link.domain_id) for link in _domain_links_of(*by_pk)]
    else:
        links = Organisation.domains.through.objects.filter(organisation_id__in=by_pk).values_list(
            "organisation_id", "domain_id"
        )
    links = list(links)
    grouped = snapshot.domains_by_owner(links)
    keys: dict = {}
    for owner, domain_id in links:
        keys.setdefault(owner, []).append(domain_id)
    for organisation in organisations:
        organisation.domain_list = grouped.get(organisation.pk, [])
        organisation.domain_keys = keys.get(organisation.pk, [])
