"""Pages of advisory structures, seats, calls for members, applications and meetings."""

import datetime
import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from registry.models import (
    AdvisoryStructure,
    Meeting,
    MembershipApplication,
    MembershipCall,
    Organisation,
    OrganisationMembership,
    Seat,
)

from .test_institutions_fixtures import *  # noqa: F403

DAY = datetime.timedelta(days=1)


def _structures(institution, n, start=0, **extra):
    return AdvisoryStructure.objects.bulk_create(
        AdvisoryStructure(
            institution=institution,
            name=f"Grup {i:03d}",
            search_name=f"grup {i:03d}",
            kind="working_group",
            territorial_level="national",
            **extra,
        )
        for i in range(start, start + n)
    )


# --- List --------------------------------------------------------------------------------


def test_list_search_and_filters(
    en_client, structure, dissolved_structure, open_call, county, institution
):
    url = reverse("registry:structure-list")
    AdvisoryStructure.objects.create(
        institution=institution,
        name="Comitetul județean",
        kind="committee",
        territorial_level="county",
        county=county,
        region=county.region,
    )

    def names(**params):
        return sorted(s.name for s in en_client.get(url, params).context["object_list"])

    assert names(q="educatie") == ["Consiliul Consultativ pentru Educație"]
    assert names(status="dissolved") == ["Grupul de lucru dizolvat"]
    assert names(kind="committee") == ["Comitetul județean"]
    assert names(level="county", county=county.code) == ["Comitetul județean"]
    assert names(region=county.region.code) == ["Comitetul județean"]
    assert names(domain="education") == ["Consiliul Consultativ pentru Educație"]
    assert len(names(institution=institution.pk)) == 3
    response = en_client.get(url, {"q": "consiliul"})
    assert "Call for members open" in response.text


def test_list_query_count_is_constant(en_client, institution, domain, django_assert_num_queries):
    """Count, page and its domains, and the filter form's regions, counties and domains
    offered: the same for few or many structures."""
    url = reverse("registry:structure-list")
    _structures(institution, 2)
    with django_assert_num_queries(6):
        en_client.get(url)
    for structure in _structures(institution, 40, start=100):
        structure.domains.set([domain])
    with django_assert_num_queries(3):  # the filter form's options: a cached fragment
        response = en_client.get(url)
    assert len(response.context["object_list"]) == 25


# --- Detail ------------------------------------------------------------------------------


def test_detail_links_seat_holders_and_shows_calls_and_meetings(
    en_client, structure, organisation, published_official, open_call, closed_call, today
):
    Seat.objects.create(
        structure=structure, organisation=organisation, mandate_start=today, role="president"
    )
    Seat.objects.create(structure=structure, official=published_official, mandate_start=today)
    Meeting.objects.create(
        structure=structure,
        held_at="2025-03-01T10:00:00Z",
        location="Sala 1",
        agenda="Ordinea de zi",
    )
    response = en_client.get(structure.get_absolute_url())
    assert response.status_code == 200
    assert reverse("registry:organisation-detail", args=[organisation.pk]) in response.text
    assert published_official.get_absolute_url() in response.text
    assert open_call.get_absolute_url() in response.text
    assert "Sala 1" in response.text
    president, member = response.context["current_seats"]
    assert president.organisation == organisation
    assert member.official == published_official


def test_detail_shows_each_seats_role_and_mandate(
    en_client, structure, organisation, published_official, civil_servant, today
):
    """Current members in a table (role, "since", an end link for the staff); former
    ones in a list with their mandate's two dates."""
    ended = today - timedelta(days=10)
    Seat.objects.create(
        structure=structure, organisation=organisation, mandate_start=today, role="president"
    )
    former = Seat.objects.create(
        structure=structure,
        official=published_official,
        mandate_start=today - timedelta(days=400),
        mandate_end=ended,
    )
    with translation.override("en"):
        start, end = (date_format(d, "SHORT_DATE_FORMAT") for d in (today, ended))
        began = date_format(former.mandate_start, "SHORT_DATE_FORMAT")
    text = en_client.get(structure.get_absolute_url()).text
    assert re.search(rf"<td>President</td>\s*<td>since {re.escape(start)}</td>\s*</tr>", text)
    assert f" — member, from {began} to {end}</li>" in text
    assert "End the mandate" not in text
    en_client.force_login(civil_servant)
    text = en_client.get(structure.get_absolute_url()).text
    assert "End the mandate" in text


def test_detail_query_count_is_constant(
    en_client, structure, organisation, published_official, today, django_assert_num_queries
):
    """The structure, its domains, seats with holders, calls and meetings: five queries."""
    Seat.objects.create(structure=structure, organisation=organisation, mandate_start=today)
    with django_assert_num_queries(5):
        en_client.get(structure.get_absolute_url())
    for i in range(5):
        Seat.objects.create(
            structure=structure, official=published_official, mandate_start=today - i * DAY
        )
        MembershipCall.objects.create(
            structure=structure, title=f"A{i}", opens_on=today, closes_on=today
        )
        Meeting.objects.create(
            structure=structure, held_at="2025-03-01T10:00:00Z", location="x", agenda="y"
        )
    with django_assert_num_queries(5):
        en_client.get(structure.get_absolute_url())


# --- Staff forms ---------------------------------------------------------------------------


def test_staff_create_and_edit_a_structure(en_client, institution, civil_servant, county, domain):
    en_client.force_login(civil_servant)
    response = en_client.post(
        reverse("registry:structure-create", args=[institution.pk]),
        {
            "name": "Consiliul Tinerilor",
            "kind": "council",
            "territorial_level": "county",
            "county": county.pk,
            "domains": [domain.pk],
            "description": "Rol consultativ.",
        },
    )
    structure = AdvisoryStructure.objects.get(name="Consiliul Tinerilor")
    assert response.url == structure.get_absolute_url()
    assert structure.region == county.region
    en_client.post(
        reverse("registry:structure-edit", args=[structure.pk]),
        {
            "name": "Consiliul Tinerilor",
            "kind": "council",
            "territorial_level": "national",
            "status": "inactive",
        },
    )
    structure.refresh_from_db()
    assert structure.status == "inactive" and structure.county is None


def test_regional_structure_without_region_gets_a_clear_message(
    en_client, institution, civil_servant
):
    en_client.force_login(civil_servant)
    response = en_client.post(
        reverse("registry:structure-create", args=[institution.pk]),
        {"name": "Grup regional", "kind": "working_group", "territorial_level": "regional"},
    )
    assert response.status_code == 200
    assert "A regional structure must have its development region." in response.text
    assert not AdvisoryStructure.objects.filter(name="Grup regional").exists()


def test_forged_posts_for_another_institutions_structure_are_refused(
    en_client, institution, structure, open_call, organisation, other_civil_servant, today
):
    """A civil servant of another institution gets 403 on every form of this structure,
    and nothing changes."""
    en_client.force_login(other_civil_servant)
    posts = [
        (
            reverse("registry:structure-create", args=[institution.pk]),
            {"name": "X", "kind": "council", "territorial_level": "national"},
        ),
        (
            reverse("registry:structure-edit", args=[structure.pk]),
            {
                "name": "X",
                "kind": "council",
                "territorial_level": "national",
                "status": "dissolved",
            },
        ),
        (
            reverse("registry:seat-add", args=[structure.pk]),
            {
                "organisation": organisation.fiscal_code,
                "role": "member",
                "mandate_start": today.isoformat(),
            },
        ),
        (
            reverse("registry:call-create", args=[structure.pk]),
            {
                "title": "X",
                "seats_available": 1,
                "opens_on": today.isoformat(),
                "closes_on": today.isoformat(),
            },
        ),
        (
            reverse("registry:call-edit", args=[open_call.pk]),
            {
                "title": "X",
                "seats_available": 1,
                "opens_on": today.isoformat(),
                "closes_on": today.isoformat(),
            },
        ),
        (reverse("registry:call-close", args=[open_call.pk]), {}),
        (
            reverse("registry:meeting-create", args=[structure.pk]),
            {"held_at": "2025-05-01T10:00", "location": "x", "agenda": "y"},
        ),
    ]
    for url, data in posts:
        assert en_client.post(url, data).status_code == 403, url
    structure.refresh_from_db()
    open_call.refresh_from_db()
    assert (
        structure.name == "Consiliul Consultativ pentru Educație" and structure.status == "active"
    )
    assert open_call.title == "Apel pentru membri 2025" and open_call.status == "open"
    assert not Seat.objects.exists() and not Meeting.objects.exists()
    assert MembershipCall.objects.count() == 1


def test_seat_with_two_holders_or_ending_before_start_is_refused(
    en_client, structure, organisation, published_official, civil_servant, today
):
    en_client.force_login(civil_servant)
    url = reverse("registry:seat-add", args=[structure.pk])
    both = en_client.post(
        url,
        {
            "organisation": organisation.fiscal_code,
            "official": published_official.pk,
            "role": "member",
            "mandate_start": today.isoformat(),
        },
    )
    assert "exactly one organisation or one official" in both.text
    backwards = en_client.post(
        url,
        {
            "organisation": organisation.fiscal_code,
            "role": "member",
            "mandate_start": today.isoformat(),
            "mandate_end": (today - DAY).isoformat(),
        },
    )
    assert "The mandate cannot end before it starts." in backwards.text
    unknown = en_client.post(
        url, {"organisation": "4221187", "role": "member", "mandate_start": today.isoformat()}
    )
    assert "No organisation in the registry has this fiscal code." in unknown.text
    assert not Seat.objects.exists()
    ok = en_client.post(
        url,
        {
            "organisation": f"RO {organisation.fiscal_code}",
            "role": "secretary",
            "mandate_start": today.isoformat(),
        },
    )
    assert ok.status_code == 302
    assert Seat.objects.get().role == "secretary"


def test_seat_for_a_pending_organisation_is_refused(
    en_client, structure, pending_organisation, civil_servant, today
):
    en_client.force_login(civil_servant)
    response = en_client.post(
        reverse("registry:seat-add", args=[structure.pk]),
        {
            "organisation": pending_organisation.fiscal_code,
            "role": "member",
            "mandate_start": today.isoformat(),
        },
    )
    assert "is not a verified organisation" in response.text
    assert not Seat.objects.exists()


def test_ending_a_seat(en_client, structure, organisation, civil_servant, today):
    seat = Seat.objects.create(
        structure=structure, organisation=organisation, mandate_start=today - 5 * DAY
    )
    en_client.force_login(civil_servant)
    url = reverse("registry:seat-end", args=[seat.pk])
    bad = en_client.post(url, {"mandate_end": (today - 6 * DAY).isoformat()})
    assert "The mandate cannot end before it starts." in bad.text
    en_client.post(url, {"mandate_end": today.isoformat()})
    seat.refresh_from_db()
    assert seat.mandate_end == today


# --- Calls and applications -------------------------------------------------------------


def test_staff_publish_a_call(en_client, structure, civil_servant, today):
    en_client.force_login(civil_servant)
    response = en_client.post(
        reverse("registry:call-create", args=[structure.pk]),
        {
            "title": "Apel 2026",
            "seats_available": 3,
            "opens_on": today.isoformat(),
            "closes_on": (today + 20 * DAY).isoformat(),
        },
    )
    call = MembershipCall.objects.get(title="Apel 2026")
    assert response.url == call.get_absolute_url()
    bad = en_client.post(
        reverse("registry:call-create", args=[structure.pk]),
        {
            "title": "Apel invers",
            "seats_available": 1,
            "opens_on": today.isoformat(),
            "closes_on": (today - DAY).isoformat(),
        },
    )
    assert "The call cannot close before it opens." in bad.text
    assert not MembershipCall.objects.filter(title="Apel invers").exists()


def test_an_ngo_admin_applies_once_from_the_call_page(
    en_client, open_call, organisation, ngo_admin
):
    en_client.force_login(ngo_admin)
    page = en_client.get(open_call.get_absolute_url())
    assert "Send the application" in page.text
    url = reverse("registry:call-apply", args=[open_call.pk])
    response = en_client.post(url, {"organisation": organisation.pk, "motivation": "Experiență."})
    assert response.status_code == 302
    assert MembershipApplication.objects.get().submitted_by == ngo_admin
    again = en_client.post(url, {"organisation": organisation.pk, "motivation": "Din nou."})
    assert again.status_code == 400
    assert "has already applied to this call" in again.text
    assert MembershipApplication.objects.count() == 1


def test_a_pending_organisations_admin_is_told_why_they_cannot_apply(
    en_client, open_call, pending_org_admin
):
    en_client.force_login(pending_org_admin)
    page = en_client.get(open_call.get_absolute_url())
    assert "is still waiting for verification by the coordinators" in page.text
    assert "Send the application" not in page.text
    response = en_client.post(
        reverse("registry:call-apply", args=[open_call.pk]),
        {"organisation": Organisation.objects.get(status="pending").pk, "motivation": "x"},
    )
    assert response.status_code == 403
    assert not MembershipApplication.objects.exists()


def test_a_forged_choice_of_an_unverified_organisation_is_refused_clearly(
    en_client, open_call, ngo_admin, pending_organisation
):
    """An admin of a verified and of a pending organisation who posts the pending one gets
    the reason, and nothing is stored."""
    OrganisationMembership.objects.create(
        organisation=pending_organisation, user=ngo_admin, role="admin"
    )
    en_client.force_login(ngo_admin)
    response = en_client.post(
        reverse("registry:call-apply", args=[open_call.pk]),
        {"organisation": pending_organisation.pk, "motivation": "x"},
    )
    assert response.status_code == 400
    assert "is still waiting for verification by the coordinators" in response.text
    assert not MembershipApplication.objects.exists()


def test_applying_to_a_closed_call_is_refused(en_client, closed_call, organisation, ngo_admin):
    en_client.force_login(ngo_admin)
    page = en_client.get(closed_call.get_absolute_url())
    assert "This call does not accept applications now." in page.text
    response = en_client.post(
        reverse("registry:call-apply", args=[closed_call.pk]),
        {"organisation": organisation.pk, "motivation": "x"},
    )
    assert response.status_code == 403
    assert not MembershipApplication.objects.exists()


def test_institution_decides_applications(
    en_client,
    open_call,
    organisation,
    ngo_admin,
    civil_servant,
    today,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    application = MembershipApplication.objects.create(
        call=open_call, organisation=organisation, submitted_by=ngo_admin, motivation="Experiență."
    )
    en_client.force_login(civil_servant)
    listing = reverse("registry:call-applications", args=[open_call.pk])
    en_client.get(listing)
    # session, user, the call, roles, applications, the roles of the navigation's rules
    with django_assert_num_queries(6):
        page = en_client.get(listing)
    assert "Asociația Exemplu" in page.text
    decide = reverse("registry:application-decide", args=[application.pk])
    no_reason = en_client.post(decide, {"decision": "reject", "reason": ""})
    assert "Give the reason for the rejection." in no_reason.text
    application.refresh_from_db()
    assert application.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        response = en_client.post(
            decide, {"decision": "accept", "role": "member", "mandate_start": today.isoformat()}
        )
    assert response.url == listing
    application.refresh_from_db()
    assert application.status == "accepted" and application.seat.organisation == organisation
    assert mail.outbox[-1].to == [ngo_admin.email]
    # A decided application cannot be decided again.
    assert en_client.post(decide, {"decision": "reject", "reason": "x"}).status_code == 403


def test_applications_are_hidden_from_other_institutions(
    en_client, open_call, other_civil_servant, ngo_admin
):
    en_client.force_login(other_civil_servant)
    assert (
        en_client.get(reverse("registry:call-applications", args=[open_call.pk])).status_code == 403
    )
    en_client.force_login(ngo_admin)
    assert (
        en_client.get(reverse("registry:call-applications", args=[open_call.pk])).status_code == 403
    )


# --- Meetings -----------------------------------------------------------------------------


def test_staff_add_and_edit_a_meeting(en_client, structure, civil_servant):
    en_client.force_login(civil_servant)
    url = reverse("registry:meeting-create", args=[structure.pk])
    missing = en_client.post(url, {"held_at": "2025-05-01T10:00", "agenda": "Ordinea de zi"})
    assert "Give the place of the meeting, its online link, or both." in missing.text
    assert not Meeting.objects.exists()
    en_client.post(
        url,
        {
            "held_at": "2025-05-01T10:00",
            "online_link": "https://meet.example.ro/x",
            "agenda": "Ordinea de zi",
        },
    )
    meeting = Meeting.objects.get()
    en_client.post(
        reverse("registry:meeting-edit", args=[meeting.pk]),
        {
            "held_at": "2025-05-01T10:00",
            "online_link": "https://meet.example.ro/x",
            "agenda": "Ordinea de zi",
            "minutes": "S-a aprobat.",
        },
    )
    meeting.refresh_from_db()
    assert meeting.minutes == "S-a aprobat."
    page = en_client.get(reverse("registry:meeting-detail", args=[meeting.pk]))
    assert "S-a aprobat." in page.text


# --- Query counts of the remaining pages ---------------------------------------------------


def test_call_page_query_count_is_constant(
    en_client, open_call, organisation, ngo_admin, county, django_assert_num_queries
):
    """Anonymous: the call with its structure and institution, one query. An NGO admin:
    also their organisations, their applications, their verified organisations and the
    form's choices, plus the navigation, whatever the number of organisations."""
    with django_assert_num_queries(1):
        page = en_client.get(open_call.get_absolute_url())
    assert "Sign in to apply." in page.text
    en_client.force_login(ngo_admin)
    en_client.get(open_call.get_absolute_url())
    with django_assert_num_queries(10):
        en_client.get(open_call.get_absolute_url())
    for i, code in enumerate(("4221187", "13548146")):
        other = Organisation.objects.create(
            name=f"Org {i}",
            legal_form="association",
            fiscal_code=code,
            county=county,
            status="verified",
        )
        OrganisationMembership.objects.create(organisation=other, user=ngo_admin, role="admin")
    with django_assert_num_queries(10):
        page = en_client.get(open_call.get_absolute_url())
    assert page.text.count("<option") == 3


def test_meeting_page_query_count(en_client, structure, django_assert_num_queries):
    meeting = Meeting.objects.create(
        structure=structure, held_at="2025-03-01T10:00:00Z", location="Sala 2", agenda="Punctul 1"
    )
    with django_assert_num_queries(1):
        page = en_client.get(reverse("registry:meeting-detail", args=[meeting.pk]))
    assert "Punctul 1" in page.text and "The minutes have not been published yet." in page.text


def test_lists_and_pages_show_markup_in_names_as_text(
    en_client, institution, structure, published_official, organisation, removed_official, today
):
    """Rows and holders are written by template tags: every name is escaped, on the
    lists of institutions, officials and structures and on a structure's page (where a
    removed official is not named)."""
    marked = "<b>Evidențiat</b>"
    Organisation.objects.filter(pk=organisation.pk).update(name=f"Asociația {marked}")
    institution.__class__.objects.filter(pk=institution.pk).update(name=f"Primăria {marked}")
    AdvisoryStructure.objects.filter(pk=structure.pk).update(name=f"Consiliul {marked}")
    published_official.__class__.objects.filter(pk=published_official.pk).update(
        name=f"Ion {marked}", position=marked
    )
    Seat.objects.create(structure=structure, organisation=organisation, mandate_start=today)
    Seat.objects.create(structure=structure, official=published_official, mandate_start=today)
    Seat.objects.create(structure=structure, official=removed_official, mandate_start=today)
    pages = [
        reverse("registry:institution-list"),
        reverse("registry:official-list"),
        reverse("registry:structure-list"),
        structure.get_absolute_url(),
    ]
    for url in pages:
        html = en_client.get(url).text
        assert marked not in html, url
        assert "&lt;b&gt;Evidențiat&lt;/b&gt;" in html, url
    html = en_client.get(structure.get_absolute_url()).text
    assert removed_official.name not in html
    assert "A former relationship official" in html
