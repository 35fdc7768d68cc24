"""The library of good practices (submitted by institutions or NGOs, published by
coordinators) and the innovation network's members."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conect.core.text import fold
from registry.rules.predicates import (
    _institution_roles,
    _org_roles,
    is_institution_admin,
    is_organisation_admin,
)
from registry.stats import bump_stats_version

from ..models import NetworkMember, Practice, PracticeDocument
from .common import require_coordinator

PRACTICE_FIELDS = (
    "title",
    "problem",
    "what_was_done",
    "methods_text",
    "results",
    "contact",
    "institution",
    "organisation",
    "county",
)


def _search_text(practice: Practice) -> str:
    parts = [
        practice.title,
        practice.problem,
        practice.what_was_done,
        practice.methods_text,
        practice.results,
        practice.institution.name if practice.institution_id else "",
    ]
    return fold(" ".join(parts))


def practice_submit(
    *, actor, documents=(), domains=(), methods=(), consultations=(), proposals=(), **data
) -> Practice:
    """An institution's civil servant, or a member of an NGO, submits a practice; it is
    public once a coordinator publishes it. An NGO submits in its own name."""
    practice = Practice(submitted_by=actor)
    for field in PRACTICE_FIELDS:
        if field in data:
            setattr(practice, field, data[field])
    organisation = practice.organisation
    in_institution = practice.institution_id in _institution_roles(actor)
    in_organisation = organisation is not None and organisation.pk in _org_roles(actor)
    if not (in_institution or in_organisation):
        raise PermissionDenied(
            _("Submit a practice for an institution you work for, or in the name of your NGO.")
        )
    if practice.county_id is None and practice.institution_id:
        practice.county_id = practice.institution.county_id
    for field in ("title", "contact"):
        setattr(practice, field, (getattr(practice, field) or "").strip())
    practice.search_text = _search_text(practice)
    _check_proposals(practice, proposals)
    practice.full_clean()
    with transaction.atomic():
        practice.save()
        practice.domains.set(domains)
        practice.methods.set(methods)
        practice.consultations.set(
            [c for c in consultations if c.institution_id == practice.institution_id]
        )
        practice.proposals.set(proposals)
        for title, file in documents:
            document = PracticeDocument(practice=practice, title=title, file=file)
            document.full_clean()
            document.save()
    return practice


def _check_proposals(practice: Practice, proposals) -> None:
    """A practice links only public proposals made to its institution's calls."""
    for proposal in proposals:
        if not proposal.is_public or proposal.call.institution_id != practice.institution_id:
            raise ValidationError(
                {
                    "proposals": _(
                        "Link only public proposals made to the institution's calls for proposals."
                    )
                }
            )


def practice_decide(*, actor, practice: Practice, publish: bool) -> Practice:
    """A coordinator publishes a submitted practice, or declines it; the map's practice
    layer changes at once."""
    require_coordinator(actor)
    with transaction.atomic():
        practice = Practice.objects.select_for_update().get(pk=practice.pk)
        if practice.status != Practice.Status.SUBMITTED and publish == (
            practice.status == Practice.Status.PUBLISHED
        ):
            raise ValidationError(_("This practice was already decided."))
        practice.status = Practice.Status.PUBLISHED if publish else Practice.Status.REJECTED
        practice.decided_by = actor
        practice.published_at = timezone.now() if publish else None
        practice.save(update_fields=["status", "decided_by", "published_at"])
        bump_stats_version()
    return practice


def network_join(*, actor, institution=None, organisation=None) -> NetworkMember:
    """An institution's or an NGO's administrator joins it to the innovation network."""
    if (institution is None) == (organisation is None):
        raise ValidationError(_("Choose an institution or an organisation."))
    if institution is not None and not is_institution_admin(actor, institution):
        raise PermissionDenied(_("Only an administrator of the institution can join it."))
    if organisation is not None and not is_organisation_admin(actor, organisation):
        raise PermissionDenied(_("Only an administrator of the organisation can join it."))
    try:
        with transaction.atomic():
            return NetworkMember.objects.create(
                institution=institution, organisation=organisation, joined_by=actor
            )
    except IntegrityError:
        raise ValidationError(
            _("%(name)s is already a member of the network.")
            % {"name": (institution or organisation).name}
        ) from None


def network_leave(*, actor, member: NetworkMember) -> None:
    body_ok = (member.institution and is_institution_admin(actor, member.institution)) or (
        member.organisation and is_organisation_admin(actor, member.organisation)
    )
    if not body_ok:
        raise PermissionDenied(_("Only an administrator can take it out of the network."))
    member.delete()
