"""Pages of organisations: list and search, detail, registration, claim, edit, members,
invitations, my organisations, the verification queue and the history."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from registry.models import (
    AdvisoryStructure,
    County,
    Domain,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    Seat,
)
from registry.services import organisations as services
from tests.conftest import make_user
from tests.registry.test_organisations_services import make_org, valid_cui

Status = Organisation.Status
Role = OrganisationMembership.Role
LIST_URL = reverse("registry:organisation-list")


@pytest.fixture
def en_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.cookies["conect_language"] = "en"
    return client


def signed_in(client, user):
    """Sign in; pages then speak the user's language, which tests set to English."""
    if user.preferred_language != "en":
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
    client.force_login(user)
    return client


def names_in(response) -> list[str]:
    return [o.name for o in response.context["organisations"]]


@pytest.fixture
def registry_rows(db):
    """A small registry: organisations in several counties, domains and statuses."""
    cluj, bucuresti = County.objects.get(code="RO113"), County.objects.get(code="RO321")
    education, health = Domain.objects.get(slug="education"), Domain.objects.get(slug="health")
    rows = [
        ("Asociația Științescu", Status.VERIFIED, cluj, [education], "association"),
        ("Fundația Sănătate Pentru Toți", Status.IMPORTED, bucuresti, [health], "foundation"),
        ("Asociatia Zorilor", Status.IMPORTED, bucuresti, [education, health], "association"),
        ("Federația Ascunsă", Status.PENDING, cluj, [education], "federation"),
        ("Asociația Respinsă", Status.REJECTED, cluj, [], "association"),
        ("Asociația Suspendată", Status.SUSPENDED, cluj, [], "association"),
    ]
    created = []
    for seed, (name, status, county, domains, form) in enumerate(rows, start=100):
        org = services.organisation_create(
            actor=make_user(f"creator{seed}@example.org"),
            name=name,
            legal_form=form,
            fiscal_code=valid_cui(seed),
            county=county,
            domains=domains,
            description="Proiecte pentru comunitate.",
        )
        Organisation.objects.filter(pk=org.pk).update(status=status)
        created.append(org)
    return created


# --- List ----------------------------------------------------------------------------


def test_list_shows_only_public_organisations_with_the_count(en_client, registry_rows):
    """Everyone sees verified and imported organisations, sorted by name ignoring
    diacritics, with the number found."""
    response = en_client.get(LIST_URL)
    assert response.status_code == 200
    assert names_in(response) == [
        "Asociația Științescu",
        "Asociatia Zorilor",
        "Fundația Sănătate Pentru Toți",
    ]
    assert "3 organisations found" in response.content.decode()


@pytest.mark.parametrize("query", ["asociatia", "ASOCIAȚIA", "Asociaţia", "stiintescu"])
def test_search_ignores_diacritics_and_case(en_client, registry_rows, query):
    """ "asociatia" finds "Asociația", in any case and with cedilla or comma diacritics."""
    response = en_client.get(LIST_URL, {"q": query})
    assert "Asociația Științescu" in names_in(response)
    assert "Fundația Sănătate Pentru Toți" not in names_in(response)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"county": "RO113"}, ["Asociația Științescu"]),
        ({"region": "RO32"}, ["Asociatia Zorilor", "Fundația Sănătate Pentru Toți"]),
        ({"domain": "health"}, ["Asociatia Zorilor", "Fundația Sănătate Pentru Toți"]),
        ({"legal_form": "foundation"}, ["Fundația Sănătate Pentru Toți"]),
        ({"status": "verified"}, ["Asociația Științescu"]),
        ({"q": "asociatia", "region": "RO32", "domain": "education"}, ["Asociatia Zorilor"]),
        (
            {"ordering": "-name"},
            ["Fundația Sănătate Pentru Toți", "Asociatia Zorilor", "Asociația Științescu"],
        ),
    ],
)
def test_filters_and_sorting(en_client, registry_rows, params, expected):
    """Region, county, domain, legal form, status and sorting narrow and order the list."""
    assert names_in(en_client.get(LIST_URL, params)) == expected


def test_status_filter_cannot_reveal_hidden_organisations(en_client, registry_rows):
    """Asking for pending organisations is not a way to see them."""
    response = en_client.get(LIST_URL, {"status": "pending"})
    assert "Federația Ascunsă" not in names_in(response)


def test_pagination_keeps_the_search_in_its_links(en_client, registry_rows):
    """Page links keep every parameter, so a page of results can be shared; the current
    page is marked for assistive technologies."""
    response = en_client.get(LIST_URL, {"q": "a", "per_page": 10, "page": 1})
    assert response.context["per_page"] == 10
    for seed in range(30):
        make_org(Status.VERIFIED, seed=200 + seed, name=f"Asociația Extra {seed:02d}")
    response = en_client.get(LIST_URL, {"q": "asociatia", "per_page": 10, "page": 2})
    html = response.content.decode()
    assert response.context["page_obj"].number == 2
    assert len(response.context["organisations"]) == 10
    assert 'aria-label="Pages of results"' in html
    assert 'aria-current="page"' in html
    links = re.findall(r'href="(\?[^"]*page=3[^"]*)"', html)
    assert links and "q=asociatia" in links[0] and "per_page=10" in links[0]


def test_unknown_page_size_falls_back_to_the_default(en_client, registry_rows):
    """A page size that is not offered is ignored."""
    assert en_client.get(LIST_URL, {"per_page": 100000}).context["per_page"] == 25


def test_list_is_accessible(en_client, registry_rows):
    """The filter form has labels and a search landmark; the table a caption and scopes."""
    html = en_client.get(LIST_URL).content.decode()
    assert 'role="search"' in html
    for name in ("q", "region", "county", "domain", "legal_form", "status", "ordering"):
        assert f'<label class="form-label" for="id_{name}"' in html
    assert '<label class="form-label" for="id_per_page"' in html
    assert "<caption>" in html
    assert '<th scope="col">' in html and '<th scope="row">' in html


def test_list_keeps_the_choices_made_and_translates_them(client, registry_rows):
    """The search form shows what was chosen (region, county, domain, order) and, in
    Romanian, labels every choice in Romanian, the descending orders included; each row
    links to the organisation's page, with its county, region and status."""
    response = client.get(
        LIST_URL,
        {"county": "RO113", "region": "RO11", "domain": "education", "ordering": "-name"},
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    html = response.content.decode()
    for value in ("RO113", "RO11", "education", "-name"):
        assert f'<option value="{value}" selected>' in html
    assert "denumire (descrescător)" in html and "(descending)" not in html
    assert response.context["organisations"], "the fixture has an education NGO in Cluj"
    for organisation in response.context["organisations"]:
        assert f'<a href="{organisation.get_absolute_url()}">' in html
        assert organisation.county.name == "Cluj"
    assert '<div class="small text-muted">Nord-Vest</div>' in html


def test_list_rows_escape_what_organisations_wrote(en_client, db):
    """Names and localities are shown as text, never as markup."""
    make_org(Status.VERIFIED, seed=77, name='Asociația <b>Bold</b> & "Co"', locality="<i>Dej</i>")
    html = en_client.get(LIST_URL).content.decode()
    assert "Asociația &lt;b&gt;Bold&lt;/b&gt; &amp; &quot;Co&quot;" in html
    assert "&lt;i&gt;Dej&lt;/i&gt;" in html
    assert "<b>Bold</b>" not in html and "<i>Dej</i>" not in html


def test_list_query_count_does_not_grow_with_page_size(
    en_client, registry_rows, django_assert_num_queries
):
    """The list costs the same queries for 10 or 100 rows: the latest change (the
    results' cache key), count, page (with its rows' counties and regions), the domains
    of the page and the filter form's regions, counties (twice: the county and "works
    in") and domains offered. Filtering by a county and a domain looks each up by its
    code."""
    for seed in range(40):
        make_org(Status.VERIFIED, seed=300 + seed, name=f"Org {seed:02d}")
    for per_page in (10, 100):
        with django_assert_num_queries(8):
            response = en_client.get(LIST_URL, {"per_page": per_page, "q": "org"})
        assert len(response.context["organisations"]) == min(per_page, 40)
    with django_assert_num_queries(10):
        response = en_client.get(
            LIST_URL, {"per_page": 100, "county": "RO113", "domain": "education"}
        )
    assert response.status_code == 200 and not response.context["filter"].errors


# --- Detail --------------------------------------------------------------------------


@pytest.fixture
def seat(organisation, institution):
    structure = AdvisoryStructure.objects.create(
        institution=institution,
        name="Consiliul Consultativ pentru Educație",
        kind=AdvisoryStructure.Kind.COUNCIL,
        territorial_level=AdvisoryStructure.TerritorialLevel.NATIONAL,
    )
    return Seat.objects.create(
        structure=structure,
        organisation=organisation,
        role=Seat.Role.VICE_PRESIDENT,
        mandate_start=date.today() - timedelta(days=30),
    )


def test_detail_shows_public_fields_domains_region_and_seats(en_client, organisation, seat):
    """Anyone sees a verified organisation with its county, region and seats, each seat
    linking to its advisory structure; members, history and actions stay hidden."""
    organisation.domains.add(Domain.objects.get(slug="youth"))
    Organisation.objects.filter(pk=organisation.pk).update(status_reason="internal note")
    response = en_client.get(organisation.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cluj" in html and "Nord-Vest" in html
    assert "Youth" in html
    assert reverse("registry:structure-detail", args=[seat.structure_id]) in html
    assert "Vice-president" in html
    assert "internal note" not in html
    assert reverse("registry:organisation-history", args=[organisation.pk]) not in html
    assert reverse("registry:organisation-members", args=[organisation.pk]) not in html


def test_detail_escapes_and_sanitises_the_description(en_client, organisation):
    """A description written by other means (import, admin) is still shown safely."""
    Organisation.objects.filter(pk=organisation.pk).update(
        description="<p>Bun</p><script>alert(1)</script><img src=x onerror=alert(2)>"
    )
    html = en_client.get(organisation.get_absolute_url()).content.decode()
    assert "<p>Bun</p>" in html
    assert "<script>alert(1)" not in html and "onerror" not in html


@pytest.mark.parametrize("status", [Status.PENDING, Status.REJECTED, Status.SUSPENDED])
def test_hidden_organisations_for_anonymous_citizens_members(client, organisation, status, request):
    """Pending, rejected and suspended organisations: anonymous visitors are sent to sign
    in, citizens get 403, members and coordinators see the page with a notice."""
    member = request.getfixturevalue("ngo_member")
    citizen = request.getfixturevalue("citizen")
    coordinator = request.getfixturevalue("coordinator")
    Organisation.objects.filter(pk=organisation.pk).update(status=status, status_reason="Motiv X")
    url = organisation.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response.url
    assert signed_in(client, citizen).get(url).status_code == 403
    for user in (member, coordinator):
        response = signed_in(client, user).get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert 'role="note"' in response.content.decode()
        if status != Status.PENDING:
            assert "Motiv X" in response.content.decode()


def test_detail_for_admins_lists_members_and_for_coordinators_history_and_actions(
    client, organisation, ngo_admin, ngo_member, coordinator
):
    """Admins see the members; coordinators also see the history link and the actions."""
    html = signed_in(client, ngo_admin).get(organisation.get_absolute_url()).content.decode()
    assert ngo_member.name in html
    assert reverse("registry:organisation-members", args=[organisation.pk]) in html
    assert reverse("registry:organisation-history", args=[organisation.pk]) not in html
    html = signed_in(client, coordinator).get(organisation.get_absolute_url()).content.decode()
    assert reverse("registry:organisation-history", args=[organisation.pk]) in html
    assert reverse("registry:organisation-status", args=[organisation.pk]) in html


def test_imported_organisation_without_admin_invites_a_claim(en_client, db):
    """An imported record nobody administers links to the claim, with its fiscal code."""
    imported = make_org(Status.IMPORTED, seed=40)
    html = en_client.get(imported.get_absolute_url()).content.decode()
    assert f"{reverse('registry:organisation-claim')}?fiscal_code={imported.fiscal_code}" in html


def test_coordinators_see_who_created_and_who_changed_the_status(
    client, organisation, ngo_admin, citizen, coordinator, django_assert_num_queries
):
    """The coordinators' page names who created the organisation (with the address) and
    who last changed its status; the public page names neither. Read in one query with
    the organisation, whoever the authors are."""
    Organisation.objects.filter(pk=organisation.pk).update(
        created_by=citizen, status_changed_by=coordinator, status_changed_at=timezone.now()
    )
    citizen.name, coordinator.name = "Ana Creatoare", "Victor Verificatorul"
    citizen.save(update_fields=["name"])
    coordinator.save(update_fields=["name"])
    url = organisation.get_absolute_url()
    public = client.get(url).text
    assert "Ana Creatoare" not in public and citizen.email not in public
    signed_in(client, coordinator)
    client.get(url)
    # session, user, organisation with its authors, domains, seats, roles (organisation
    # and institution), members (the coordinators manage them) with their accounts,
    # verified e-mail (the navigation); + the richer profile's counties, regions,
    # federations, branches and activities
    # +1: the coordinator's second factor, checked on every page
    with django_assert_num_queries(15):
        html = client.get(url).text
    assert f"Ana Creatoare ({citizen.email})" in html
    assert "· Victor Verificatorul" in html
    assert ngo_admin.name in html  # the members

    Organisation.objects.filter(pk=organisation.pk).update(created_by=None)
    html = client.get(url).text
    assert "Ana Creatoare" not in html
    assert "<dd>—</dd>" in html


def test_detail_query_counts(client, organisation, seat, ngo_admin, django_assert_num_queries):
    """The detail page costs a constant number of queries, for a visitor and an admin."""
    organisation.domains.add(*Domain.objects.all()[:3])
    url = organisation.get_absolute_url()
    with django_assert_num_queries(8):  # organisation, domains, seats + its richer profile's 5
        client.get(url)
    for number in range(3):  # more seats, in other structures: still one query for them
        structure = AdvisoryStructure.objects.create(
            institution=seat.structure.institution,
            name=f"Grupul de lucru {number}",
            kind=AdvisoryStructure.Kind.COUNCIL,
            territorial_level=AdvisoryStructure.TerritorialLevel.NATIONAL,
        )
        Seat.objects.create(
            structure=structure,
            organisation=organisation,
            role=Seat.Role.MEMBER,
            mandate_start=seat.mandate_start,
        )
    with django_assert_num_queries(8):
        assert "Grupul de lucru 2" in client.get(url).content.decode()
    signed_in(client, ngo_admin)
    # + session, user, roles (organisations, institutions), verified e-mail, members and
    # the navigation's unread notifications (the named rules answer every permission:
    # Django's permission tables are not read)
    with django_assert_num_queries(15):
        client.get(url)
    imported = make_org(Status.IMPORTED, seed=51)
    client.logout()
    with django_assert_num_queries(9):  # + is there an administrator (the claim link)
        client.get(imported.get_absolute_url())


def test_unknown_organisation_is_404(client, db):
    assert client.get(reverse("registry:organisation-detail", args=[999999])).status_code == 404


# --- Registering and claiming --------------------------------------------------------


def organisation_post(**overrides):
    data = {
        "name": "Asociația Nouă",
        "legal_form": "association",
        "fiscal_code": valid_cui(60),
        "county": County.objects.get(code="RO113").pk,
        "description": "<p>Despre noi</p><script>x()</script>",
        "domains": [Domain.objects.get(slug="education").pk],
    }
    data.update(overrides)
    return data


def test_create_page_registers_a_pending_organisation(en_client, citizen):
    """A citizen registers an organisation and lands on its page, pending."""
    signed_in(en_client, citizen)
    response = en_client.post(reverse("registry:organisation-create"), organisation_post())
    organisation = Organisation.objects.get()
    assert response.status_code == 302 and response.url == organisation.get_absolute_url()
    assert organisation.status == Status.PENDING
    assert "<script>" not in organisation.description
    page = en_client.get(response.url)
    assert "pending verification" in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"fiscal_code": "18547291"}, "fiscal_code", "control digit"),
        ({"fiscal_code": "ABC"}, "fiscal_code", "2 to 10 digits"),
        ({"fiscal_code": "18547290"}, "fiscal_code", "already registered"),
        ({"registry_number": "7/A/2000"}, "registry_number", "already registered"),
        ({"website": "not a url at all"}, "website", "valid URL"),
    ],
)
def test_create_page_shows_clear_errors_and_creates_nothing(
    en_client, citizen, organisation, overrides, field, message
):
    """Bad input is shown next to its field, and nothing is created."""
    Organisation.objects.filter(pk=organisation.pk).update(registry_number="7/A/2000")
    signed_in(en_client, citizen)
    response = en_client.post(
        reverse("registry:organisation-create"), organisation_post(**overrides)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Organisation.objects.count() == 1


def test_create_page_refuses_a_non_image_logo(en_client, citizen):
    """A logo that is not an image is refused with a message."""
    signed_in(en_client, citizen)
    data = organisation_post(logo=SimpleUploadedFile("logo.png", b"not an image"))
    response = en_client.post(reverse("registry:organisation-create"), data)
    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_create_and_claim_pages_need_a_verified_user(client, unverified_user):
    """Anonymous visitors are sent to sign in; users without a verified e-mail get 403."""
    for name in ("registry:organisation-create", "registry:organisation-claim"):
        url = reverse(name)
        assert client.get(url).status_code == 302
        assert signed_in(client, unverified_user).get(url).status_code == 403
        client.logout()


def test_claim_page(en_client, citizen):
    """A citizen claims an imported organisation by its fiscal code and must confirm."""
    imported = make_org(Status.IMPORTED, seed=41)
    signed_in(en_client, citizen)
    url = reverse("registry:organisation-claim")
    response = en_client.post(url, {"fiscal_code": imported.fiscal_code})
    assert response.status_code == 200 and "confirm" in response.context["form"].errors
    response = en_client.post(url, {"fiscal_code": f"RO{imported.fiscal_code}", "confirm": "on"})
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.status == Status.PENDING
    assert imported.memberships.get().user == citizen


def test_claim_page_refuses_an_organisation_with_an_admin(
    en_client, citizen, ngo_admin, organisation
):
    """The claim of an administered organisation is refused with a clear message."""
    signed_in(en_client, citizen)
    response = en_client.post(
        reverse("registry:organisation-claim"),
        {"fiscal_code": organisation.fiscal_code, "confirm": "on"},
    )
    assert "already has an administrator" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.status == Status.VERIFIED


# --- Editing -------------------------------------------------------------------------


def edit_post(organisation, **overrides):
    data = {
        "name": organisation.name,
        "legal_form": organisation.legal_form,
        "fiscal_code": organisation.fiscal_code,
        "county": organisation.county_id or "",
        "locality": "Cluj-Napoca",
        "description": "Nouă descriere",
    }
    data.update(overrides)
    return data


def test_admin_edits_the_profile(client, ngo_admin, organisation):
    """An admin saves the profile and returns to the organisation's page."""
    signed_in(client, ngo_admin)
    response = client.post(
        reverse("registry:organisation-edit", args=[organisation.pk]), edit_post(organisation)
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.locality == "Cluj-Napoca"


def test_admin_cannot_change_the_identity_of_a_verified_organisation(
    client, ngo_admin, organisation
):
    """The identity fields are locked for an admin: a posted name is ignored."""
    signed_in(client, ngo_admin)
    client.post(
        reverse("registry:organisation-edit", args=[organisation.pk]),
        edit_post(organisation, name="Numele Altcuiva", fiscal_code=valid_cui(61)),
    )
    organisation.refresh_from_db()
    assert organisation.name == "Asociația Exemplu"
    assert organisation.fiscal_code == "18547290"
    assert organisation.locality == "Cluj-Napoca"


def test_forged_post_editing_another_organisation_is_403_and_changes_nothing(
    client, ngo_admin, organisation
):
    """An admin of one organisation posting the edit form of another gets 403; the other
    organisation is unchanged."""
    other = make_org(Status.VERIFIED, seed=42, locality="Iași")
    signed_in(client, ngo_admin)
    response = client.post(
        reverse("registry:organisation-edit", args=[other.pk]), edit_post(other, locality="X")
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.locality == "Iași"


@pytest.mark.parametrize("status", [Status.REJECTED, Status.SUSPENDED])
def test_admin_of_a_rejected_or_suspended_organisation_cannot_edit(
    client, ngo_admin, organisation, status
):
    """A rejected or suspended organisation cannot act: its admin gets 403."""
    Organisation.objects.filter(pk=organisation.pk).update(status=status)
    signed_in(client, ngo_admin)
    url = reverse("registry:organisation-edit", args=[organisation.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, edit_post(organisation)).status_code == 403
    organisation.refresh_from_db()
    assert organisation.locality == ""


def test_edit_with_an_oversized_logo_changes_nothing(en_client, ngo_admin, organisation):
    """A logo over 2 MB gives a message and the profile keeps its values."""
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="PNG")
    big = SimpleUploadedFile("big.png", buffer.getvalue() + b"\0" * (2 * 1024 * 1024))
    signed_in(en_client, ngo_admin)
    response = en_client.post(
        reverse("registry:organisation-edit", args=[organisation.pk]),
        edit_post(organisation, logo=big),
    )
    assert response.status_code == 200
    assert "at most 2 MB" in " ".join(response.context["form"].errors["logo"])
    organisation.refresh_from_db()
    assert organisation.locality == "" and not organisation.logo


# --- Members and invitations ---------------------------------------------------------


def test_members_page_invites_changes_roles_and_removes(
    client, ngo_admin, ngo_member, organisation, django_capture_on_commit_callbacks
):
    """An admin invites by e-mail, promotes a member and removes one."""
    signed_in(client, ngo_admin)
    url = reverse("registry:organisation-members", args=[organisation.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "nou@example.org", "role": "member"})
    assert response.status_code == 302
    assert OrganisationInvitation.objects.get().email == "nou@example.org"
    member = organisation.memberships.get(user=ngo_member)
    client.post(
        reverse("registry:organisation-member-role", args=[organisation.pk, member.pk]),
        {"role": "admin"},
    )
    member.refresh_from_db()
    assert member.role == Role.ADMIN
    client.post(reverse("registry:organisation-member-remove", args=[organisation.pk, member.pk]))
    assert not organisation.memberships.filter(user=ngo_member).exists()


def test_removing_the_last_admin_shows_a_message(en_client, ngo_admin, organisation):
    """The page refuses to remove the last administrator and says why."""
    signed_in(en_client, ngo_admin)
    membership = organisation.memberships.get(user=ngo_admin)
    response = en_client.post(
        reverse("registry:organisation-member-remove", args=[organisation.pk, membership.pk]),
        follow=True,
    )
    assert "at least one administrator" in response.content.decode()
    assert organisation.memberships.filter(user=ngo_admin).exists()


def test_forged_member_removal_in_another_organisation(client, ngo_admin, organisation):
    """A membership of another organisation cannot be reached through one's own (404),
    nor through the other's address (403)."""
    stranger = make_user("other-admin@example.org")
    other = make_org(Status.VERIFIED, seed=43, admin=stranger, member=make_user("m@x.org"))
    victim = other.memberships.get(role=Role.MEMBER)
    signed_in(client, ngo_admin)
    own_url = reverse("registry:organisation-member-remove", args=[organisation.pk, victim.pk])
    other_url = reverse("registry:organisation-member-remove", args=[other.pk, victim.pk])
    assert client.post(own_url).status_code == 404
    assert client.post(other_url).status_code == 403
    assert other.memberships.count() == 2


def test_members_page_query_count_is_constant(
    en_client, ngo_admin, organisation, django_assert_num_queries
):
    """However many members and invitations: session, user, the organisation, its
    domains, the members with their accounts, the open invitations with who sent them,
    and the navigation's verified e-mail and roles. Each row names its person; an
    expired invitation is marked; a sender whose account is gone shows as a dash."""
    url = reverse("registry:organisation-members", args=[organisation.pk])
    signed_in(en_client, ngo_admin)
    en_client.get(url)
    with django_assert_num_queries(9):
        en_client.get(url)
    sender = make_user("expeditor@example.org", name="Sorin Expeditor")
    for index in range(4):
        user = make_user(f"m{index}@example.org", name=f"Membru <b>{index}</b>")
        OrganisationMembership.objects.create(organisation=organisation, user=user)
        OrganisationInvitation.objects.create(
            organisation=organisation,
            email=f"invitat{index}@example.org",
            nonce=f"n{index}",
            invited_by=sender if index < 3 else None,
            expires_at=timezone.now() + timedelta(days=-1 if index == 0 else 7),
        )
    with django_assert_num_queries(9):
        html = en_client.get(url).text
    assert html.count("Membru &lt;b&gt;") >= 4 and "Membru <b>" not in html
    assert html.count("invitat") >= 4
    assert html.count("Sorin Expeditor") == 3
    assert html.count('<span class="badge text-bg-warning">expired</span>') == 1
    last = OrganisationMembership.objects.filter(organisation=organisation).latest("pk")
    remove = reverse("registry:organisation-member-remove", args=[organisation.pk, last.pk])
    assert f'action="{remove}"' in html


def test_members_page_is_for_admins(client, ngo_member, organisation):
    """A plain member cannot manage the members."""
    signed_in(client, ngo_member)
    url = reverse("registry:organisation-members", args=[organisation.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"email": "x@example.org", "role": "admin"}).status_code == 403
    assert not OrganisationInvitation.objects.exists()


def test_invitation_page_accepts_for_the_invited_address(client, ngo_admin, organisation):
    """The invitation link asks anonymous visitors to sign in, refuses another account
    and lets the invited person join."""
    invitee = make_user("invited@example.org")
    invitation = services.organisation_invite(
        organisation=organisation, actor=ngo_admin, email="invited@example.org"
    )
    url = reverse("registry:invitation-accept", args=[services.invitation_token(invitation)])
    assert client.get(url).status_code == 302
    signed_in(client, make_user("wrong@example.org"))
    assert client.get(url).status_code == 400
    signed_in(client, invitee)
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 302
    assert organisation.memberships.filter(user=invitee, role=Role.MEMBER).exists()


def test_my_organisations_lists_every_status_and_invitations(
    client, ngo_admin, organisation, django_assert_num_queries
):
    """The user sees their organisations with their status (pending ones too) and the
    invitations waiting for them, in a constant number of queries."""
    make_org(Status.PENDING, seed=44, name="Asociația În Așteptare", admin=ngo_admin)
    inviter = make_user("inviter@example.org")
    third = make_org(Status.VERIFIED, seed=45, admin=inviter)
    services.organisation_invite(organisation=third, actor=inviter, email=ngo_admin.email)
    signed_in(client, ngo_admin)
    url = reverse("registry:my-organisations")
    # session, user, invitations, memberships, verified e-mail, institution roles and the
    # navigation's unread notifications
    with django_assert_num_queries(7):
        response = client.get(url)
    assert [m.organisation.name for m in response.context["memberships"]] == [
        "Asociația Exemplu",
        "Asociația În Așteptare",
    ]
    assert len(response.context["invitations"]) == 1


def test_leave_an_organisation(client, ngo_member, organisation):
    """A member may leave."""
    signed_in(client, ngo_member)
    response = client.post(reverse("registry:organisation-leave", args=[organisation.pk]))
    assert response.status_code == 302
    assert not organisation.memberships.filter(user=ngo_member).exists()


# --- Verification queue --------------------------------------------------------------


def test_queue_lists_pending_oldest_first_with_duplicates(en_client, coordinator, organisation):
    """Coordinators see pending organisations, the longest waiting first, with the data
    they need and the other organisations of the same name."""
    now = timezone.now()
    newer = make_org(Status.PENDING, seed=46, name="Asociația Nouă")
    older = make_org(Status.PENDING, seed=47, name="Asociatia Exemplu")
    older.search_name = "asociatia exemplu"
    older.save()
    Organisation.objects.filter(pk=organisation.pk).update(search_name="asociatia exemplu")
    Organisation.objects.filter(pk=newer.pk).update(status_changed_at=now - timedelta(days=1))
    Organisation.objects.filter(pk=older.pk).update(status_changed_at=now - timedelta(days=5))
    signed_in(en_client, coordinator)
    response = en_client.get(reverse("registry:verification-queue"))
    rows = response.context["organisations"]
    assert [o.pk for o in rows] == [older.pk, newer.pk]
    assert [d.pk for d in rows[0].duplicates] == [organisation.pk]
    html = response.content.decode()
    assert older.fiscal_code in html and "5\xa0days" in html
    assert "<caption>" in html
    assert "have this name in all" not in html  # one duplicate: it is shown


def test_queue_shows_a_few_of_many_namesakes_and_their_number(en_client, coordinator):
    pending = make_org(Status.PENDING, seed=60, name="Asociația de Proprietari")
    for i in range(8):
        make_org(Status.IMPORTED, seed=61 + i, name="ASOCIAȚIA DE PROPRIETARI")
    signed_in(en_client, coordinator)
    response = en_client.get(reverse("registry:verification-queue"))
    (row,) = response.context["organisations"]
    assert row.pk == pending.pk and len(row.duplicates) == 5
    assert "8 organisations have this name in all." in response.content.decode()


def test_queue_query_count(client, coordinator, django_assert_num_queries):
    """The queue costs a constant number of queries whatever the number of rows."""
    for seed in range(12):
        make_org(Status.PENDING, seed=500 + seed, created_by=coordinator)
    signed_in(client, coordinator)
    # session, user, tab counts (which give the paginator its count), page, duplicates
    # (ranked by name, then the few shown), and for the page's navigation: verified
    # e-mail, institution roles, unread notifications
    # +1: the coordinator's second factor, checked on every page
    with django_assert_num_queries(10):
        response = client.get(reverse("registry:verification-queue"))
    assert len(response.context["organisations"]) == 12
    assert response.context["page_obj"].paginator.count == 12


def test_queue_is_for_coordinators(client, citizen):
    url = reverse("registry:verification-queue")
    assert client.get(url).status_code == 302
    assert signed_in(client, citizen).get(url).status_code == 403


def test_coordinator_verifies_and_rejects_from_the_queue(
    en_client, coordinator, django_capture_on_commit_callbacks
):
    """Verify works in one click; rejecting without a reason is refused with a message
    and changes nothing."""
    admin = make_user("adm@example.org")
    first = make_org(Status.PENDING, seed=48, admin=admin)
    second = make_org(Status.PENDING, seed=49)
    signed_in(en_client, coordinator)
    queue = reverse("registry:verification-queue")
    with django_capture_on_commit_callbacks(execute=True):
        response = en_client.post(
            reverse("registry:organisation-status", args=[first.pk]),
            {"action": "verify", "next": queue},
        )
    assert response.status_code == 302 and response.url == queue
    first.refresh_from_db()
    assert first.status == Status.VERIFIED
    response = en_client.post(
        reverse("registry:organisation-status", args=[second.pk]),
        {"action": "reject", "reason": "", "next": queue},
        follow=True,
    )
    assert "Give the reason for the rejection" in response.content.decode()
    second.refresh_from_db()
    assert second.status == Status.PENDING


def test_status_change_is_for_coordinators(client, ngo_admin, organisation):
    """An admin cannot verify nor suspend, even their own organisation."""
    signed_in(client, ngo_admin)
    response = client.post(
        reverse("registry:organisation-status", args=[organisation.pk]),
        {"action": "suspend", "reason": "x"},
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.status == Status.VERIFIED


def test_status_change_does_not_redirect_elsewhere(client, coordinator):
    """The `next` address must be on this site."""
    org = make_org(Status.PENDING, seed=50)
    signed_in(client, coordinator)
    response = client.post(
        reverse("registry:organisation-status", args=[org.pk]),
        {"action": "verify", "next": "https://evil.example.com/"},
    )
    assert response.url == org.get_absolute_url()


# --- History -------------------------------------------------------------------------


def test_history_shows_who_changed_what(en_client, coordinator, ngo_admin, organisation):
    """Coordinators see each change: who, when and the fields before and after,
    domains and members included."""
    services.organisation_update(
        organisation=organisation,
        actor=ngo_admin,
        locality="Dej",
        domains=[Domain.objects.get(slug="sport")],
    )
    services.organisation_suspend(organisation=organisation, actor=coordinator, reason="Verificare")
    signed_in(en_client, coordinator)
    response = en_client.get(reverse("registry:organisation-history", args=[organisation.pk]))
    assert response.status_code == 200
    entries = response.context["entries"]
    suspension, edit = entries[0], entries[1]
    assert suspension["user"] == coordinator
    assert {c["new"] for c in suspension["changes"]} >= {"suspended", "Verificare"}
    assert edit["user"] == ngo_admin
    changes = {c["label"]: (c["old"], c["new"]) for c in edit["changes"]}
    assert changes["locality"] == ("", "Dej")
    assert changes["domains of activity"] == ("", "Sport")
    html = response.content.decode()
    assert "Verificare" in html and ngo_admin.email in html


def test_history_page_query_count_is_constant(
    en_client, coordinator, ngo_admin, organisation, django_assert_num_queries
):
    """However many versions: session, user, the organisation, its versions (with the
    accounts they name), their domains, the members' versions, and the navigation's
    verified e-mail and roles. Accounts and counties are named, a deleted account too."""
    url = reverse("registry:organisation-history", args=[organisation.pk])
    signed_in(en_client, coordinator)
    services.organisation_update(organisation=organisation, actor=ngo_admin, locality="Dej")
    en_client.get(url)
    # +1: the coordinator's second factor, checked on every page; +3: the versions of its
    # activities, federations and branches
    with django_assert_num_queries(13):
        en_client.get(url)
    gone = make_user("plecat@example.org", name="Fost Membru")
    OrganisationMembership.objects.create(organisation=organisation, user=gone, role="member")
    for locality in ("Turda", "Gherla", "Câmpia Turzii"):
        services.organisation_update(organisation=organisation, actor=ngo_admin, locality=locality)
    services.organisation_update(
        organisation=organisation, actor=ngo_admin, county=County.objects.get(code="RO111")
    )
    services.organisation_suspend(organisation=organisation, actor=coordinator, reason="Control")
    OrganisationMembership.objects.filter(user=gone).delete()
    gone_pk = gone.pk
    gone.delete()  # the versions keep no key of a deleted account
    with django_assert_num_queries(13):
        response = en_client.get(url)
    changes = {
        change["label"]: (change["old"], change["new"])
        for entry in reversed(response.context["entries"])  # the newest last: it wins
        for change in entry["changes"]
    }
    assert changes["county"] == ("Cluj", "Bihor")
    assert changes["status changed by"][1] == str(coordinator)
    html = response.text
    assert "Câmpia Turzii" in html and "Control" in html
    # The deleted account's membership is still told, without a name or a dangling key.
    assert "Fost Membru" not in html and f"#{gone_pk}" not in html and "#None" not in html
    assert html.count("a deleted account") == 2  # joined, removed


def test_an_organisation_has_one_history_page(client, coordinator, organisation):
    """The generic history address of an organisation leads to the organisation's own
    history page (which also shows its members' changes)."""
    signed_in(client, coordinator)
    generic = reverse("registry:history", kwargs={"model": "organisation", "pk": organisation.pk})
    response = client.get(generic)
    assert response.status_code == 301
    assert response["Location"] == reverse("registry:organisation-history", args=[organisation.pk])


def test_history_is_for_coordinators(client, ngo_admin, organisation):
    signed_in(client, ngo_admin)
    url = reverse("registry:organisation-history", args=[organisation.pk])
    assert client.get(url).status_code == 403


def test_the_form_shows_the_search_it_came_from(en_client, registry_rows):
    """Opened from a shared address, the form shows the same choices again."""
    html = en_client.get(
        LIST_URL, {"q": "zorilor", "county": "RO321", "ordering": "-name", "per_page": 50}
    ).content.decode()
    assert 'value="zorilor"' in html
    assert '<option value="RO321" selected>' in html
    assert '<option value="-name" selected>' in html
    assert '<option value="50" selected>' in html


def test_an_unknown_filter_value_is_reported_not_fatal(en_client, registry_rows):
    """A county code that does not exist is reported next to the field."""
    response = en_client.get(LIST_URL, {"county": "XX999"})
    assert response.status_code == 200
    assert "county" in response.context["filter"].form.errors
    assert 'aria-invalid="true"' in response.content.decode()


def test_detail_shows_each_seats_mandate_and_marks_ended_ones(en_client, organisation, seat):
    """Current seats first, with "no end date"; an ended one says so."""
    Seat.objects.create(
        structure=seat.structure,
        organisation=organisation,
        role=Seat.Role.MEMBER,
        mandate_start=date(2020, 1, 1),
        mandate_end=date(2021, 12, 31),
    )
    html = en_client.get(organisation.get_absolute_url()).content.decode()
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", html, re.S)
    assert len(rows) == 2
    assert "Vice-president" in rows[0] and "no end date" in rows[0] and "ended" not in rows[0]
    assert "Member" in rows[1] and "31/12/2021" in rows[1] and ">ended</span>" in rows[1]
    assert "Consiliul Consultativ pentru Educație" in rows[1]
