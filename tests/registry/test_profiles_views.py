"""Pages of the richer NGO profile (issue 18): who may edit it, by role and by the
organisation's status; the organisation's page showing it; the public lists of projects,
events and calls for volunteers with their filters; each page's query count."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from registry.models import (
    County,
    Domain,
    Organisation,
    OrganisationActivity,
    OrganisationAffiliation,
    OrganisationBranch,
)
from registry.services import profiles as services
from tests.registry.test_organisations_services import make_org
from tests.registry.test_organisations_views import signed_in
from tests.registry.test_profiles_services import activity_fields

pytestmark = pytest.mark.django_db

Status = Organisation.Status
Kind = OrganisationActivity.Kind
ROLES = ("anonymous", "citizen", "ngo_member", "ngo_admin", "civil_servant", "coordinator")


def client_as(client, role, request):
    if role == "anonymous":
        return client
    return signed_in(client, request.getfixturevalue(role))


def make_activity(organisation, actor, kind=Kind.PROJECT, **extra):
    return services.activity_create(
        organisation=organisation, actor=actor, kind=kind, **activity_fields(**extra)
    )


# Who may edit the richer profile and add activities, by the organisation's status: the
# administrators while it may act (or is pending), the coordinators always.
EDIT_GRID = {
    Status.VERIFIED: {"ngo_admin", "coordinator"},
    Status.IMPORTED: {"ngo_admin", "coordinator"},
    Status.PENDING: {"ngo_admin", "coordinator"},
    Status.SUSPENDED: {"coordinator"},
    Status.REJECTED: {"coordinator"},
}


@pytest.mark.parametrize("status", list(EDIT_GRID))
@pytest.mark.parametrize("role", ROLES)
def test_edit_pages_role_by_status_grid(client, organisation, role, status, request):
    """Only the organisation's administrators (while it may act or is pending) and the
    coordinators open the profile, federations, branches and new-activity pages and the
    edit page of an activity; anonymous visitors are sent to sign in, others get 403."""
    request.getfixturevalue("ngo_member")
    admin = request.getfixturevalue("ngo_admin")
    activity = make_activity(organisation, admin)
    Organisation.objects.filter(pk=organisation.pk).update(status=status)
    client = client_as(client, role, request)
    urls = [
        reverse("registry:organisation-profile-edit", args=[organisation.pk]),
        reverse("registry:organisation-affiliations", args=[organisation.pk]),
        reverse("registry:organisation-branches", args=[organisation.pk]),
        reverse("registry:activity-create", args=[organisation.pk, "event"]),
        reverse("registry:activity-edit", args=[activity.pk]),
    ]
    for url in urls:
        response = client.get(url)
        if role in EDIT_GRID[status]:
            assert response.status_code == 200, (url, role, status)
        elif role == "anonymous":
            assert response.status_code == 302 and reverse("account_login") in response.url
        else:
            assert response.status_code == 403, (url, role, status)


# Who sees an activity: anyone when its organisation is public; its members and the
# coordinators otherwise.
@pytest.mark.parametrize(
    "status, readers",
    [
        (Status.VERIFIED, set(ROLES)),
        (Status.IMPORTED, set(ROLES)),
        (Status.PENDING, {"ngo_member", "ngo_admin", "coordinator"}),
        (Status.SUSPENDED, {"ngo_member", "ngo_admin", "coordinator"}),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_activity_page_role_by_status_grid(client, organisation, role, status, readers, request):
    """An activity of a hidden organisation is seen only by its members and the
    coordinators, and is never in the public list."""
    request.getfixturevalue("ngo_member")
    activity = make_activity(organisation, request.getfixturevalue("ngo_admin"))
    Organisation.objects.filter(pk=organisation.pk).update(status=status)
    client = client_as(client, role, request)
    response = client.get(activity.get_absolute_url())
    if role in readers:
        assert response.status_code == 200
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
    listed = client.get(reverse("registry:project-list")).context["activities"]
    assert (activity in listed) == (status in Organisation.PUBLIC_STATUSES)


def test_organisation_page_shows_the_richer_profile(
    client, organisation, ngo_admin, django_assert_num_queries
):
    """Anyone sees where it works, its links, contact person, federations (linked when in
    the registry), branches and activities, each activity marked with its language; the
    page costs the same number of queries with one or many activities."""
    federation = make_org(seed=60, name="Federația Sportului")
    services.organisation_update_profile(
        organisation=organisation,
        actor=ngo_admin,
        activity_area="county",
        activity_counties=[County.objects.get(code="RO113")],
        provides_social_services=True,
        donation_url="https://exemplu.ro/doneaza",
        contact_name="Ioana Popescu",
    )
    services.affiliation_add(
        organisation=organisation, actor=ngo_admin, kind="federation", parent=federation
    )
    services.branch_add(
        organisation=organisation,
        actor=ngo_admin,
        name="Filiala Alba",
        county=County.objects.get(code="RO121"),
    )
    make_activity(organisation, ngo_admin, Kind.EVENT, title="Nyári tábor", language="hu")
    url = organisation.get_absolute_url()
    with django_assert_num_queries(8):  # + counties, regions, federations, branches, activities
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Cluj" in html and "https://exemplu.ro/doneaza" in html and "Ioana Popescu" in html
    assert reverse("registry:organisation-detail", args=[federation.pk]) in html
    assert "Filiala Alba" in html
    assert 'lang="hu">Nyári tábor</a>' in html
    assert reverse("registry:organisation-profile-edit", args=[organisation.pk]) not in html
    for i in range(5):
        make_activity(organisation, ngo_admin, Kind.VOLUNTEERING, title=f"Voluntari {i}")
    with django_assert_num_queries(8):
        client.get(url)
    html = signed_in(client, ngo_admin).get(url).content.decode()
    assert reverse("registry:organisation-profile-edit", args=[organisation.pk]) in html
    assert reverse("registry:activity-create", args=[organisation.pk, "volunteering"]) in html


def test_profile_form_saves_and_shows_errors(client, organisation, ngo_admin):
    """The form saves a county-level profile; a regional one without a region is shown
    again with the message on the regions and nothing saved."""
    client = signed_in(client, ngo_admin)
    url = reverse("registry:organisation-profile-edit", args=[organisation.pk])
    cluj = County.objects.get(code="RO113")
    response = client.post(
        url,
        {
            "activity_area": "county",
            "activity_counties": [cluj.pk],
            "facebook_url": "facebook.com/exemplu",
            "contact_name": "Ioana",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.facebook_url == "https://facebook.com/exemplu"
    response = client.post(url, {"activity_area": "regional"})
    assert response.status_code == 200
    assert "Choose the development regions" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.activity_area == "county"


def test_profile_form_records_the_public_utility_shown_on_the_page(client, organisation, ngo_admin):
    """An administrator ticks public utility with its decision and date; the page shows
    them. Ticked without a decision, the form says what is missing and saves nothing."""
    client = signed_in(client, ngo_admin)
    url = reverse("registry:organisation-profile-edit", args=[organisation.pk])
    assert 'name="public_utility_decision"' in client.get(url).content.decode()

    refused = client.post(url, {"public_utility": "on"})
    assert refused.status_code == 200
    assert "Write the Government decision" in refused.content.decode()
    organisation.refresh_from_db()
    assert not organisation.public_utility

    saved = client.post(
        url,
        {
            "public_utility": "on",
            "public_utility_decision": "HG nr. 1234/2010",
            "public_utility_date": "2010-05-04",
        },
    )
    assert saved.status_code == 302
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Of public utility" in page and "HG nr. 1234/2010" in page


def test_activity_form_creates_edits_and_removes(client, organisation, ngo_admin):
    """An administrator publishes a call for volunteers, edits it and removes it; a wrong
    date range is refused with a message and changes nothing."""
    client = signed_in(client, ngo_admin)
    url = reverse("registry:activity-create", args=[organisation.pk, "volunteering"])
    start = date.today() + timedelta(days=2)
    data = {
        "title": "Voluntari pentru bibliotecă",
        "language": "ro",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=20)).isoformat(),
        "domain": Domain.objects.get(slug="education").pk,
        "county": County.objects.get(code="RO113").pk,
        "volunteers_needed": "4",
    }
    response = client.post(url, data)
    activity = OrganisationActivity.objects.get()
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    assert activity.kind == Kind.VOLUNTEERING and activity.volunteers_needed == 4
    edit = reverse("registry:activity-edit", args=[activity.pk])
    bad = {**data, "ends_on": (start - timedelta(days=1)).isoformat()}
    response = client.post(edit, bad)
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    activity.refresh_from_db()
    assert activity.ends_on == start + timedelta(days=20)
    assert client.post(edit, {**data, "title": "Bibliotecari"}).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Bibliotecari"
    response = client.post(reverse("registry:activity-delete", args=[activity.pk]))
    assert response.status_code == 302 and not OrganisationActivity.objects.exists()
    assert (
        client.get(reverse("registry:activity-create", args=[organisation.pk, "x"])).status_code
        == 404
    )


def test_affiliation_and_branch_pages_add_and_remove(client, organisation, ngo_admin):
    """The federations page links a registry record chosen by suggestion (public records
    only, itself excluded) and removes it; the branches page adds and removes a branch."""
    federation = make_org(seed=61, name="Federația Educației")
    make_org(Status.PENDING, seed=62, name="Federația Ascunsă")
    client = signed_in(client, ngo_admin)
    options = reverse("registry:affiliation-options", args=[organisation.pk])
    found = client.get(options, {"q": "federatia"}).json()
    assert [row["id"] for row in found] == [federation.pk]
    assert client.get(options, {"q": "exemplu"}).json() == []
    url = reverse("registry:organisation-affiliations", args=[organisation.pk])
    assert client.post(url, {"kind": "federation", "parent": federation.pk}).status_code == 302
    affiliation = OrganisationAffiliation.objects.get()
    assert affiliation.parent == federation
    response = client.post(url, {"kind": "coalition"})
    assert response.status_code == 200 and OrganisationAffiliation.objects.count() == 1
    client.post(reverse("registry:affiliation-remove", args=[organisation.pk, affiliation.pk]))
    assert not OrganisationAffiliation.objects.exists()
    url = reverse("registry:organisation-branches", args=[organisation.pk])
    response = client.post(
        url, {"name": "Filiala Cluj", "county": County.objects.get(code="RO113").pk}
    )
    assert response.status_code == 302
    branch = OrganisationBranch.objects.get()
    client.post(reverse("registry:branch-remove", args=[organisation.pk, branch.pk]))
    assert not OrganisationBranch.objects.exists()


@pytest.fixture
def activities(organisation, ngo_admin):
    """Projects in Cluj (education, now) and Bucharest (health, last year), an online
    event, and a project of a pending organisation."""
    today = date.today()
    bucuresti = County.objects.get(code="RO321")
    hidden = make_org(Status.PENDING, seed=70)
    return {
        "school": make_activity(organisation, ngo_admin, title="Școala de vară"),
        "clinic": make_activity(
            organisation,
            ngo_admin,
            title="Caravana medicală",
            domain=Domain.objects.get(slug="health"),
            county=bucuresti,
            locality="București",
            starts_on=today - timedelta(days=400),
            ends_on=today - timedelta(days=300),
        ),
        "webinar": make_activity(
            organisation, ngo_admin, Kind.EVENT, title="Webinar", county=None, is_online=True
        ),
        "hidden": make_activity(hidden, ngo_admin, title="Proiect ascuns"),
    }


def titles(response):
    return [a.title for a in response.context["activities"]]


def test_public_lists_filter_by_text_domain_place_and_dates(
    client, activities, django_assert_num_queries
):
    """The projects list finds by words without diacritics, domain, county, region and
    dates, never lists a hidden organisation's project nor an event; two queries once the
    filter form is cached."""
    url = reverse("registry:project-list")
    # Count and page; the filter form's domains, regions and counties the first time,
    # then it comes from the cache.
    with django_assert_num_queries(5):
        client.get(url)
    with django_assert_num_queries(2):
        response = client.get(url)
    assert titles(response) == ["Școala de vară", "Caravana medicală"]
    assert titles(client.get(url, {"q": "scoala vara"})) == ["Școala de vară"]
    assert titles(client.get(url, {"domain": "health"})) == ["Caravana medicală"]
    assert titles(client.get(url, {"county": "RO321"})) == ["Caravana medicală"]
    assert titles(client.get(url, {"region": "RO11"})) == ["Școala de vară"]
    assert titles(client.get(url, {"current": "on"})) == ["Școala de vară"]
    last_year = (date.today() - timedelta(days=350)).isoformat()
    assert titles(client.get(url, {"date_to": last_year})) == ["Caravana medicală"]
    assert titles(client.get(url, {"date_from": date.today().isoformat()})) == ["Școala de vară"]
    assert titles(client.get(reverse("registry:event-list"))) == ["Webinar"]
    assert titles(client.get(reverse("registry:volunteering-list"))) == []


def test_activity_page_query_count(client, activities, django_assert_num_queries):
    """An activity's page reads it with its organisation, domain, county and region in
    one query."""
    with django_assert_num_queries(1):
        response = client.get(activities["school"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert 'lang="ro">Școala de vară</h1>' in html and "Cluj" in html


def test_coordinators_read_activities_and_their_history_in_the_admin(
    client, coordinator, citizen, organisation, ngo_admin
):
    """Coordinators read activities, federations and branches with their history in the
    administration site, without changing them; other users cannot open them."""
    activity = make_activity(organisation, ngo_admin)
    client.force_login(coordinator)
    for name in (
        "admin:registry_organisationactivity_changelist",
        "admin:registry_organisationaffiliation_changelist",
        "admin:registry_organisationbranch_changelist",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    change = reverse("admin:registry_organisationactivity_change", args=[activity.pk])
    assert not client.get(change).context["has_change_permission"]
    history = reverse("admin:registry_organisationactivity_history", args=[activity.pk])
    versions = client.get(history).context["page_obj"].object_list
    assert [version.history_user for version in versions] == [ngo_admin]
    client.force_login(citizen)
    response = client.get(reverse("admin:registry_organisationactivity_changelist"))
    assert response.status_code == 403


def test_organisation_search_by_where_it_works_and_social_services(client, ngo_admin):
    """The registry's search finds the organisations that work in a county: those that
    name it, those that name its region and the national ones; and filters by area of
    activity and by accredited social services."""
    cluj = County.objects.get(code="RO113")
    local = make_org(seed=110, name="Asociația Locală")
    regional = make_org(seed=111, name="Asociația Regională")
    national = make_org(seed=112, name="Asociația Națională")
    elsewhere = make_org(seed=113, name="Asociația din Alba")
    services.organisation_update_profile(
        organisation=local,
        actor=ngo_admin,
        activity_area="local",
        activity_counties=[cluj],
        provides_social_services=True,
    )
    services.organisation_update_profile(
        organisation=regional,
        actor=ngo_admin,
        activity_area="regional",
        activity_regions=[cluj.region],
    )
    services.organisation_update_profile(
        organisation=national, actor=ngo_admin, activity_area="national"
    )
    services.organisation_update_profile(
        organisation=elsewhere,
        actor=ngo_admin,
        activity_area="county",
        activity_counties=[County.objects.get(code="RO121")],
    )
    url = reverse("registry:organisation-list")

    def names(params):
        return sorted(o.name for o in client.get(url, params).context["organisations"])

    assert names({"works_in": "RO113"}) == [
        "Asociația Locală",
        "Asociația Națională",
        "Asociația Regională",
    ]
    assert names({"activity_area": "national"}) == ["Asociația Națională"]
    assert names({"social_services": "on"}) == ["Asociația Locală"]
    api = client.get("/api/v1/organisations/", {"works_in": "RO121"}).json()
    assert sorted(o["name"] for o in api["results"]) == [
        "Asociația Națională",
        "Asociația din Alba",
    ]


def test_history_page_tells_the_changes_to_activities_federations_and_branches(
    client, coordinator, organisation, ngo_admin
):
    """The organisation's history page lists who added, changed and removed its
    activities, federations and branches."""
    activity = make_activity(organisation, ngo_admin, title="Tabăra de vară")
    services.activity_update(activity=activity, actor=ngo_admin, title="Tabăra de toamnă")
    services.activity_delete(activity=activity, actor=coordinator)
    branch = services.branch_add(
        organisation=organisation,
        actor=ngo_admin,
        name="Filiala Dej",
        county=County.objects.get(code="RO113"),
    )
    services.branch_remove(branch=branch, actor=ngo_admin)
    services.affiliation_add(
        organisation=organisation, actor=ngo_admin, kind="coalition", name="Coaliția Verde"
    )
    response = signed_in(client, coordinator).get(
        reverse("registry:organisation-history", args=[organisation.pk])
    )
    entries = response.context["profile_entries"]
    assert [(e["type"], e["name"]) for e in entries] == [
        ("+", "Coaliția Verde"),
        ("-", "Filiala Dej"),
        ("+", "Filiala Dej"),
        ("-", "Tabăra de toamnă"),
        ("~", "Tabăra de toamnă"),
        ("+", "Tabăra de vară"),
    ]
    assert entries[3]["user"] == coordinator and entries[4]["user"] == ngo_admin
    assert 'lang="ro">Tabăra de vară</span>' in response.content.decode()
