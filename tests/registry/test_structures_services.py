"""Services of advisory structures, seats, calls for members, applications, meetings."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from registry.models import (
    AdvisoryStructure,
    County,
    Meeting,
    MembershipApplication,
    MembershipCall,
    Organisation,
    OrganisationMembership,
    Region,
    Seat,
)
from registry.services import structures as services
from registry.stats import stats_version

from .test_institutions_fixtures import *  # noqa: F403

DAY = datetime.timedelta(days=1)


def _structure(institution, actor, **extra):
    data = {
        "name": "Comitetul  de dialog social",
        "kind": AdvisoryStructure.Kind.SOCIAL_DIALOGUE,
        "territorial_level": AdvisoryStructure.TerritorialLevel.NATIONAL,
        **extra,
    }
    return services.structure_create(institution=institution, actor=actor, **data)


# --- Structures -----------------------------------------------------------------------


def test_create_sanitises_the_description_and_bumps_the_map(
    institution, civil_servant, domain, django_capture_on_commit_callbacks
):
    before = stats_version()
    with django_capture_on_commit_callbacks(execute=True):
        structure = _structure(
            institution,
            civil_servant,
            domains=[domain],
            description=(
                '<p onclick="x()">Rol <script>alert(1)</script><strong>consultativ</strong></p>'
            ),
        )
    assert structure.name == "Comitetul de dialog social"
    assert structure.search_name == "comitetul de dialog social"
    assert "script" not in structure.description and "onclick" not in structure.description
    assert "<strong>consultativ</strong>" in structure.description
    assert list(structure.domains.all()) == [domain]
    assert stats_version() == before + 1
    assert structure.history.first().history_user == civil_servant


def test_area_must_match_the_territorial_level(institution, civil_servant, county):
    """A regional structure needs its region, a county one its county; the region of a
    county structure follows its county; a national one has no area."""
    with pytest.raises(ValidationError) as error:
        _structure(institution, civil_servant, territorial_level="regional")
    assert "region" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _structure(institution, civil_servant, territorial_level="county")
    assert "county" in error.value.message_dict
    assert not AdvisoryStructure.objects.exists()

    structure = _structure(institution, civil_servant, territorial_level="county", county=county)
    assert structure.region == county.region
    national = _structure(
        institution,
        civil_servant,
        territorial_level="national",
        county=county,
        region=Region.objects.first(),
    )
    assert national.county is None and national.region is None


def test_dissolving_closes_calls_ends_seats_and_bumps_the_map(
    structure, open_call, organisation, civil_servant, today, django_capture_on_commit_callbacks
):
    seat = Seat.objects.create(
        structure=structure, organisation=organisation, mandate_start=today - 10 * DAY
    )
    before = stats_version()
    with django_capture_on_commit_callbacks(execute=True):
        services.structure_update(structure=structure, actor=civil_servant, status="dissolved")
    open_call.refresh_from_db()
    seat.refresh_from_db()
    assert open_call.status == MembershipCall.Status.CLOSED
    assert seat.mandate_end == today
    assert stats_version() == before + 1


def test_renaming_does_not_bump_the_map(
    structure, civil_servant, django_capture_on_commit_callbacks
):
    before = stats_version()
    with django_capture_on_commit_callbacks(execute=True):
        services.structure_update(structure=structure, actor=civil_servant, name="Nume nou")
    structure.refresh_from_db()
    assert structure.search_name == "nume nou"
    assert stats_version() == before


def test_changing_the_domains_bumps_the_map(
    structure, civil_servant, django_capture_on_commit_callbacks
):
    from registry.models import Domain

    before = stats_version()
    with django_capture_on_commit_callbacks(execute=True):
        services.structure_update(
            structure=structure, actor=civil_servant, domains=[Domain.objects.get(slug="health")]
        )
    assert stats_version() == before + 1


# --- Seats -------------------------------------------------------------------------


def test_a_seat_has_exactly_one_holder(
    structure, organisation, published_official, civil_servant, today
):
    """Both holders, or none, are refused with a clear message and nothing is stored."""
    for holders in ({}, {"organisation": organisation, "official": published_official}):
        with pytest.raises(ValidationError, match="exactly one organisation or one official"):
            services.seat_add(
                structure=structure, actor=civil_servant, mandate_start=today, **holders
            )
    assert not Seat.objects.exists()


def test_a_mandate_cannot_end_before_it_starts(structure, organisation, civil_servant, today):
    with pytest.raises(ValidationError) as error:
        services.seat_add(
            structure=structure,
            actor=civil_servant,
            organisation=organisation,
            mandate_start=today,
            mandate_end=today - DAY,
        )
    assert "mandate_end" in error.value.message_dict
    assert not Seat.objects.exists()


def test_only_verified_or_imported_organisations_hold_seats(
    structure, pending_organisation, civil_servant, today
):
    with pytest.raises(ValidationError, match="not a verified organisation"):
        services.seat_add(
            structure=structure,
            actor=civil_servant,
            organisation=pending_organisation,
            mandate_start=today,
        )
    pending_organisation.status = Organisation.Status.IMPORTED
    pending_organisation.save()
    seat = services.seat_add(
        structure=structure,
        actor=civil_servant,
        organisation=pending_organisation,
        mandate_start=today,
        role=Seat.Role.PRESIDENT,
    )
    assert seat.is_current()


def test_only_published_officials_hold_seats(
    structure, official, published_official, civil_servant, today
):
    with pytest.raises(ValidationError, match="has not agreed"):
        services.seat_add(
            structure=structure, actor=civil_servant, official=official, mandate_start=today
        )
    services.seat_add(
        structure=structure, actor=civil_servant, official=published_official, mandate_start=today
    )


def test_no_seat_in_a_dissolved_structure(dissolved_structure, organisation, civil_servant, today):
    with pytest.raises(ValidationError, match="dissolved"):
        services.seat_add(
            structure=dissolved_structure,
            actor=civil_servant,
            organisation=organisation,
            mandate_start=today,
        )


def test_ending_a_seat(structure, organisation, civil_servant, today):
    seat = services.seat_add(
        structure=structure,
        actor=civil_servant,
        organisation=organisation,
        mandate_start=today - DAY,
    )
    with pytest.raises(ValidationError):
        services.seat_end(seat=seat, actor=civil_servant, mandate_end=today - 2 * DAY)
    seat.refresh_from_db()
    assert seat.mandate_end is None
    services.seat_end(seat=seat, actor=civil_servant)
    seat.refresh_from_db()
    assert seat.mandate_end == today


# --- Calls -------------------------------------------------------------------------


def test_a_call_cannot_close_before_it_opens(structure, civil_servant, today):
    with pytest.raises(ValidationError) as error:
        services.call_create(
            structure=structure,
            actor=civil_servant,
            title="Apel",
            opens_on=today,
            closes_on=today - DAY,
        )
    assert "closes_on" in error.value.message_dict
    assert not MembershipCall.objects.exists()


def test_only_an_active_structure_calls_for_members(dissolved_structure, civil_servant, today):
    with pytest.raises(ValidationError, match="active"):
        services.call_create(
            structure=dissolved_structure,
            actor=civil_servant,
            title="Apel",
            opens_on=today,
            closes_on=today,
        )


def test_closing_a_call(open_call, civil_servant):
    services.call_close(call=open_call, actor=civil_servant)
    open_call.refresh_from_db()
    assert open_call.status == MembershipCall.Status.CLOSED
    with pytest.raises(ValidationError, match="already closed"):
        services.call_close(call=open_call, actor=civil_servant)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.call_update(call=open_call, actor=civil_servant, title="Alt titlu")


# --- Applications --------------------------------------------------------------------


def _apply(call, organisation, user, motivation="Avem experiență în educație."):
    return services.application_submit(
        call=call, organisation=organisation, user=user, motivation=motivation
    )


def test_an_admin_of_a_verified_organisation_applies_once(open_call, organisation, ngo_admin):
    application = _apply(open_call, organisation, ngo_admin)
    assert application.status == MembershipApplication.Status.PENDING
    assert application.submitted_by == ngo_admin
    with pytest.raises(ValidationError, match="already applied") as error:
        _apply(open_call, organisation, ngo_admin)
    assert "organisation" in error.value.message_dict
    assert MembershipApplication.objects.count() == 1


def test_a_member_who_is_not_admin_cannot_apply(open_call, organisation, ngo_member):
    with pytest.raises(PermissionDenied):
        _apply(open_call, organisation, ngo_member)
    assert not MembershipApplication.objects.exists()


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("pending", "waiting for verification"),
        ("rejected", "was not verified"),
        ("suspended", "is suspended"),
        ("imported", "has not been claimed"),
    ],
)
def test_an_unverified_organisation_is_refused_with_a_clear_message(
    open_call, pending_organisation, pending_org_admin, status, message
):
    pending_organisation.status = status
    pending_organisation.save()
    with pytest.raises(ValidationError, match=message):
        _apply(open_call, pending_organisation, pending_org_admin)
    assert not MembershipApplication.objects.exists()


def test_a_closed_or_not_yet_open_call_refuses_applications(
    closed_call, open_call, organisation, ngo_admin, today
):
    with pytest.raises(ValidationError, match="closed"):
        _apply(closed_call, organisation, ngo_admin)
    MembershipCall.objects.filter(pk=open_call.pk).update(
        opens_on=today + DAY, closes_on=today + 5 * DAY
    )
    with pytest.raises(ValidationError, match="opens on"):
        _apply(open_call, organisation, ngo_admin)
    MembershipCall.objects.filter(pk=open_call.pk).update(
        opens_on=today - DAY, status=MembershipCall.Status.CLOSED
    )
    with pytest.raises(ValidationError, match="closed"):
        _apply(open_call, organisation, ngo_admin)
    assert not MembershipApplication.objects.exists()


def test_accepting_gives_a_seat_and_emails_the_applicant(
    open_call, organisation, ngo_admin, civil_servant, today, django_capture_on_commit_callbacks
):
    ngo_admin.preferred_language = "en"
    ngo_admin.save()
    application = _apply(open_call, organisation, ngo_admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application=application,
            actor=civil_servant,
            accept=True,
            role=Seat.Role.VICE_PRESIDENT,
            mandate_end=today + 365 * DAY,
        )
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.ACCEPTED
    seat = application.seat
    assert seat.organisation == organisation and seat.structure == open_call.structure
    assert seat.role == Seat.Role.VICE_PRESIDENT and seat.mandate_start == today
    (message,) = mail.outbox
    assert message.to == [ngo_admin.email]
    assert "was accepted" in message.subject
    with pytest.raises(ValidationError, match="already been decided"):
        services.application_decide(
            application=application, actor=civil_servant, accept=False, reason="x"
        )


def test_rejecting_needs_a_reason_which_is_emailed(
    open_call, organisation, ngo_admin, civil_servant, django_capture_on_commit_callbacks
):
    application = _apply(open_call, organisation, ngo_admin)
    with pytest.raises(ValidationError):
        services.application_decide(application=application, actor=civil_servant, accept=False)
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application=application, actor=civil_servant, accept=False, reason="Locuri ocupate."
        )
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.REJECTED
    assert not Seat.objects.exists()
    assert "Locuri ocupate." in mail.outbox[0].body


def test_no_more_acceptances_than_seats(open_call, organisation, ngo_admin, civil_servant, county):
    from tests.conftest import make_user

    open_call.seats_available = 1
    open_call.save()
    first = _apply(open_call, organisation, ngo_admin)
    other = Organisation.objects.create(
        name="Alta",
        legal_form="association",
        fiscal_code="4221187",
        county=county,
        status="verified",
    )
    other_admin = make_user("a@alta.example.org")
    OrganisationMembership.objects.create(organisation=other, user=other_admin, role="admin")
    second = _apply(open_call, other, other_admin)
    services.application_decide(application=first, actor=civil_servant, accept=True)
    with pytest.raises(ValidationError, match="already filled"):
        services.application_decide(application=second, actor=civil_servant, accept=True)
    second.refresh_from_db()
    assert second.status == MembershipApplication.Status.PENDING
    assert Seat.objects.count() == 1


def test_a_closed_call_becomes_decided_with_its_last_decision(
    open_call, organisation, ngo_admin, civil_servant
):
    application = _apply(open_call, organisation, ngo_admin)
    services.call_close(call=open_call, actor=civil_servant)
    open_call.refresh_from_db()
    assert open_call.status == MembershipCall.Status.CLOSED
    services.application_decide(application=application, actor=civil_servant, accept=True)
    open_call.refresh_from_db()
    assert open_call.status == MembershipCall.Status.DECIDED


# --- Meetings -----------------------------------------------------------------------


def test_a_meeting_needs_a_place_or_a_link(structure, civil_servant):
    held_at = timezone.now() + 7 * DAY
    with pytest.raises(ValidationError, match="place of the meeting"):
        services.meeting_create(
            structure=structure, actor=civil_servant, held_at=held_at, agenda="1. Deschidere"
        )
    meeting = services.meeting_create(
        structure=structure,
        actor=civil_servant,
        held_at=held_at,
        agenda="1. Deschidere<script>x</script>",
        online_link="https://meet.example.ro/abc",
    )
    assert "script" not in meeting.agenda
    services.meeting_update(meeting=meeting, actor=civil_servant, minutes="S-a votat.")
    assert Meeting.objects.get().minutes == "S-a votat."


def test_region_of_a_local_structure_follows_its_county(institution, civil_servant):
    county = County.objects.get(code="RO321")
    structure = _structure(institution, civil_servant, territorial_level="local", county=county)
    assert structure.region.code == "RO32"
