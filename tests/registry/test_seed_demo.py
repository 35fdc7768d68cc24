"""`manage.py seed_demo`: the demo set for `make run` and the large registry for
`make bench`."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from stdnum.ro import cui

from conect.accounts.models import User
from conect.core.text import fold
from registry.models import (
    AdvisoryStructure,
    County,
    Domain,
    Institution,
    MembershipCall,
    Organisation,
    OrganisationMembership,
    RelationshipOfficial,
    Seat,
)
from registry.rules.predicates import (
    is_civil_servant,
    is_institution_admin,
    is_ngo_representative,
    is_organisation_admin,
    is_organisation_member,
)


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_demo_set_has_every_role_and_prints_passwords_once(db, client):
    """The demo set makes a user of every role, prints each password once, and each one
    can sign in with it."""
    output = seed()

    passwords = dict(re.findall(r"^  (\S+@conect\.demo)  (\S+)$", output, re.MULTILINE))
    assert len(passwords) == 8
    for email, password in passwords.items():
        assert client.login(username=email, password=password), email
        client.logout()

    users = {u.email: u for u in User.objects.filter(email__in=passwords)}
    assert users["coordonator@conect.demo"].is_coordinator
    verified = Organisation.objects.get(name="Asociația Educație Deschisă")
    assert verified.status == "verified"
    assert is_organisation_admin(users["ong.admin@conect.demo"], verified)
    assert is_organisation_member(users["ong.membru@conect.demo"], verified)
    assert not is_organisation_admin(users["ong.membru@conect.demo"], verified)
    assert is_ngo_representative(users["ong.admin@conect.demo"])
    pending = Organisation.objects.get(status="pending")
    # The admin of an organisation waiting for verification cannot act for it yet.
    assert OrganisationMembership.objects.filter(
        organisation=pending, user=users["ong.nou@conect.demo"], role="admin"
    ).exists()
    assert not is_ngo_representative(users["ong.nou@conect.demo"])
    assert not is_ngo_representative(users["cetatean@conect.demo"])
    ministry = Institution.objects.get(kind="ministry")
    assert is_civil_servant(users["functionar@conect.demo"])
    assert is_institution_admin(users["institutie.admin@conect.demo"], ministry)
    assert not is_institution_admin(users["functionar@conect.demo"], ministry)

    assert set(Organisation.objects.values_list("status", flat=True)) == {
        "verified",
        "pending",
        "imported",
    }
    assert set(Institution.objects.values_list("kind", flat=True)) >= {
        "ministry",
        "prefecture",
        "county_council",
        "city_hall",
    }
    officials = RelationshipOfficial.objects.all()
    assert officials.count() >= 2
    assert all(o.is_published for o in officials)
    assert AdvisoryStructure.objects.count() == 2
    assert Seat.objects.filter(organisation__isnull=False).count() == 2
    assert Seat.objects.filter(official__isnull=False).count() == 2
    assert [c.is_open() for c in MembershipCall.objects.all()] == [True]


def test_demo_set_again_says_it_exists_and_changes_nothing(db, django_assert_max_num_queries):
    """Run again, the demo set prints no password, creates nothing and is quick."""
    seed()
    before = (User.objects.count(), Organisation.objects.count(), Seat.objects.count())

    # The demo users, one organisation, and the savepoint around them.
    with django_assert_max_num_queries(4):
        output = seed()

    assert "already loaded" in output
    assert "@conect.demo  " not in output
    assert (User.objects.count(), Organisation.objects.count(), Seat.objects.count()) == before


def test_demo_set_creates_domains_when_none_exist(db):
    """Without the seeded domains, the demo set creates a few so that NGOs have some."""
    Domain.objects.all().delete()
    seed()
    assert Domain.objects.count() >= 5
    assert Organisation.objects.filter(domains__isnull=False).exists()


def test_registry_option_builds_a_realistic_registry(db):
    """--organisations N builds N organisations with Romanian names, valid and unique
    fiscal codes and registry numbers, counties, domains, members and mostly verified or
    imported statuses."""
    output = seed("--organisations", "400")

    assert "400 organisations" in output
    orgs = list(Organisation.objects.all())
    assert len(orgs) == 400
    assert all(cui.is_valid(o.fiscal_code) for o in orgs)
    assert len({o.registry_number for o in orgs}) == 400
    assert all(o.search_name == fold(o.name) for o in orgs)
    assert any(ch in "".join(o.name for o in orgs) for ch in "șțăâî")
    assert sum(o.status in ("verified", "imported") for o in orgs) > 300
    assert len({o.county_id for o in orgs}) > 20
    bucharest = County.objects.get(vehicle_code="B")
    tulcea = County.objects.get(vehicle_code="TL")
    # Weighted by population: Bucharest (1.7 million) has more than Tulcea (190,000).
    assert sum(o.county_id == bucharest.pk for o in orgs) > sum(
        o.county_id == tulcea.pk for o in orgs
    )
    assert not Organisation.objects.filter(domains__isnull=True).exists()
    admins = OrganisationMembership.objects.filter(role="admin")
    assert (
        admins.count()
        == Organisation.objects.filter(status__in=["verified", "pending", "suspended"]).count()
    )
    assert not User.objects.filter(email__endswith="ong.bench.conect.demo")[0].has_usable_password()


@pytest.mark.parametrize("second", [400, 300])
def test_registry_option_is_idempotent(db, second):
    """With N organisations already there, --organisations N (or less) does nothing."""
    seed("--organisations", "400")
    counts = (Organisation.objects.count(), User.objects.count())

    output = seed("--organisations", str(second))

    assert "already has 400 organisations" in output
    assert (Organisation.objects.count(), User.objects.count()) == counts


def test_registry_option_tops_up_to_n(db):
    """Asked for more than there are, it adds only the missing organisations, without
    clashing with the existing fiscal codes or registry numbers."""
    seed("--organisations", "100")
    seed("--organisations", "150")
    assert Organisation.objects.count() == 150
    assert Organisation.objects.values("registry_number").distinct().count() == 150


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search vectors are PostgreSQL's")
def test_registry_option_makes_organisations_searchable(db):
    """The organisations built for the benchmark have their full-text vectors."""
    seed("--organisations", "50")
    assert not Organisation.objects.filter(search_vector__isnull=True).exists()


def test_registry_option_builds_the_public_sector_once(db, monkeypatch):
    """--organisations N also builds a country's institutions (ministries and agencies, a
    prefecture and a county council per county, city halls shared by population), a
    published official for most, advisory structures with seats held by exactly one
    organisation or official; a second run leaves them as they are."""
    from registry.management.commands import seed_demo

    monkeypatch.setattr(seed_demo, "CITY_HALLS", 200)
    output = seed("--organisations", "300")

    counties = County.objects.count()
    assert Institution.objects.filter(kind="ministry").count() == len(seed_demo.MINISTRIES)
    assert Institution.objects.filter(kind="central_agency", parent__kind="ministry").exists()
    for kind in ("prefecture", "county_council"):
        assert Institution.objects.filter(kind=kind).values("county").distinct().count() == (
            counties
        )
    assert 190 <= Institution.objects.filter(kind="city_hall").count() <= 250  # by rounding
    institutions = Institution.objects.count()
    assert f"{institutions:,} institutions" in output
    assert all(i.search_name == fold(i.name) for i in Institution.objects.all()[:50])

    officials = RelationshipOfficial.objects.all()
    assert officials.count() > institutions / 3
    assert all(official.is_published for official in officials)
    assert RelationshipOfficial.counties.through.objects.exists()

    seats = Seat.objects.all()
    assert AdvisoryStructure.objects.exists() and seats.exists()
    assert all((s.organisation_id is None) != (s.official_id is None) for s in seats)
    assert not seats.exclude(organisation__status="verified").filter(official=None).exists()
    assert seats.filter(mandate_end__isnull=False).exists()

    again = seed("--organisations", "300")
    assert f"already has {institutions:,} institutions" in again
    assert Institution.objects.count() == institutions
