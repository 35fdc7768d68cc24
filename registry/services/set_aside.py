"""The review of the registry rows set aside by an import (issue 18).

A row whose name is a court ruling's text is not created as an organisation: the import
keeps it (`SetAsideRow`) for a coordinator, who either dismisses it (the ruling concerns
an organisation already in the registry, or nothing at all) or imports it under the name
the ruling gives. An imported one is then found in the next files by its number and text,
so that it is not listed as "no longer in the file"."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conect.accounts.models import User
from conect.core.text import fix_diacritics, fold

from ..importer.columns import NAME_MAX_LENGTH
from ..importer.values import is_court_ruling, registration_year, registry_name_key
from ..models import Organisation, SetAsideRow
from ..search import update_organisation_vectors
from ..stats import bump_stats_version


def _pending(row: SetAsideRow) -> SetAsideRow:
    locked = SetAsideRow.objects.select_for_update().get(pk=row.pk)
    if locked.status != SetAsideRow.Status.PENDING:
        raise ValidationError(
            _("This row was already reviewed (%(status)s): reload the list.")
            % {"status": locked.get_status_display()},
            code="reviewed",
        )
    return locked


def _decided(row: SetAsideRow, actor: User, status: str, organisation=None) -> None:
    row.status = status
    row.organisation = organisation
    row.decided_by = actor
    row.decided_at = timezone.now()
    row.save(update_fields=["status", "organisation", "decided_by", "decided_at"])


@transaction.atomic
def set_aside_dismiss(*, row: SetAsideRow, actor: User) -> SetAsideRow:
    """Dismiss a row set aside: nothing is created, and the next imports leave it
    dismissed. Refused when someone reviewed it in the meantime."""
    locked = _pending(row)
    _decided(locked, actor, SetAsideRow.Status.DISMISSED)
    return locked


@transaction.atomic
def set_aside_import(*, row: SetAsideRow, actor: User, name: str) -> Organisation:
    """Create the organisation that a row set aside stands for, under the name the
    coordinator read in the ruling: an imported record (not yet claimed), with the row's
    registry number, registration year and legal form. Refused, changing nothing, when the
    name is missing, too long or is itself a ruling's text, or the row was reviewed."""
    name = " ".join(fix_diacritics(name or "").split())
    if not name:
        raise ValidationError({"name": _("Write the organisation's name, as the ruling gives it.")})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("The name is longer than %(max)d characters.") % {"max": NAME_MAX_LENGTH}}
        )
    if is_court_ruling(name):
        raise ValidationError(
            {"name": _("This is still the text of a ruling: write only the organisation's name.")}
        )
    locked = _pending(row)
    organisation = Organisation(
        name=name,
        search_name=fold(name)[:300],
        legal_form=locked.legal_form or Organisation.LegalForm.ASSOCIATION,
        registry_number=locked.registry_number,
        registration_year=registration_year(locked.registry_number),
        registry_name_key=registry_name_key(name),
        status=Organisation.Status.IMPORTED,
        status_changed_at=timezone.now(),
        status_changed_by=actor,
        created_by=actor,
    )
    organisation.full_clean(validate_unique=False, validate_constraints=False)
    organisation._history_user = actor
    organisation._change_reason = f"Set aside by the import of the registry (row {locked.pk})"
    organisation.save()
    _decided(locked, actor, SetAsideRow.Status.IMPORTED, organisation)
    update_organisation_vectors([organisation.pk])
    bump_stats_version()
    return organisation
