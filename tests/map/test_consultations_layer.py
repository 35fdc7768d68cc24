"""The national map's "open consultations" layer."""

import datetime

from consultations.dates import local_today
from consultations.models import Consultation
from consultations.services import close_expired_consultations
from registry.map import selectors
from registry.models import County, Domain, Region
from tests.consultations.conftest import make_consultation

State = Consultation.State


def test_open_consultations_are_counted_where_they_apply(institution):
    """An open consultation counts once in each county it concerns (named, or through a
    named region) and once in each region; national ones at national level; drafts and
    closed ones not at all."""
    cluj, bihor = County.objects.get(code="RO113"), County.objects.get(code="RO111")
    nord_vest = Region.objects.get(code="RO11")
    make_consultation(institution)  # national
    regional = make_consultation(institution, is_national=False)
    regional.regions.add(nord_vest)
    regional.counties.add(cluj)  # named twice: still once in Cluj
    local = make_consultation(institution, is_national=False)
    local.counties.add(bihor)
    make_consultation(institution, state=State.DRAFT, is_national=False).counties.add(bihor)
    make_consultation(institution, state=State.CLOSED)

    stats = selectors.map_statistics()

    counties = {c["code"]: c for c in stats["counties"]}
    regions = {r["code"]: r for r in stats["regions"]}
    assert "consultations" in stats["layers"]
    assert counties["RO113"]["counts"]["consultations"] == 1
    assert counties["RO111"]["counts"]["consultations"] == 2
    assert counties["RO424"]["counts"]["consultations"] == 0  # Ilfov, not concerned
    assert regions["RO11"]["counts"]["consultations"] == 2
    assert stats["national"]["consultations"] == 1
    assert stats["total"]["consultations"] == 3
    assert "/consultations/?region=RO11" in regions["RO11"]["links"]["consultations"]
    assert "state=open" in regions["RO11"]["links"]["consultations"]


def test_domain_filter_applies_to_consultations(institution):
    """With a domain chosen, only the open consultations of that domain count."""
    education = Domain.objects.get(slug="education")
    tagged = make_consultation(institution)
    tagged.domains.add(education)
    make_consultation(institution)

    assert selectors.map_statistics("education")["total"]["consultations"] == 1
    assert selectors.map_statistics()["total"]["consultations"] == 2


def test_closing_a_consultation_refreshes_the_cached_map(
    institution, django_capture_on_commit_callbacks
):
    """The cached numbers change as soon as a consultation whose window ended is closed."""
    today = local_today()
    make_consultation(
        institution,
        opens_on=today - datetime.timedelta(days=15),
        closes_on=today - datetime.timedelta(days=1),
    )
    assert selectors.map_statistics()["total"]["consultations"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert len(close_expired_consultations()) == 1

    assert selectors.map_statistics()["total"]["consultations"] == 0
