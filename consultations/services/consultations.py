"""A consultation created, changed and deleted by the civil servants of its institution."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from registry.rules.predicates import is_institution_staff

from .. import dates
from ..models import Consultation
from .common import (
    State,
    check_dates,
    check_official,
    check_territory,
    clean_rich_text,
    require_staff,
    search_text,
)


@transaction.atomic
def consultation_create(
    *,
    actor,
    institution,
    title: str,
    summary: str,
    kind: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    planned_adoption_on: datetime.date,
    planned_endorsement_on: datetime.date | None = None,
    announcement_channels: Iterable[str] = (),
    domains: Iterable = (),
    counties: Iterable = (),
    regions: Iterable = (),
    is_national: bool = False,
    contact_official=None,
    is_urgent: bool = False,
    urgency_justification: str = "",
    moderation: str = Consultation.Moderation.POST,
) -> Consultation:
    """Create a consultation in draft, owned by `institution`, which `actor` serves."""
    if not is_institution_staff(actor, institution):
        raise PermissionDenied(
            _("You may open consultations only for an institution where you are a civil servant.")
        )
    counties, regions, domains = list(counties), list(regions), list(domains)
    errors = check_dates(
        opens_on=opens_on,
        closes_on=closes_on,
        planned_adoption_on=planned_adoption_on,
        planned_endorsement_on=planned_endorsement_on,
        is_urgent=is_urgent,
        urgency_justification=urgency_justification,
        today=dates.local_today(),
    )
    if errors:
        raise ValidationError(errors)
    check_territory(is_national=is_national, counties=counties, regions=regions)
    check_official(contact_official, institution.pk)
    consultation = Consultation(
        institution=institution,
        title=title.strip(),
        summary=clean_rich_text(summary),
        kind=kind,
        opens_on=opens_on,
        closes_on=closes_on,
        planned_adoption_on=planned_adoption_on,
        planned_endorsement_on=planned_endorsement_on,
        announcement_channels=sorted(set(announcement_channels)),
        is_national=is_national,
        contact_official=contact_official,
        is_urgent=is_urgent,
        urgency_justification=urgency_justification.strip() if is_urgent else "",
        moderation=moderation,
        created_by=actor,
    )
    consultation.search_text = search_text(consultation)
    consultation.full_clean()
    consultation.save()
    consultation.domains.set(domains)
    consultation.counties.set([] if is_national else counties)
    consultation.regions.set([] if is_national else regions)
    return consultation


# Fields a civil servant may still change once the consultation is public.
EDITABLE_WHEN_OPEN = {
    "title",
    "summary",
    "closes_on",
    "planned_adoption_on",
    "planned_endorsement_on",
    "announcement_channels",
    "contact_official",
    "domains",
}
EDITABLE_FIELDS = {
    "title",
    "summary",
    "kind",
    "opens_on",
    "closes_on",
    "planned_adoption_on",
    "planned_endorsement_on",
    "announcement_channels",
    "domains",
    "counties",
    "regions",
    "is_national",
    "contact_official",
    "is_urgent",
    "urgency_justification",
    "moderation",
}


@transaction.atomic
def consultation_update(*, consultation: Consultation, actor, **changes) -> Consultation:
    """Change a draft freely; once open, only the title, summary, contact, domains and a
    later closing or adoption date (never a shorter window)."""
    require_staff(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    if consultation.state not in (State.DRAFT, State.SCHEDULED, State.OPEN):
        raise ValidationError(
            _("A consultation that is %(state)s can no longer be changed.")
            % {"state": consultation.get_state_display()}
        )
    m2m = {
        name: list(changes.pop(name))
        for name in ("domains", "counties", "regions")
        if name in changes
    }
    if consultation.state == State.OPEN:
        current_m2m = {
            "counties": list(consultation.counties.all()),
            "regions": list(consultation.regions.all()),
        }
        frozen = [
            name
            for name, value in {**changes, **m2m}.items()
            if name not in EDITABLE_WHEN_OPEN
            and (
                set(value) != set(current_m2m[name])
                if name in current_m2m
                else value != getattr(consultation, name)
            )
        ]
        if frozen:
            raise ValidationError(
                _(
                    "Once the consultation is open, only its title, summary, contact official, "
                    "domains and later dates can change."
                )
            )
        if "closes_on" in changes and changes["closes_on"] < consultation.closes_on:
            raise ValidationError(
                {"closes_on": _("The window for recommendations can be extended, never shortened.")}
            )
    for name, value in changes.items():
        if name == "summary":
            value = clean_rich_text(value)
        elif name == "title":
            value = value.strip()
        setattr(consultation, name, value)
    if not consultation.is_urgent:
        consultation.urgency_justification = ""
    errors = check_dates(
        opens_on=consultation.opens_on,
        closes_on=consultation.closes_on,
        planned_adoption_on=consultation.planned_adoption_on,
        planned_endorsement_on=consultation.planned_endorsement_on,
        is_urgent=consultation.is_urgent,
        urgency_justification=consultation.urgency_justification,
        today=dates.local_today() if consultation.state != State.OPEN else None,
    )
    if consultation.state == State.SCHEDULED and consultation.opens_on <= dates.local_today():
        errors.setdefault("opens_on", []).append(
            _(
                "An announced consultation opens after today; to open it now, use “Open for "
                "recommendations now”."
            )
        )
    if errors:
        raise ValidationError(errors)
    if consultation.state in (State.DRAFT, State.SCHEDULED):
        check_territory(
            is_national=consultation.is_national,
            counties=m2m.get("counties", list(consultation.counties.all())),
            regions=m2m.get("regions", list(consultation.regions.all())),
        )
    check_official(consultation.contact_official, consultation.institution_id)
    if consultation.state == State.OPEN:
        consultation.window_days = dates.window_days(consultation.opens_on, consultation.closes_on)
        consultation.announcement_working_days = dates.working_days_between(
            consultation.opens_on, consultation.legal_clock_date
        )
    consultation.search_text = search_text(consultation)
    consultation.full_clean()
    consultation.save()
    if "domains" in m2m:
        consultation.domains.set(m2m["domains"])
    if consultation.state == State.DRAFT:
        if consultation.is_national:
            consultation.counties.clear()
            consultation.regions.clear()
        else:
            for name in ("counties", "regions"):
                if name in m2m:
                    getattr(consultation, name).set(m2m[name])
    return consultation


@transaction.atomic
def consultation_delete(*, consultation: Consultation, actor) -> None:
    """Delete a draft that was never published."""
    require_staff(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.state != State.DRAFT:
        raise ValidationError(
            _("Only a draft can be deleted; a published consultation can be withdrawn.")
        )
    for document in consultation.documents.all():
        for version in document.versions.all():
            version.file.delete(save=False)
    consultation.delete()
