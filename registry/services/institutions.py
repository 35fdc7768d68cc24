"""Writes to public institutions and their staff.

Callers check the named permission first (registry.add_institution,
registry.change_institution, registry.join_institution, registry.manage_staff); these
functions keep the records consistent and send the e-mails that go with each change.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conect.core.emails import enqueue_email
from conect.core.text import fold

from ..models import County, Institution, InstitutionStaff
from ..rules.predicates import forget_roles
from ..stats import bump_stats_version

INSTITUTION_FIELDS = ("name", "kind", "level", "county", "parent", "website", "email")


def track(record, actor) -> None:
    """Name who makes the next change in the record's history, also outside a request
    (commands, tasks), where the history middleware does not know the user."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        record._history_user = actor


def _timestamp(moment) -> str:
    """A moment to the microsecond, for e-mail keys: a new request or decision (even in
    the same second) is a new e-mail, a retried task is not."""
    return f"{moment.timestamp():.6f}"


def institution_create(
    *,
    actor,
    name: str,
    kind: str,
    level: str,
    county: County | None = None,
    parent: Institution | None = None,
    website: str = "",
    email: str = "",
) -> Institution:
    """Add a public institution to the registry (coordinators do this)."""
    institution = Institution(
        name=" ".join(name.split()),
        kind=kind,
        level=level,
        county=county,
        parent=parent,
        website=website,
        email=email,
    )
    institution.search_name = fold(institution.name)
    institution.full_clean()
    track(institution, actor)
    institution.save()
    bump_stats_version()
    return institution


@transaction.atomic
def institution_update(*, institution: Institution, actor, **changes) -> Institution:
    """Change an institution's public data; only the fields in INSTITUTION_FIELDS."""
    unknown = set(changes) - set(INSTITUTION_FIELDS)
    if unknown:
        raise TypeError(f"institution_update() got unexpected fields: {sorted(unknown)}")
    # Work on the stored row: a bound form may already have changed the caller's copy.
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    old_county = institution.county_id
    for field, value in changes.items():
        setattr(institution, field, value)
    institution.name = " ".join(institution.name.split())
    institution.search_name = fold(institution.name)
    institution.full_clean()
    track(institution, actor)
    institution.save()
    if institution.county_id != old_county:
        bump_stats_version()
    return institution


# --- Staff -------------------------------------------------------------------


def _institution_admins(institution: Institution):
    return get_user_model().objects.filter(
        is_active=True,
        institution_memberships__institution=institution,
        institution_memberships__status=InstitutionStaff.Status.APPROVED,
        institution_memberships__role=InstitutionStaff.Role.ADMIN,
    )


def _approved_admin_count(institution: Institution) -> int:
    return InstitutionStaff.objects.filter(
        institution=institution,
        status=InstitutionStaff.Status.APPROVED,
        role=InstitutionStaff.Role.ADMIN,
    ).count()


@transaction.atomic
def staff_request_join(*, institution: Institution, user, position: str) -> InstitutionStaff:
    """A verified user asks to join an institution's staff with the position they hold.

    The request waits for a coordinator or an administrator of the institution; these are
    told by e-mail (the institution's administrators, or the coordinators when it has
    none yet). Someone who was refused may ask again.
    """
    position = " ".join((position or "").split())
    if not position:
        raise ValidationError({"position": _("Say which position you hold there.")})
    membership = (
        InstitutionStaff.objects.select_for_update()
        .filter(institution=institution, user=user)
        .first()
    )
    if membership is not None and membership.status == InstitutionStaff.Status.APPROVED:
        raise ValidationError(_("You are already on the staff of this institution."))
    if membership is not None and membership.status == InstitutionStaff.Status.PENDING:
        raise ValidationError(_("Your request to join this institution is already waiting."))
    if membership is None:
        membership = InstitutionStaff(institution=institution, user=user)
    membership.position = position
    membership.status = InstitutionStaff.Status.PENDING
    membership.role = InstitutionStaff.Role.MEMBER
    membership.requested_at = timezone.now()
    membership.decided_at = None
    membership.decided_by = None
    membership.decision_reason = ""
    membership.full_clean(validate_unique=False)
    track(membership, user)
    membership.save()

    recipients = list(_institution_admins(institution))
    if not recipients:
        recipients = list(get_user_model().objects.filter(is_active=True, is_coordinator=True))
    context = {
        "institution_id": institution.pk,
        "institution_name": institution.name,
        "requester_name": user.name or user.email,
        "position": position,
    }
    for recipient in recipients:
        enqueue_email(
            to_user=recipient,
            template="registry/emails/institution_join_requested",
            context=context,
            key=(
                f"institution-join-requested:{membership.pk}:"
                f"{_timestamp(membership.requested_at)}:{recipient.pk}"
            ),
        )
    return membership


def _ensure_pending(membership: InstitutionStaff) -> None:
    if membership.status != InstitutionStaff.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))


@transaction.atomic
def staff_approve(
    *, membership: InstitutionStaff, actor, role: str = InstitutionStaff.Role.MEMBER
) -> InstitutionStaff:
    """Approve a request to join: the user becomes staff with `role`, and is told so."""
    membership = InstitutionStaff.objects.select_for_update().get(pk=membership.pk)
    _ensure_pending(membership)
    membership.status = InstitutionStaff.Status.APPROVED
    membership.role = role
    membership.decided_at = timezone.now()
    membership.decided_by = actor
    membership.decision_reason = ""
    membership.full_clean(validate_unique=False)
    track(membership, actor)
    membership.save()
    forget_roles(membership.user)
    enqueue_email(
        to_user=membership.user,
        template="registry/emails/institution_join_approved",
        context={
            "institution_id": membership.institution_id,
            "institution_name": membership.institution.name,
            "role": membership.role,
        },
        key=f"institution-join-approved:{membership.pk}:{_timestamp(membership.decided_at)}",
    )
    return membership


@transaction.atomic
def staff_reject(*, membership: InstitutionStaff, actor, reason: str) -> InstitutionStaff:
    """Refuse a request to join, with the reason the user is sent."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the refusal.")})
    membership = InstitutionStaff.objects.select_for_update().get(pk=membership.pk)
    _ensure_pending(membership)
    membership.status = InstitutionStaff.Status.REJECTED
    membership.decided_at = timezone.now()
    membership.decided_by = actor
    membership.decision_reason = reason
    membership.full_clean(validate_unique=False)
    track(membership, actor)
    membership.save()
    enqueue_email(
        to_user=membership.user,
        template="registry/emails/institution_join_rejected",
        context={
            "institution_id": membership.institution_id,
            "institution_name": membership.institution.name,
            "reason": reason,
        },
        key=f"institution-join-rejected:{membership.pk}:{_timestamp(membership.decided_at)}",
    )
    return membership


LAST_ADMIN_MESSAGE = gettext_lazy(
    "An institution keeps at least one administrator: name another administrator first."
)


@transaction.atomic
def staff_set_role(*, membership: InstitutionStaff, actor, role: str) -> InstitutionStaff:
    """Make an approved staff member an administrator or a plain member; the last
    administrator cannot be made a member."""
    # Lock the institution's staff rows so two administrators cannot demote each other.
    list(InstitutionStaff.objects.select_for_update().filter(institution=membership.institution))
    membership.refresh_from_db()
    if membership.status != InstitutionStaff.Status.APPROVED:
        raise ValidationError(_("Only approved staff members have a role to change."))
    if role not in InstitutionStaff.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if (
        membership.role == InstitutionStaff.Role.ADMIN
        and role != InstitutionStaff.Role.ADMIN
        and _approved_admin_count(membership.institution) <= 1
    ):
        raise ValidationError(LAST_ADMIN_MESSAGE, code="last_admin")
    if membership.role == role:
        return membership
    membership.role = role
    track(membership, actor)
    membership.save(update_fields=["role"])
    forget_roles(membership.user)
    return membership


@transaction.atomic
def staff_remove(*, membership: InstitutionStaff, actor) -> None:
    """Take a user off an institution's staff (or withdraw a request). The last
    administrator cannot be removed. The history keeps the removed row."""
    list(InstitutionStaff.objects.select_for_update().filter(institution=membership.institution))
    membership.refresh_from_db()
    if (
        membership.status == InstitutionStaff.Status.APPROVED
        and membership.role == InstitutionStaff.Role.ADMIN
        and _approved_admin_count(membership.institution) <= 1
    ):
        raise ValidationError(LAST_ADMIN_MESSAGE, code="last_admin")
    user = membership.user
    track(membership, actor)
    membership.delete()
    forget_roles(user)
