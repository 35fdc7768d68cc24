"""The history of any registry record (who changed what, and when), for coordinators.

One page serves every model of the registry that keeps a history (simple_history):
/registry/history/<model>/<pk>/, where <model> is the model's name in lower case
(institution, relationshipofficial, advisorystructure, seat, ...; an organisation's is
/registry/organisations/<pk>/history/, which adds its members' changes). Link to
it with {% url "registry:history" model="institution" pk=institution.pk %}.

The page reads the latest HISTORY_LIMIT versions in a constant number of queries: the
versions with their authors, one query per kind of related record named in them, and
one per many-to-many field that the history tracks.
"""

from collections import defaultdict
from datetime import timedelta

from django.apps import apps
from django.db import models
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..selectors.calls import structure_selection_steps
from .institutions import authorize

HISTORY_LIMIT = 200
# A version that only changes many-to-many fields (the domains set right after a save)
# is shown with the version before it, when the same person made both this close together.
MERGE_WINDOW = timedelta(seconds=2)
HIDDEN_FIELDS = {"id", "created_at", "updated_at", "search_name", "search_vector"}
# Change reasons the services record, shown in words.
REASONS = {"official-link": gettext_lazy("by the official, through the e-mailed link")}


def _history_model(model_name: str):
    try:
        model = apps.get_model("registry", model_name)
    except LookupError:
        raise Http404 from None
    manager = getattr(model, "history", None)
    if manager is None or not hasattr(manager, "model"):
        raise Http404
    return model, manager.model


def _fields(history_model) -> list:
    return [f for f in history_model.tracked_fields if f.name not in HIDDEN_FIELDS]


def _labels(model, ids) -> dict:
    """{pk: str(record)} in one query, without large JSON columns (county boundaries)."""
    if not ids:
        return {}
    heavy = [f.name for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
    return {pk: str(obj) for pk, obj in model._default_manager.defer(*heavy).in_bulk(ids).items()}


def _related_names(records, fields) -> dict:
    """{field name: {pk: label}} for every foreign key named in `records`: one query per
    field that names anything."""
    labels = {}
    for field in fields:
        if not field.is_relation:
            continue
        ids = {getattr(r, field.attname) for r in records} - {None}
        if ids:
            labels[field.name] = _labels(field.related_model, ids)
    return labels


def _m2m_values(records, history_model) -> dict:
    """{field name: {history_id: sorted labels}}: one query per tracked many-to-many field."""
    values = {}
    m2m_fields = getattr(history_model, "_history_m2m_fields", [])
    if not m2m_fields:
        return values
    ids = [r.history_id for r in records]
    for field in m2m_fields:
        m2m_history = getattr(history_model, field.name).model
        target = field.related_model
        target_column = next(
            f.attname
            for f in m2m_history._meta.fields
            if f.is_relation and f.related_model is target
        )
        rows = m2m_history.objects.filter(history_id__in=ids).values_list(
            "history_id", target_column
        )
        rows = list(rows)
        names = _labels(target, {r[1] for r in rows})
        by_record = defaultdict(list)
        for history_id, target_id in rows:
            by_record[history_id].append(names.get(target_id, f"#{target_id}"))
        values[field.name] = {
            history_id: sorted(by_record.get(history_id, [])) for history_id in ids
        }
    return values


def _display(field, value, labels):
    if value is None or value == "":
        return ""
    if field.is_relation:
        return labels.get(field.name, {}).get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    return value


def _entries(records, history_model) -> list[dict]:
    """Versions, oldest first, turned into entries: when, who, what kind of change and
    the fields that changed (old → new)."""
    fields = _fields(history_model)
    labels = _related_names(records, fields)
    m2m = _m2m_values(records, history_model)
    m2m_fields = getattr(history_model, "_history_m2m_fields", [])
    m2m_names = {f.name for f in m2m_fields}
    entries, previous = [], None
    for record in records:
        changes = {}
        for field in fields:
            new = getattr(record, field.attname)
            old = getattr(previous, field.attname) if previous is not None else None
            if previous is None and new in (None, "", False):
                continue
            if previous is not None and old == new:
                continue
            changes[field.name] = {
                "label": field.verbose_name,
                "old": _display(field, old, labels) if previous is not None else "",
                "new": _display(field, new, labels),
            }
        for field in m2m_fields:
            new = m2m[field.name].get(record.history_id, [])
            old = m2m[field.name].get(previous.history_id, []) if previous is not None else []
            if new != old:
                changes[field.name] = {
                    "label": field.verbose_name,
                    "old": ", ".join(old),
                    "new": ", ".join(new),
                }
        last = entries[-1] if entries else None
        if (
            last is not None
            and record.history_type == "~"
            and set(changes) <= m2m_names
            and last["user_id"] == record.history_user_id
            and last["reason_code"] == (record.history_change_reason or "")
            and record.history_date - last["last_date"] <= MERGE_WINDOW
        ):
            for name, change in changes.items():
                if name in last["changes"]:
                    last["changes"][name]["new"] = change["new"]
                else:
                    last["changes"][name] = change
            last["last_date"] = record.history_date
            last["changes"] = {k: v for k, v in last["changes"].items() if v["old"] != v["new"]}
        else:
            reason = record.history_change_reason or ""
            entries.append(
                {
                    "date": record.history_date,
                    "last_date": record.history_date,
                    "type": record.history_type,
                    "user": record.history_user,
                    "user_id": record.history_user_id,
                    "reason": REASONS.get(reason, reason),
                    "reason_code": reason,
                    "changes": changes,
                }
            )
        previous = record
    for entry in entries:
        entry["changes"] = list(entry["changes"].values())
    return entries


# Records whose own page tells their history better (an organisation's also shows the
# changes to its members): the generic address leads there, so each has one history page.
OWN_HISTORY_PAGES = {"organisation": "registry:organisation-history"}


def record_history(request, model: str, pk: int):
    if denied := authorize(request, "registry.view_history"):
        return denied
    if model in OWN_HISTORY_PAGES:
        return redirect(OWN_HISTORY_PAGES[model], pk, permanent=True)
    model_class, history_model = _history_model(model)
    records = list(
        history_model.objects.filter(id=pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: HISTORY_LIMIT + 1]
    )
    if not records:
        raise Http404
    truncated = len(records) > HISTORY_LIMIT
    records = records[:HISTORY_LIMIT][::-1]
    entries = _entries(records, history_model)
    entries.reverse()
    current = model_class._default_manager.filter(pk=pk).first()
    # A structure's history also tells the steps of choosing its NGO representatives.
    steps = None
    if model == "advisorystructure":
        steps = structure_selection_steps(pk, limit=HISTORY_LIMIT)
    return render(
        request,
        "registry/history.html",
        {
            "record": current,
            "record_label": str(current) if current is not None else str(records[-1]),
            "model_name": model_class._meta.verbose_name,
            "entries": entries,
            "truncated": truncated,
            "limit": HISTORY_LIMIT,
            "selection_steps": steps,
        },
    )
