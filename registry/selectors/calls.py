"""Reads of the selection of representatives (issue 18)."""

from ..models import MembershipApplication, MembershipCall, SelectionEvent


def selection_call(pk: int) -> MembershipCall:
    """The call with its structure, institution and selection: one query."""
    return MembershipCall.objects.select_related("structure__institution", "selection").get(pk=pk)


def selection_applications(call: MembershipCall) -> list[MembershipApplication]:
    """The applications with their organisation, evaluation and appeal: one query."""
    return list(
        MembershipApplication.objects.filter(call=call)
        .select_related("organisation", "evaluation", "appeal")
        .order_by("organisation__name", "pk")
    )


def selection_events(call: MembershipCall) -> list[SelectionEvent]:
    """The steps of the selection, oldest first: one query."""
    return list(SelectionEvent.objects.filter(call=call).order_by("at", "pk"))


def structure_selection_steps(structure_id: int, *, limit: int) -> list[SelectionEvent]:
    """The latest `limit` steps of the selections of every call of a structure, newest
    first, each with its call and who took it: one query."""
    return list(
        SelectionEvent.objects.filter(structure_id=structure_id)
        .select_related("call", "actor")
        .order_by("-at", "-pk")[:limit]
    )


__all__ = [
    "selection_applications",
    "selection_call",
    "selection_events",
    "structure_selection_steps",
]
