"""Reads of the registry rows set aside by the imports (issue 18)."""

from collections import defaultdict

from ..models import Organisation, SetAsideRow


def set_aside_pending():
    """The rows still to review, newest first, with their import: one query a page."""
    return (
        SetAsideRow.objects.filter(status=SetAsideRow.Status.PENDING)
        .select_related("job")
        .order_by("-created_at", "-pk")
    )


def with_namesakes(rows) -> list[SetAsideRow]:
    """`rows`, each with `namesakes`: the organisations of the registry that have its
    registry number (what the ruling most likely concerns). One query."""
    rows = list(rows)
    numbers = {row.registry_number for row in rows if row.registry_number}
    found = defaultdict(list)
    if numbers:
        for organisation in (
            Organisation.objects.filter(registry_number__in=numbers)
            .only("pk", "name", "registry_number", "status")
            .order_by("name", "pk")
        ):
            found[organisation.registry_number].append(organisation)
    for row in rows:
        row.namesakes = found.get(row.registry_number, []) if row.registry_number else []
    return rows
