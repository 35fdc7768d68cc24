"""The annual report on decisional transparency: what only the institution's staff know,
completed by them, and the report's publication."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Institution
from registry.rules.predicates import is_institution_staff

from ..models import AnnualReportStatement

STATEMENT_EDITABLE = (
    "court_cases",
    "court_cases_details",
    "self_assessment",
    "non_public_meetings",
    "non_public_meetings_reasons",
    "draft_requests_people",
    "draft_requests_associations",
    "officials_designation",
)


def _check(actor, institution: Institution, year: int) -> None:
    if actor is None or not is_institution_staff(actor, institution):
        raise PermissionDenied(
            _("Only the institution's civil servants may complete its annual report.")
        )
    if year > timezone.localdate().year:
        raise ValidationError(_("The report of a year that has not begun cannot be completed."))


@transaction.atomic
def annual_statement_save(
    *, institution: Institution, year: int, actor, **values
) -> AnnualReportStatement:
    """Save what the staff state for the year (court cases, self-assessment, meetings
    that were not public and why, requests for drafts, how the officials were named). A
    published report can still be corrected; it stays published."""
    _check(actor, institution, year)
    unknown = set(values) - set(STATEMENT_EDITABLE)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    statement, _created = AnnualReportStatement.objects.select_for_update().get_or_create(
        institution=institution, year=year
    )
    for name, value in values.items():
        setattr(statement, name, value.strip() if isinstance(value, str) else value)
    if statement.non_public_meetings and not statement.non_public_meetings_reasons:
        raise ValidationError(
            {"non_public_meetings_reasons": _("Say why the meetings were not public.")}
        )
    statement.updated_by = actor
    statement.full_clean()
    statement.save()
    return statement


@transaction.atomic
def annual_report_publish(
    *, institution: Institution, year: int, actor, publish: bool = True
) -> AnnualReportStatement:
    """Publish (or withdraw) the institution's report for a finished year: anyone may
    then read it as a page, a PDF and a CSV."""
    _check(actor, institution, year)
    if publish and year >= timezone.localdate().year:
        raise ValidationError(_("A year's report is published once the year has ended."))
    statement, _created = AnnualReportStatement.objects.select_for_update().get_or_create(
        institution=institution, year=year
    )
    statement.published_at = timezone.now() if publish else None
    statement.updated_by = actor
    statement.save(update_fields=["published_at", "updated_by", "updated_at"])
    return statement
