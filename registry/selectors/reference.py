"""The reference lists every search form and map names: all regions, all counties, the
active domains of activity.

They change a few times a year, so they are kept in Django's cache framework (Redis in
production). Regions and counties change only by migration: a long timeout is enough.
Domains are kept under a version that the domain services bump (`bump_domains_version`);
the same list serves every language (a domain's `name` picks its language when read).
A record's own county, region and domains are read with it (select_related,
prefetch_related), not from here."""

from django.core.cache import cache

from conect.core.collation import by_name
from conect.core.versions import bump_version, version

from ..models import County, Domain, Region

GEOGRAPHY_TIMEOUT = 60 * 60 * 24
DOMAINS_TIMEOUT = 60 * 60 * 24
DOMAINS_VERSION_KEY = "registry:domains-version"


def regions() -> list[Region]:
    """Every development region, by code, without its boundary."""
    return cache.get_or_set(
        "registry:regions",
        lambda: list(Region.objects.defer("boundary").order_by("code")),
        GEOGRAPHY_TIMEOUT,
    )


def counties() -> list[County]:
    """Every county, by name, without its boundary (each with `region_id`)."""
    return cache.get_or_set(
        "registry:counties",
        lambda: list(County.objects.defer("boundary").order_by(by_name())),
        GEOGRAPHY_TIMEOUT,
    )


def domains_version() -> int:
    return version(DOMAINS_VERSION_KEY)


def bump_domains_version() -> None:
    """Forget the cached domain lists once the current transaction commits."""
    bump_version(DOMAINS_VERSION_KEY)


def domains(*, include_inactive: bool = False) -> list[Domain]:
    """The domains of activity in the list order (position, then Romanian name); only
    the active ones unless `include_inactive`."""
    key = f"registry:domains:v{domains_version()}:{'all' if include_inactive else 'active'}"

    def load():
        queryset = Domain.objects.order_by("position", by_name("name_ro"), "pk")
        if not include_inactive:
            queryset = queryset.filter(is_active=True)
        return list(queryset)

    return cache.get_or_set(key, load, DOMAINS_TIMEOUT)
