"""Pages of public institutions and their staff."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from registry.models import County, Institution, InstitutionStaff, RelationshipOfficial

from .test_institutions_fixtures import *  # noqa: F403


def _login(client, user):
    client.force_login(user)
    return client


def _make_institutions(n, county, start=0):
    Institution.objects.bulk_create(
        Institution(
            name=f"Primăria {i:03d}",
            search_name=f"primaria {i:03d}",
            kind=Institution.Kind.CITY_HALL,
            level=Institution.Level.LOCAL,
            county=county,
        )
        for i in range(start, start + n)
    )


# --- List ----------------------------------------------------------------------------


def test_search_ignores_diacritics_and_case(en_client, institution, other_institution):
    """ "educatiei" finds "Ministerul Educației" and not the other ministry."""
    response = en_client.get(reverse("registry:institution-list"), {"q": "EDUCATIEI"})
    assert response.status_code == 200
    names = [i.name for i in response.context["object_list"]]
    assert names == ["Ministerul Educației"]
    assert "1 institution found" in response.text


def test_filters_by_kind_level_county_and_region(en_client, institution, county):
    _make_institutions(2, county)
    other = County.objects.get(code="RO321")
    _make_institutions(1, other, start=10)
    url = reverse("registry:institution-list")
    assert en_client.get(url, {"kind": "ministry"}).context["page_obj"].paginator.count == 1
    assert en_client.get(url, {"level": "local"}).context["page_obj"].paginator.count == 3
    assert en_client.get(url, {"county": county.code}).context["page_obj"].paginator.count == 2
    assert en_client.get(url, {"region": "RO32"}).context["page_obj"].paginator.count == 1


def test_sorting_and_pagination_keep_the_filters_in_the_links(en_client, county):
    """The address is shareable: page links keep the search and the sort order."""
    _make_institutions(30, county)
    url = reverse("registry:institution-list")
    response = en_client.get(url, {"q": "primaria", "ordering": "-name"})
    names = [i.name for i in response.context["object_list"]]
    assert names[0] == "Primăria 029"
    assert len(names) == 25
    assert "?q=primaria&amp;ordering=-name&amp;page=2" in response.text
    second = en_client.get(url, {"q": "primaria", "ordering": "-name", "page": 2})
    assert [i.name for i in second.context["object_list"]][-1] == "Primăria 000"


def test_list_counts_published_officials_and_active_structures(
    en_client,
    institution,
    published_official,
    official,
    removed_official,
    structure,
    dissolved_structure,
):
    response = en_client.get(reverse("registry:institution-list"))
    (row,) = [i for i in response.context["object_list"] if i.pk == institution.pk]
    assert row.officials_count == 1
    assert row.structures_count == 1


@pytest.mark.parametrize(
    ("params", "queries"),
    [
        # count and page, and the filter form's regions and counties offered
        ({}, 4),
        # and the county and region named in the filters, looked up by their codes
        ({"q": "primaria", "county": "RO113", "region": "RO11", "ordering": "-name"}, 6),
    ],
)
def test_list_query_count_is_constant(
    en_client, county, django_assert_num_queries, params, queries
):
    """The list costs the same number of queries whatever the number of institutions;
    once its filter form is a cached fragment, the options offered are not read again."""
    url = reverse("registry:institution-list")
    _make_institutions(3, county)
    with django_assert_num_queries(queries):
        en_client.get(url, params)
    _make_institutions(40, county, start=100)
    with django_assert_num_queries(queries - 2):  # regions and counties offered: cached
        response = en_client.get(url, params)
    assert len(response.context["object_list"]) == 25


# --- Detail ---------------------------------------------------------------------------


def test_detail_shows_only_published_officials_to_the_public(
    en_client,
    institution,
    published_official,
    official,
    removed_official,
    structure,
    other_institution,
):
    other_institution.parent = institution
    other_institution.save()
    response = en_client.get(institution.get_absolute_url())
    assert response.status_code == 200
    assert "Mihai Ionescu" in response.text
    assert "Ioana Popescu" not in response.text
    assert "Gheorghe Fost" not in response.text
    assert structure.name in response.text
    assert "Ministerul Sănătății" in response.text  # its subordinate institution
    assert "Staff and requests to join" not in response.text


def test_staff_see_officials_waiting_for_agreement(en_client, institution, official, civil_servant):
    response = _login(en_client, civil_servant).get(institution.get_absolute_url())
    assert "Ioana Popescu" in response.text
    assert "Send a new link to Ioana Popescu" in response.text


def test_detail_query_count_is_constant(
    en_client, institution, domain, county, structure, django_assert_num_queries
):
    """Institution, children, officials with their domains and counties, structures: six
    queries whatever their number."""

    def add_officials(n, start):
        for i in range(start, start + n):
            o = RelationshipOfficial.objects.create(
                institution=institution,
                name=f"Oficial {i}",
                position="x",
                email=f"o{i}@x.ro",
                consented_at="2025-01-01T00:00:00Z",
            )
            o.domains.set([domain])
            o.counties.set([county])

    add_officials(1, 0)
    # +3: the feedback on its public services (issue 21), read once and then cached
    with django_assert_num_queries(9):
        en_client.get(institution.get_absolute_url())
    add_officials(5, 10)
    with django_assert_num_queries(6):
        en_client.get(institution.get_absolute_url())


def test_unknown_institution_is_404(en_client, db):
    assert en_client.get(reverse("registry:institution-detail", args=[999999])).status_code == 404


# --- Create and edit ---------------------------------------------------------------


def test_coordinator_adds_an_institution(en_client, coordinator, county):
    response = _login(en_client, coordinator).post(
        reverse("registry:institution-create"),
        {"name": "Prefectura Cluj", "kind": "prefecture", "level": "county", "county": county.pk},
    )
    institution = Institution.objects.get(name="Prefectura Cluj")
    assert response.status_code == 302 and response.url == institution.get_absolute_url()


def test_county_institution_without_county_gets_a_clear_message(en_client, coordinator):
    response = _login(en_client, coordinator).post(
        reverse("registry:institution-create"),
        {"name": "Prefectura X", "kind": "prefecture", "level": "county"},
    )
    assert response.status_code == 200
    assert "A county or local institution must have its county." in response.text
    assert not Institution.objects.filter(name="Prefectura X").exists()


def test_institution_admin_edits_but_a_member_cannot(
    en_client, institution, institution_admin, civil_servant
):
    url = reverse("registry:institution-edit", args=[institution.pk])
    data = {"name": "Ministerul Educației Naționale", "kind": "ministry", "level": "central"}
    assert _login(en_client, civil_servant).post(url, data).status_code == 403
    institution.refresh_from_db()
    assert institution.name == "Ministerul Educației"
    assert _login(en_client, institution_admin).post(url, data).status_code == 302
    institution.refresh_from_db()
    assert institution.name == "Ministerul Educației Naționale"
    assert institution.search_name == "ministerul educatiei nationale"


def test_anonymous_visitors_are_sent_to_sign_in(client, institution):
    for name in ("institution-edit", "institution-join", "institution-staff"):
        response = client.get(reverse(f"registry:{name}", args=[institution.pk]))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


# --- Joining and staff --------------------------------------------------------------


def test_a_citizen_asks_to_join(
    en_client, citizen, institution, institution_admin, django_capture_on_commit_callbacks
):
    url = reverse("registry:institution-join", args=[institution.pk])
    _login(en_client, citizen)
    assert en_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = en_client.post(url, {"position": "consilier"})
    assert response.status_code == 302
    assert response.url == reverse("registry:my-institutions")
    membership = InstitutionStaff.objects.get(user=citizen)
    assert membership.status == "pending"
    assert mail.outbox[0].to == [institution_admin.email]
    # A second request is not offered while the first waits.
    assert en_client.get(url).status_code == 403


def test_an_unverified_user_cannot_ask_to_join(en_client, unverified_user, institution):
    response = _login(en_client, unverified_user).post(
        reverse("registry:institution-join", args=[institution.pk]), {"position": "x"}
    )
    assert response.status_code == 403
    assert not InstitutionStaff.objects.filter(user=unverified_user).exists()


def test_admin_approves_a_request_from_the_staff_page(
    en_client, institution, institution_admin, pending_staff, django_capture_on_commit_callbacks
):
    membership = InstitutionStaff.objects.get(user=pending_staff)
    _login(en_client, institution_admin)
    page = en_client.get(reverse("registry:institution-staff", args=[institution.pk]))
    assert "Dan Solicitant" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = en_client.post(
            reverse("registry:institution-staff-decide", args=[institution.pk, membership.pk]),
            {"decision": "approve", "role": "member"},
            follow=True,
        )
    assert "Dan Solicitant is now on the staff." in response.text
    membership.refresh_from_db()
    assert membership.status == "approved"
    assert mail.outbox[-1].to == [pending_staff.email]


def test_refusal_without_reason_changes_nothing(
    en_client, institution, institution_admin, pending_staff
):
    membership = InstitutionStaff.objects.get(user=pending_staff)
    response = _login(en_client, institution_admin).post(
        reverse("registry:institution-staff-decide", args=[institution.pk, membership.pk]),
        {"decision": "reject", "reason": ""},
        follow=True,
    )
    assert "Give the reason for the refusal." in response.text
    membership.refresh_from_db()
    assert membership.status == "pending"


def test_forged_decision_for_another_institution_is_refused(
    en_client, institution, other_institution, pending_staff, other_civil_servant
):
    """An admin of another institution gets 403 on this institution's staff, and a row of
    this institution cannot be reached through theirs: nothing changes."""
    membership = InstitutionStaff.objects.get(user=pending_staff)
    InstitutionStaff.objects.filter(user=other_civil_servant).update(role="admin")
    _login(en_client, other_civil_servant)
    direct = en_client.post(
        reverse("registry:institution-staff-decide", args=[institution.pk, membership.pk]),
        {"decision": "approve"},
    )
    assert direct.status_code == 403
    through_own = en_client.post(
        reverse("registry:institution-staff-decide", args=[other_institution.pk, membership.pk]),
        {"decision": "approve"},
    )
    assert through_own.status_code == 404
    membership.refresh_from_db()
    assert membership.status == "pending"


def test_the_last_admin_cannot_be_removed_from_the_page(en_client, institution, institution_admin):
    membership = InstitutionStaff.objects.get(user=institution_admin)
    response = _login(en_client, institution_admin).post(
        reverse("registry:institution-staff-remove", args=[institution.pk, membership.pk]),
        follow=True,
    )
    assert "at least one administrator" in response.text
    assert InstitutionStaff.objects.filter(pk=membership.pk).exists()


def test_admin_changes_a_role(en_client, institution, institution_admin, civil_servant):
    membership = InstitutionStaff.objects.get(user=civil_servant)
    _login(en_client, institution_admin).post(
        reverse("registry:institution-staff-role", args=[institution.pk, membership.pk]),
        {"role": "admin"},
    )
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_staff_page_query_count_is_constant(
    en_client, institution, institution_admin, django_assert_num_queries
):
    from tests.conftest import make_user

    _login(en_client, institution_admin)
    url = reverse("registry:institution-staff", args=[institution.pk])
    en_client.get(url)
    # session, user, institution, roles, staff rows, and the roles of the navigation's rules
    with django_assert_num_queries(6):
        en_client.get(url)
    for i in range(5):
        user = make_user(f"p{i}@gov.example.ro")
        InstitutionStaff.objects.create(institution=institution, user=user, position="x")
    with django_assert_num_queries(6):
        en_client.get(url)


def test_staff_rows_name_each_member_and_their_forms_work(
    client, institution, institution_admin, civil_servant
):
    """Each approved member's row: name and address escaped, position, the current role
    selected, and forms that change the role and remove the person (with a working CSRF
    token, checked by Django's middleware here)."""
    from django.test import Client

    civil_servant.name = "Ana <i>Popa</i>"
    civil_servant.save(update_fields=["name"])
    admin_client = Client(enforce_csrf_checks=True)
    _login(admin_client, institution_admin)
    html = admin_client.get(reverse("registry:institution-staff", args=[institution.pk])).text
    assert "Ana &lt;i&gt;Popa&lt;/i&gt;" in html and "<i>Popa" not in html
    row = InstitutionStaff.objects.get(institution=institution, user=civil_servant)
    assert f'id="member-role-{row.pk}"><option value="admin">' in html
    assert '<option value="member" selected>' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    role_url = reverse("registry:institution-staff-role", args=[institution.pk, row.pk])
    assert f'action="{role_url}"' in html
    response = admin_client.post(role_url, {"role": "admin", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.role == InstitutionStaff.Role.ADMIN


def test_my_institutions_and_leaving(en_client, civil_servant, institution):
    _login(en_client, civil_servant)
    page = en_client.get(reverse("registry:my-institutions"))
    assert "Ministerul Educației" in page.text
    en_client.post(reverse("registry:institution-leave", args=[institution.pk]))
    assert not InstitutionStaff.objects.filter(user=civil_servant).exists()


def test_my_institutions_query_count_is_constant(
    en_client, citizen, county, django_assert_num_queries
):
    en_client.force_login(citizen)
    url = reverse("registry:my-institutions")
    _make_institutions(1, county)
    for institution in Institution.objects.all():
        InstitutionStaff.objects.create(institution=institution, user=citizen, position="x")
    en_client.get(url)
    # session, user, the user's places with their institutions, the roles of the navigation's rules
    with django_assert_num_queries(5):
        en_client.get(url)
    _make_institutions(4, county, start=50)
    for institution in Institution.objects.exclude(staff_memberships__user=citizen):
        InstitutionStaff.objects.create(institution=institution, user=citizen, position="x")
    with django_assert_num_queries(5):
        response = en_client.get(url)
    assert len(response.context["memberships"]) == 5
