"""Hand-built registry data whose map numbers are known exactly (see `expected` below)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from registry.models import (
    AdvisoryStructure,
    County,
    Domain,
    Institution,
    Organisation,
    Region,
    RelationshipOfficial,
)

_fiscal = iter(range(9_100_001, 9_200_000))


def make_org(county, status=Organisation.Status.VERIFIED, domains=(), **extra):
    org = Organisation.objects.create(
        name=extra.pop("name", f"Asociația {next(_fiscal)}"),
        legal_form=Organisation.LegalForm.ASSOCIATION,
        fiscal_code=str(next(_fiscal)),
        county=county,
        status=status,
        **extra,
    )
    if domains:
        org.domains.set(domains)
    return org


def make_official(institution, counties=(), domains=(), published=True, removed=False):
    now = timezone.now()
    official = RelationshipOfficial.objects.create(
        institution=institution,
        name="Funcționar",
        position="Consilier",
        email="oficial@gov.example.ro",
        consented_at=now if published else None,
        removed_at=now if removed else None,
    )
    official.counties.set(counties)
    official.domains.set(domains)
    return official


def make_structure(institution, level, county=None, region=None, status="active", domains=()):
    structure = AdvisoryStructure.objects.create(
        institution=institution,
        name=f"Consiliul consultativ {level}",
        kind=AdvisoryStructure.Kind.COUNCIL,
        territorial_level=level,
        county=county,
        region=region or (county.region if county else None),
        status=status,
    )
    structure.domains.set(domains)
    return structure


@pytest.fixture
def geo(db):
    counties = {c.code: c for c in County.objects.select_related("region")}
    regions = {r.code: r for r in Region.objects.all()}
    return {"county": counties, "region": regions}


@pytest.fixture
def domain_a(db):
    return Domain.objects.create(slug="map-test-education", name_ro="Educație T", name_en="Edu T")


@pytest.fixture
def domain_b(db):
    return Domain.objects.create(slug="map-test-health", name_ro="Sănătate T", name_en="Health T")


@pytest.fixture
def registry_data(geo, domain_a, domain_b):
    """Cluj (RO113) and Bihor (RO111) are in Nord-Vest (RO11); Timiș (RO424) in Vest (RO42).

    Organisations: Cluj 3 verified (1 in domain A) + 1 imported + pending and rejected
    (never counted); Bihor 1 verified; Timiș 2 verified (both domain A); no county:
    1 verified (domain A) + 1 imported.
    Officials (published): Cluj+Bihor; Cluj+Timiș (domain A); one naming no county
    (national, no domain: covers every domain); plus one awaiting agreement and one removed.
    Structures (active): county-level in Cluj (domain A); regional in Vest; national;
    county-level with no county and a central institution (unknown); plus a dissolved one.
    """
    c, r = geo["county"], geo["region"]
    cluj, bihor, timis = c["RO113"], c["RO111"], c["RO424"]
    make_org(cluj, domains=[domain_a])
    make_org(cluj)
    make_org(cluj, domains=[domain_b])
    make_org(cluj, status=Organisation.Status.IMPORTED)
    make_org(cluj, status=Organisation.Status.PENDING, domains=[domain_a])
    make_org(cluj, status=Organisation.Status.REJECTED)
    make_org(bihor)
    make_org(timis, domains=[domain_a])
    make_org(timis, domains=[domain_a, domain_b])
    make_org(None, domains=[domain_a])
    make_org(None, status=Organisation.Status.IMPORTED)

    ministry = Institution.objects.create(
        name="Ministerul Test", kind=Institution.Kind.MINISTRY, level=Institution.Level.CENTRAL
    )
    prefecture = Institution.objects.create(
        name="Prefectura Cluj",
        kind=Institution.Kind.PREFECTURE,
        level=Institution.Level.COUNTY,
        county=cluj,
    )
    make_official(prefecture, counties=[cluj, bihor], domains=[domain_b])
    make_official(ministry, counties=[cluj, timis], domains=[domain_a])
    make_official(ministry)
    make_official(prefecture, counties=[cluj], published=False)
    make_official(prefecture, counties=[cluj], removed=True)

    level = AdvisoryStructure.TerritorialLevel
    make_structure(prefecture, level.COUNTY, county=cluj, domains=[domain_a])
    make_structure(ministry, level.REGIONAL, region=r["RO42"])
    make_structure(ministry, level.NATIONAL)
    make_structure(ministry, level.COUNTY)
    make_structure(prefecture, level.COUNTY, county=cluj, status="dissolved")
    return {"ministry": ministry, "prefecture": prefecture, "cluj": cluj}


def days_ago(days):
    return timezone.now() - timedelta(days=days)
