"""Services of the richer NGO profile (issue 18): where the organisation works, social
services, links, contact person, federations and coalitions, branches, and projects,
events and calls for volunteers. Each write is validated, kept in the history and, on a
refusal, changes nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from registry.models import (
    County,
    Domain,
    Organisation,
    OrganisationActivity,
    OrganisationAffiliation,
    Region,
)
from registry.services import profiles as services
from registry.stats import stats_version
from tests.registry.test_organisations_services import make_org

pytestmark = pytest.mark.django_db

Kind = OrganisationActivity.Kind
Area = Organisation.ActivityArea


def activity_fields(**extra):
    fields = {
        "title": "Școala de vară",
        "description": "Ateliere pentru copii.\n\nÎn fiecare sâmbătă.",
        "language": "ro",
        "starts_on": date.today() + timedelta(days=3),
        "ends_on": date.today() + timedelta(days=10),
        "domain": Domain.objects.get(slug="education"),
        "county": County.objects.get(code="RO113"),
        "locality": "Cluj-Napoca",
    }
    fields.update(extra)
    return fields


def test_profile_saves_area_counties_links_and_contact_with_history(organisation, ngo_admin):
    """An administrator's profile is saved as typed (tidied), in one history version
    that names who made it."""
    cluj, alba = County.objects.get(code="RO113"), County.objects.get(code="RO121")
    services.organisation_update_profile(
        organisation=organisation,
        actor=ngo_admin,
        activity_area=Area.COUNTY,
        activity_counties=[cluj, alba],
        provides_social_services=True,
        social_services_accreditation="  AS 1234 ",
        facebook_url="https://facebook.com/exemplu",
        donation_url="https://exemplu.ro/doneaza",
        contact_name="  Ioana   Popescu ",
        contact_email="IOANA@Exemplu.ro",
    )
    organisation.refresh_from_db()
    assert organisation.activity_area == Area.COUNTY
    assert set(organisation.activity_counties.values_list("code", flat=True)) == {"RO113", "RO121"}
    assert organisation.social_services_accreditation == "AS 1234"
    assert organisation.contact_name == "Ioana Popescu"
    assert organisation.contact_email == "ioana@exemplu.ro"
    latest = organisation.history.latest()
    assert latest.history_user == ngo_admin and latest.donation_url == "https://exemplu.ro/doneaza"
    assert organisation.history.filter(history_type="~").count() == 1


def test_national_area_empties_the_lists_and_regional_needs_a_region(organisation, ngo_admin):
    """A national organisation names no county; a regional one must name a region, and
    the refusal leaves the profile as it was."""
    services.organisation_update_profile(
        organisation=organisation,
        actor=ngo_admin,
        activity_area=Area.NATIONAL,
        activity_counties=[County.objects.get(code="RO113")],
    )
    assert not organisation.activity_counties.exists()
    with pytest.raises(ValidationError) as error:
        services.organisation_update_profile(
            organisation=organisation, actor=ngo_admin, activity_area=Area.REGIONAL
        )
    assert "activity_regions" in error.value.error_dict
    organisation.refresh_from_db()
    assert organisation.activity_area == Area.NATIONAL
    services.organisation_update_profile(
        organisation=organisation,
        actor=ngo_admin,
        activity_area=Area.REGIONAL,
        activity_regions=[Region.objects.get(code="RO11")],
    )
    assert list(organisation.activity_regions.values_list("code", flat=True)) == ["RO11"]


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"facebook_url": "javascript:alert(1)"}, "facebook_url"),
        ({"donation_url": "ftp://exemplu.ro"}, "donation_url"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"social_services_accreditation": "AS 1"}, "provides_social_services"),
        ({"public_utility": True}, "public_utility_decision"),
        ({"public_utility_decision": "HG nr. 1/2020"}, "public_utility"),
        (
            {
                "public_utility": True,
                "public_utility_decision": "HG nr. 1/2020",
                "public_utility_date": date.today() + timedelta(days=1),
            },
            "public_utility_date",
        ),
        ({"activity_counties": [County.objects.none]}, None),
    ],
)
def test_bad_profile_input_is_refused_and_changes_nothing(organisation, ngo_admin, fields, field):
    """Unsafe links, a bad e-mail, a certificate without the tick, a public utility
    without its decision (or a decision without the tick, or dated in the future) are
    refused with a message on the field; the record keeps its values."""
    if field is None:  # counties without an area of activity
        fields = {"activity_counties": [County.objects.get(code="RO113")]}
        field = "activity_area"
    with pytest.raises(ValidationError) as error:
        services.organisation_update_profile(organisation=organisation, actor=ngo_admin, **fields)
    assert field in error.value.error_dict
    organisation.refresh_from_db()
    assert organisation.facebook_url == "" and organisation.contact_email == ""
    assert not organisation.activity_counties.exists()
    assert (organisation.public_utility, organisation.public_utility_decision) == (False, "")


def test_affiliation_to_a_registry_record_or_by_name(organisation, ngo_admin):
    """A federation in the registry is linked (its own name shown); one that is not is
    recorded by name; an organisation cannot belong to itself nor twice to the same one."""
    federation = make_org(seed=50, name="Federația Tinerilor")
    linked = services.affiliation_add(
        organisation=organisation,
        actor=ngo_admin,
        kind="federation",
        parent=federation,
        name="ignored",
    )
    assert linked.display_name == "Federația Tinerilor" and linked.name == ""
    named = services.affiliation_add(
        organisation=organisation, actor=ngo_admin, kind="coalition", name=" Coaliția  ONG "
    )
    assert named.display_name == "Coaliția ONG"
    for kwargs, field in (
        ({"parent": organisation}, "parent"),
        ({"parent": federation}, "parent"),
        ({}, "name"),
        ({"parent": make_org(Organisation.Status.PENDING, seed=51)}, "parent"),
    ):
        with pytest.raises(ValidationError) as error:
            services.affiliation_add(
                organisation=organisation, actor=ngo_admin, kind="federation", **kwargs
            )
        assert field in error.value.error_dict
    assert OrganisationAffiliation.objects.filter(organisation=organisation).count() == 2
    services.affiliation_remove(affiliation=named, actor=ngo_admin)
    assert OrganisationAffiliation.history.filter(history_type="-").get().history_user == ngo_admin


def test_branch_needs_name_and_county(organisation, ngo_admin):
    """A branch is saved tidied; one without a county is refused."""
    branch = services.branch_add(
        organisation=organisation,
        actor=ngo_admin,
        name=" Filiala  Alba ",
        county=County.objects.get(code="RO121"),
        email="ALBA@Exemplu.ro",
    )
    assert branch.name == "Filiala Alba" and branch.email == "alba@exemplu.ro"
    with pytest.raises(ValidationError) as error:
        services.branch_add(organisation=organisation, actor=ngo_admin, name="Fără județ")
    assert "county" in error.value.error_dict


def test_activity_is_kept_in_its_language_and_bumps_the_map(
    organisation, ngo_admin, django_capture_on_commit_callbacks
):
    """An activity keeps the text and language it was written in (no translation), is
    searchable without diacritics, and changes the map's statistics version."""
    version = stats_version()
    with django_capture_on_commit_callbacks(execute=True):
        activity = services.activity_create(
            organisation=organisation,
            actor=ngo_admin,
            kind=Kind.EVENT,
            **activity_fields(title="Nyári tábor", language="hu"),
        )
    activity.refresh_from_db()
    assert activity.title == "Nyári tábor" and activity.language == "hu"
    assert "nyari tabor" in activity.search_text
    assert activity.history.get().history_user == ngo_admin
    assert stats_version() != version


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"ends_on": date.today() - timedelta(days=30)}, "ends_on"),
        ({"county": None}, "county"),
        ({"domain": None}, "domain"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_activity_is_refused_and_changes_nothing(organisation, ngo_admin, extra, field):
    """An end before the start, no place, no domain, an unsafe link or no title are
    refused with a message on the field; an edit that fails leaves the activity as it was."""
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            organisation=organisation,
            actor=ngo_admin,
            kind=Kind.PROJECT,
            **activity_fields(**extra),
        )
    assert field in error.value.error_dict
    assert not OrganisationActivity.objects.exists()
    activity = services.activity_create(
        organisation=organisation, actor=ngo_admin, kind=Kind.PROJECT, **activity_fields()
    )
    with pytest.raises(ValidationError):
        services.activity_update(activity=activity, actor=ngo_admin, **extra)
    assert activity.title == "Școala de vară" and activity.county_id is not None
    activity.refresh_from_db()
    assert activity.title == "Școala de vară" and activity.domain is not None


def test_online_activity_needs_no_county_and_only_calls_keep_volunteers(organisation, ngo_admin):
    """An online activity has no county; only a call for volunteers says how many."""
    event = services.activity_create(
        organisation=organisation,
        actor=ngo_admin,
        kind=Kind.EVENT,
        **activity_fields(county=None, is_online=True, volunteers_needed=5),
    )
    assert event.county_id is None and event.volunteers_needed is None
    call = services.activity_create(
        organisation=organisation,
        actor=ngo_admin,
        kind=Kind.VOLUNTEERING,
        **activity_fields(volunteers_needed=5),
    )
    assert call.volunteers_needed == 5
    call_pk = call.pk
    services.activity_delete(activity=call, actor=ngo_admin)
    assert not OrganisationActivity.objects.filter(pk=call_pk).exists()
    assert OrganisationActivity.history.filter(id=call_pk, history_type="-").exists()


def test_public_utility_declared_by_the_admins_until_the_register_says_otherwise(
    organisation, ngo_admin, tmp_path
):
    """The administrators record the Government decision of public utility; an import
    whose row says nothing about it keeps it, and one whose row names a decision replaces
    it, the register being its source."""
    from tests.registry.test_import_xlsx import row, run, write_xlsx

    Organisation.objects.filter(pk=organisation.pk).update(registry_number="7/A/2001")
    organisation.refresh_from_db()
    services.organisation_update_profile(
        organisation=organisation,
        actor=ngo_admin,
        public_utility=True,
        public_utility_decision="  HG nr. 1234/2010 ",
        public_utility_date=date(2010, 5, 4),
    )
    organisation.refresh_from_db()
    assert (organisation.public_utility_decision, organisation.history.latest().history_user) == (
        "HG nr. 1234/2010",
        ngo_admin,
    )
    name = organisation.name

    run(write_xlsx(tmp_path / "RNPJFSP_asociatii_2026-01-12.xlsx", [row(name, "7/A/2001")]))
    organisation.refresh_from_db()
    assert (organisation.public_utility, organisation.public_utility_decision) == (
        True,
        "HG nr. 1234/2010",
    )

    later = [row(name, "7/A/2001", hg="HG nr. 99/2011", hg_date=date(2011, 2, 1))]
    run(write_xlsx(tmp_path / "RNPJFSP_asociatii_2026-01-19.xlsx", later))
    organisation.refresh_from_db()
    assert Organisation.objects.count() == 1  # the file's row is this organisation
    assert (organisation.public_utility_decision, organisation.public_utility_date) == (
        "HG nr. 99/2011",
        date(2011, 2, 1),
    )
