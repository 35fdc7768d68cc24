"""Services of public institutions and their staff."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from registry.models import County, Institution, InstitutionStaff
from registry.services import institutions as services
from registry.stats import stats_version
from tests.conftest import make_user

from .test_institutions_fixtures import *  # noqa: F403


def test_coordinator_creates_an_institution_with_folded_search_name(coordinator, county):
    """A new institution is stored with its name folded for search and its creator in the
    history."""
    institution = services.institution_create(
        actor=coordinator,
        name="  Consiliul   Județean Cluj ",
        kind=Institution.Kind.COUNTY_COUNCIL,
        level=Institution.Level.COUNTY,
        county=county,
    )
    assert institution.name == "Consiliul Județean Cluj"
    assert institution.search_name == "consiliul judetean cluj"
    assert institution.history.get().history_user == coordinator


def test_county_institution_without_county_is_refused(coordinator):
    """A county or local institution must have its county; nothing is stored."""
    with pytest.raises(ValidationError) as error:
        services.institution_create(
            actor=coordinator,
            name="Primăria X",
            kind=Institution.Kind.CITY_HALL,
            level=Institution.Level.LOCAL,
        )
    assert "county" in error.value.message_dict
    assert not Institution.objects.filter(name="Primăria X").exists()


def test_institution_cannot_become_its_own_ancestor(coordinator, institution, other_institution):
    """Setting a parent that would make a loop is refused and changes nothing."""
    services.institution_update(
        institution=other_institution, actor=coordinator, parent=institution
    )
    with pytest.raises(ValidationError) as error:
        services.institution_update(
            institution=institution, actor=coordinator, parent=other_institution
        )
    assert "parent" in error.value.message_dict
    institution.refresh_from_db()
    assert institution.parent is None


def test_update_changes_only_known_fields(coordinator, institution):
    with pytest.raises(TypeError):
        services.institution_update(
            institution=institution, actor=coordinator, is_general_secretariat=True
        )


def test_moving_an_institution_to_another_county_bumps_the_map(
    coordinator, institution, django_capture_on_commit_callbacks
):
    """The map counts institutions by county: a move invalidates its statistics."""
    before = stats_version()
    with django_capture_on_commit_callbacks(execute=True):
        services.institution_update(
            institution=institution, actor=coordinator, county=County.objects.get(code="RO321")
        )
    assert stats_version() == before + 1


def test_join_request_waits_and_notifies_the_institution_admins(
    citizen, institution, institution_admin, django_capture_on_commit_callbacks
):
    """A request to join is pending, with the position, and the institution's admins are
    e-mailed (not the coordinators, since the institution has admins)."""
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.staff_request_join(
            institution=institution, user=citizen, position="  consilier  juridic "
        )
    assert membership.status == InstitutionStaff.Status.PENDING
    assert membership.position == "consilier juridic"
    assert [m.to for m in mail.outbox] == [[institution_admin.email]]
    assert "Ion Cetățean" in mail.outbox[0].body


def test_join_request_to_an_institution_without_admin_goes_to_coordinators(
    citizen, institution, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.staff_request_join(institution=institution, user=citizen, position="expert")
    assert [m.to for m in mail.outbox] == [[coordinator.email]]


def test_join_request_needs_a_position(citizen, institution):
    with pytest.raises(ValidationError) as error:
        services.staff_request_join(institution=institution, user=citizen, position="   ")
    assert "position" in error.value.message_dict
    assert not InstitutionStaff.objects.filter(user=citizen).exists()


def test_a_second_request_while_one_waits_is_refused(pending_staff, institution):
    with pytest.raises(ValidationError, match="already waiting"):
        services.staff_request_join(institution=institution, user=pending_staff, position="x")


def test_staff_cannot_ask_again(civil_servant, institution):
    with pytest.raises(ValidationError, match="already on the staff"):
        services.staff_request_join(institution=institution, user=civil_servant, position="x")


def test_a_refused_user_may_ask_again(pending_staff, institution, coordinator):
    """After a refusal the same row becomes pending again, without the old decision."""
    membership = InstitutionStaff.objects.get(user=pending_staff)
    services.staff_reject(membership=membership, actor=coordinator, reason="Nu lucrați aici.")
    again = services.staff_request_join(
        institution=institution, user=pending_staff, position="director"
    )
    assert again.pk == membership.pk
    assert again.status == InstitutionStaff.Status.PENDING
    assert again.decision_reason == ""
    assert again.decided_by is None


def test_approval_makes_a_civil_servant_and_emails_them_in_their_language(
    pending_staff, institution_admin, django_capture_on_commit_callbacks
):
    """Approval gives the role and tells the user, in their preferred language."""
    pending_staff.preferred_language = "en"
    pending_staff.save()
    membership = InstitutionStaff.objects.get(user=pending_staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.staff_approve(
            membership=membership, actor=institution_admin, role=InstitutionStaff.Role.ADMIN
        )
    membership.refresh_from_db()
    assert membership.status == InstitutionStaff.Status.APPROVED
    assert membership.role == InstitutionStaff.Role.ADMIN
    assert membership.decided_by == institution_admin
    assert pending_staff.has_perm("registry.manage_officials", membership.institution)
    (message,) = mail.outbox
    assert message.to == [pending_staff.email]
    assert "You are now on the staff of Ministerul Educației" in message.subject


def test_refusal_needs_a_reason_and_sends_it_in_the_default_language(
    pending_staff, coordinator, django_capture_on_commit_callbacks
):
    membership = InstitutionStaff.objects.get(user=pending_staff)
    with pytest.raises(ValidationError):
        services.staff_reject(membership=membership, actor=coordinator, reason=" ")
    membership.refresh_from_db()
    assert membership.status == InstitutionStaff.Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        services.staff_reject(membership=membership, actor=coordinator, reason="Date incomplete.")
    (message,) = mail.outbox
    assert "Date incomplete." in message.body
    assert '<html lang="ro">' in message.alternatives[0][0]


def test_a_decided_request_cannot_be_decided_again(pending_staff, coordinator):
    membership = InstitutionStaff.objects.get(user=pending_staff)
    services.staff_approve(membership=membership, actor=coordinator)
    with pytest.raises(ValidationError, match="already been decided"):
        services.staff_reject(membership=membership, actor=coordinator, reason="x")
    membership.refresh_from_db()
    assert membership.status == InstitutionStaff.Status.APPROVED


def test_the_same_decision_email_is_sent_once(
    pending_staff, coordinator, django_capture_on_commit_callbacks
):
    """The e-mail is keyed: a task that runs twice sends one message."""
    membership = InstitutionStaff.objects.get(user=pending_staff)
    with django_capture_on_commit_callbacks() as callbacks:
        services.staff_approve(membership=membership, actor=coordinator)
    for callback in callbacks * 2:
        callback()
    assert len(mail.outbox) == 1


def test_the_last_admin_can_be_neither_demoted_nor_removed(institution_admin, institution):
    """An institution keeps at least one administrator."""
    membership = InstitutionStaff.objects.get(user=institution_admin)
    with pytest.raises(ValidationError, match="at least one administrator"):
        services.staff_set_role(
            membership=membership, actor=institution_admin, role=InstitutionStaff.Role.MEMBER
        )
    with pytest.raises(ValidationError, match="at least one administrator"):
        services.staff_remove(membership=membership, actor=institution_admin)
    membership.refresh_from_db()
    assert membership.role == InstitutionStaff.Role.ADMIN


def test_with_two_admins_one_can_be_demoted_and_a_member_removed(
    institution_admin, civil_servant, institution
):
    """Roles change freely while another administrator remains; removal keeps history."""
    member = InstitutionStaff.objects.get(user=civil_servant)
    services.staff_set_role(membership=member, actor=institution_admin, role="admin")
    first = InstitutionStaff.objects.get(user=institution_admin)
    services.staff_set_role(membership=first, actor=civil_servant, role="member")
    first.refresh_from_db()
    assert first.role == "member"
    services.staff_remove(membership=first, actor=civil_servant)
    assert not InstitutionStaff.objects.filter(user=institution_admin).exists()
    assert not institution_admin.has_perm("registry.manage_officials", institution)
    assert InstitutionStaff.history.filter(user=institution_admin, history_type="-").exists()


def test_only_approved_staff_have_a_role_to_change(pending_staff, coordinator):
    membership = InstitutionStaff.objects.get(user=pending_staff)
    with pytest.raises(ValidationError):
        services.staff_set_role(membership=membership, actor=coordinator, role="admin")


def test_a_pending_request_can_be_withdrawn(pending_staff):
    membership = InstitutionStaff.objects.get(user=pending_staff)
    services.staff_remove(membership=membership, actor=pending_staff)
    assert not InstitutionStaff.objects.filter(user=pending_staff).exists()


def test_admin_email_goes_only_to_active_admins(
    institution, citizen, django_capture_on_commit_callbacks
):
    inactive = make_user("gone@gov.example.ro", is_active=False)
    InstitutionStaff.objects.create(
        institution=institution, user=inactive, role="admin", status="approved"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.staff_request_join(institution=institution, user=citizen, position="expert")
    assert all(inactive.email not in m.to for m in mail.outbox)
