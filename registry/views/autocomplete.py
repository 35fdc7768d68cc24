"""Suggestions for the fields that choose among thousands of records (an institution's
parent, a seat's official; conect.core.forms.AutocompleteChoiceField): GET ?q= answers
with at most LIMIT records, as JSON [{"id": ..., "label": ...}], to the people who may fill
in the form that asks, from the same queryset that the form's field accepts."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from conect.core.text import fold

from ..forms.institutions import OfficialChoiceField, official_choices, parent_choices
from ..models import AdvisoryStructure, Institution

LIMIT = 20


def _check(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _suggestions(request, records: QuerySet, label, names=("search_name",)) -> JsonResponse:
    """The records whose names (folded columns) hold every word of ?q= (diacritics and
    case ignored)."""
    words = fold(request.GET.get("q", "")).split()
    if not words:
        return JsonResponse([], safe=False)
    for word in words:
        found_in = Q()
        for name in names:
            found_in |= Q(**{f"{name}__contains": word})
        records = records.filter(found_in)
    found = [{"id": record.pk, "label": label(record)} for record in records[:LIMIT]]
    return JsonResponse(found, safe=False)


@require_GET
def institution_parents(request, pk: int | None = None):
    """The institutions that may be the parent of institution `pk` (of a new one when
    None): every one but itself."""
    if pk is None:
        _check(request, "registry.add_institution")
        institution = None
    else:
        institution = get_object_or_404(Institution.objects.only("id"), pk=pk)
        _check(request, "registry.change_institution", institution)
    return _suggestions(request, parent_choices(institution), str)


@require_GET
def seat_officials(request, pk: int):
    """The published officials who may be given a seat in structure `pk`."""
    structure = get_object_or_404(AdvisoryStructure, pk=pk)
    _check(request, "registry.manage_seats", structure)
    label = OfficialChoiceField(official_choices()).label_from_instance
    names = ("search_name", "institution__search_name")
    return _suggestions(request, official_choices(), label, names)
