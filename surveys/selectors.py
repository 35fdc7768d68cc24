"""Every read of questionnaires with a rule in it: the lists, a survey's questions, its
roster, its results (aggregated by PostgreSQL over the JSON answers and kept in the shared
cache until an answer or a question changes) and the rows of its exports."""

from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, Count, F, Func, Q, Value

from conect.accounts.rules import is_coordinator
from conect.core.versions import version
from registry.rules.predicates import _institution_roles, _org_roles

from .models import Invitation, Notice, Question, Response, Survey
from .services import results_version_key

SMALL_GROUP = 5  # an anonymous breakdown hides a group with fewer answers
RESULTS_TIMEOUT = 60 * 60


def surveys_managed(user):
    """The questionnaires the user manages, newest first, with their counts."""
    surveys = Survey.objects.all()
    if not is_coordinator(user):
        surveys = surveys.filter(
            Q(created_by=user) | Q(institution_id__in=list(_institution_roles(user)))
        )
    return surveys.annotate(
        submitted=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED))
    ).order_by("-created_at", "-pk")


def surveys_open_to(user):
    """Open questionnaires the user may answer: public ones, those for signed-in users,
    and those whose roster holds one of their institutions or organisations."""
    audience = Q(audience=Survey.Audience.PUBLIC)
    if user.is_authenticated:
        audience |= Q(audience=Survey.Audience.SIGNED_IN)
        audience |= Q(
            audience=Survey.Audience.ROSTER,
            invitations__in=Invitation.objects.filter(
                Q(institution_id__in=list(_institution_roles(user)))
                | Q(organisation_id__in=list(_org_roles(user)))
            ),
        )
    return (
        Survey.objects.filter(audience, status=Survey.Status.OPEN)
        .distinct()
        .order_by("deadline", "-pk")
    )


def surveys_with_public_results():
    return (
        Survey.objects.filter(results_public=True)
        .exclude(status=Survey.Status.DRAFT)
        .order_by("-opened_at", "-pk")
    )


def surveys_attached_to(obj):
    """The published questionnaires attached to a consultation (or any other record)."""
    return (
        # The content type by a join, not ContentType's per-process cache: one query
        # always, whichever page asks first.
        Survey.objects.filter(
            target_type__app_label=obj._meta.app_label,
            target_type__model=obj._meta.model_name,
            target_id=obj.pk,
        )
        .exclude(status=Survey.Status.DRAFT)
        .order_by("pk")
    )


def questions_of(survey: Survey):
    return list(survey.questions.select_related(None).order_by("position", "pk"))


def roster(survey: Survey):
    """The roster's members with their response's state and dates."""
    return survey.invitations.select_related(
        "institution", "organisation", "response", "response__submitted_by"
    ).order_by("pk")


def roster_summary(rows) -> dict:
    summary = {"total": 0, "submitted": 0, "started": 0, "opened": 0, "unopened": 0}
    for invitation in rows:
        summary["total"] += 1
        response = getattr(invitation, "response", None)
        if response is not None and response.status == Response.Status.SUBMITTED:
            summary["submitted"] += 1
        elif response is not None:
            summary["started"] += 1
        elif invitation.opened_at:
            summary["opened"] += 1
        else:
            summary["unopened"] += 1
    return summary


def institution_suggestions(query: str, limit: int = 20) -> list[dict]:
    """The institutions whose name holds every word of `query` (folded), by name."""
    from conect.core.text import fold
    from registry.models import Institution

    words = fold(query).split()
    if not words:
        return []
    institutions = Institution.objects.all()
    for word in words:
        institutions = institutions.filter(search_name__contains=word)
    return [
        {"id": pk, "label": name}
        for pk, name in institutions.order_by("name").values_list("pk", "name")[:limit]
    ]


def notices_of(user):
    return Notice.objects.filter(user=user).select_related(
        "invitation__survey", "invitation__institution", "invitation__organisation", "survey"
    )


# --- Results -----------------------------------------------------------------------------


def filtered_responses(survey: Survey, filters: dict | None = None):
    """The submitted responses, filtered by region, county, kind of institution or domain."""
    responses = Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED)
    filters = filters or {}
    if filters.get("region"):
        responses = responses.filter(county__region=filters["region"])
    if filters.get("county"):
        responses = responses.filter(county=filters["county"])
    if filters.get("institution_kind"):
        responses = responses.filter(institution__kind=filters["institution_kind"])
    if filters.get("domain"):
        responses = responses.filter(organisation__domains=filters["domain"])
    return responses


# Each query reads the filtered responses once and takes from each row only the answers
# it counts (`answers ->> '<question id>'`, zipped with the ids by unnest): expanding
# every answer with jsonb_each costs several times more on 100,000 rows of 40 answers.


def _pick(keys, operator="->>"):
    """SQL of `unnest(ids, ARRAY[answers ->> id, ...]) AS x(k, v)` and its parameters."""
    values = ", ".join([f"r.answers {operator} %s"] * len(keys))
    array_type = "text[]" if operator == "->>" else "jsonb[]"
    return f"unnest(%s::text[], ARRAY[{values}]::{array_type}) AS x(k, v)", [list(keys), *keys]


def _rows(cursor, responses_sql, params, keys, select, *, operator="->>", join="", group="1, 2"):
    if not keys:
        return []
    pick, pick_params = _pick(keys, operator)
    cursor.execute(
        f"SELECT {select} FROM ({responses_sql}) r CROSS JOIN LATERAL {pick} {join} "
        f"WHERE x.v IS NOT NULL GROUP BY {group}",
        [*params, *pick_params],
    )
    return cursor.fetchall()


def _numbers(survey: Survey, questions, filters: dict) -> dict:
    """The raw numbers of the results (no labels: they do not depend on the language)."""
    responses = filtered_responses(survey, filters)
    sql, params = responses.values("answers").query.sql_with_params()
    kinds = Question.Kind
    of = lambda *wanted: [q.key for q in questions if q.kind in wanted]  # noqa: E731
    answerable = {q.key for q in questions if not q.is_section}
    numbers = {"total": responses.count(), "answered": {}, "counts": {}, "ranks": {}, "stats": {}}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT k, count(*) FROM ({sql}) r CROSS JOIN LATERAL jsonb_object_keys(r.answers) k "
            "GROUP BY 1",
            params,
        )
        numbers["answered"] = {key: count for key, count in cursor.fetchall() if key in answerable}
        scalars = of(kinds.SINGLE, kinds.SCALE, kinds.YES_NO)
        for key, value, count in _rows(cursor, sql, params, scalars, "x.k, x.v, count(*)"):
            numbers["counts"].setdefault(key, {})[value] = count
        stats = "x.k, avg(x.v::numeric), min(x.v::numeric), max(x.v::numeric)"
        for key, avg, low, high in _rows(cursor, sql, params, of(kinds.NUMBER), stats, group="1"):
            numbers["stats"][key] = [float(avg), float(low), float(high)]
        elements = (
            "CROSS JOIN LATERAL jsonb_array_elements_text("
            "CASE WHEN jsonb_typeof(x.v) = 'array' THEN x.v ELSE '[]' END"
            ") WITH ORDINALITY e(val, ord)"
        )
        ranking = set(of(kinds.RANKING))
        for key, value, count, avg in _rows(
            cursor, sql, params, of(kinds.MULTIPLE, kinds.RANKING),
            "x.k, e.val, count(*), avg(e.ord)", operator="->", join=elements,
        ):  # fmt: skip
            if key in ranking:
                numbers["ranks"].setdefault(key, {})[value] = float(avg)
            else:
                numbers["counts"].setdefault(key, {})[value] = count
        cells = (
            "CROSS JOIN LATERAL jsonb_each("
            "CASE WHEN jsonb_typeof(x.v) = 'object' THEN x.v ELSE '{}' END) o "
            "CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(o.value) = "
            "'array' THEN o.value ELSE jsonb_build_array(o.value) END) c(val)"
        )
        for key, value, count in _rows(
            cursor, sql, params, of(*Question.MATRIX_KINDS), "x.k, o.key || '=' || c.val, count(*)",
            operator="->", join=cells,
        ):  # fmt: skip
            numbers["counts"].setdefault(key, {})[value] = count
    numbers["breakdown"] = (
        {by: _breakdown_counts(survey, by) for by in ("county", "region")} if not filters else {}
    )
    return numbers


def _breakdown_counts(survey: Survey, by: str) -> list[list]:
    field = "county__name" if by == "county" else "county__region__name"
    rows = (
        Response.objects.filter(
            survey=survey, status=Response.Status.SUBMITTED, county__isnull=False
        )
        .values(field)
        .annotate(count=Count("pk"))
        .order_by(field)
    )
    return [[row[field], row["count"]] for row in rows]


def breakdown(survey: Survey, by: str = "county", numbers: dict | None = None) -> list[dict]:
    """Submitted responses per county (or region): [{"name", "count", "hidden"}]; in an
    anonymous questionnaire a group of fewer than 5 shows no number."""
    rows = numbers["breakdown"][by] if numbers else _breakdown_counts(survey, by)
    return [
        {"name": name, "count": count, "hidden": survey.is_anonymous and count < SMALL_GROUP}
        for name, count in rows
    ]


def cached_numbers(survey: Survey, questions, filters: dict | None = None) -> dict:
    """The numbers of the results, from the shared cache (computed when missing: an
    answer submitted or a question changed gives them a new version)."""
    filters = {k: v for k, v in (filters or {}).items() if v}
    key_filters = {k: getattr(v, "pk", v) for k, v in filters.items()}
    base = results_version_key(survey.pk)
    cache_key = f"{base}:{version(base)}:{sorted(key_filters.items())}"
    numbers = cache.get(cache_key)
    if numbers is None:
        numbers = _numbers(survey, questions, filters)
        cache.set(cache_key, numbers, RESULTS_TIMEOUT)
    return numbers


def results(survey: Survey, questions, filters: dict | None = None) -> dict:
    """Per question: how many answered and, for choices, scales, yes/no and matrices, the
    count and percentage of each value; for rankings the average rank; for numbers the
    average, smallest and largest. Labels in the active language.

    An anonymous questionnaire filtered down to fewer than 5 answers shows nothing (the
    group could be recognised): `hidden` is then True."""
    filters = {k: v for k, v in (filters or {}).items() if v}
    numbers = cached_numbers(survey, questions, filters)
    hidden = bool(survey.is_anonymous and filters and numbers["total"] < SMALL_GROUP)
    items = []
    for question in questions:
        if question.is_section:
            items.append({"question": question, "section": True})
            continue
        answered = 0 if hidden else numbers["answered"].get(question.key, 0)
        item = {"question": question, "answered": answered, "rows": [], "matrix": [], "stats": None}
        counts = {} if hidden else numbers["counts"].get(question.key, {})
        if question.kind in Question.MATRIX_KINDS:
            columns = question.value_choices()
            for row_key, row_label in question.row_labels().items():
                cells = [counts.get(f"{row_key}={key}", 0) for key, _label in columns]
                item["matrix"].append({"label": row_label, "cells": cells})
            item["columns"] = [label for _key, label in columns]
        elif question.kind in Question.COUNTED_KINDS:
            for key, label in question.value_choices():
                count = counts.get(key, 0)
                share = round(100 * count / answered, 1) if answered else 0
                item["rows"].append({"label": label, "count": count, "percent": share})
        elif question.kind == Question.Kind.RANKING:
            ranks = {} if hidden else numbers["ranks"].get(question.key, {})
            item["ranks"] = sorted(
                (
                    {"label": label, "average": round(ranks[key], 2)}
                    for key, label in question.choice_labels().items()
                    if key in ranks
                ),
                key=lambda r: r["average"],
            )
        elif question.kind == Question.Kind.NUMBER and not hidden:
            stats = numbers["stats"].get(question.key)
            if stats:
                item["stats"] = {"average": round(stats[0], 2), "min": stats[1], "max": stats[2]}
        item["free"] = question.kind in Question.TEXT_KINDS or (question.allow_other)
        items.append(item)
    return {"total": numbers["total"], "hidden": hidden, "items": items}


def chart_data(result: dict) -> dict:
    """Chart.js configurations for the counted questions (the same numbers are in the table
    beside each chart)."""
    charts = {}
    for item in result["items"]:
        if item.get("section"):
            continue
        question = item["question"]
        if item["rows"]:
            charts[question.key] = {
                "type": "bar",
                "labels": [r["label"] for r in item["rows"]],
                "datasets": [
                    {"label": question.text_display, "data": [r["count"] for r in item["rows"]]}
                ],
            }
        elif item["matrix"]:
            charts[question.key] = {
                "type": "bar",
                "stacked": True,
                "labels": [r["label"] for r in item["matrix"]],
                "datasets": [
                    {"label": column, "data": [row["cells"][i] for row in item["matrix"]]}
                    for i, column in enumerate(item["columns"])
                ],
            }
    return charts


def free_answers(survey: Survey, question: Question, *, q: str = "", filters: dict | None = None):
    """The text answers to a question (and the "other" texts), newest first, searched."""
    key = question.key
    responses = filtered_responses(survey, filters).filter(
        Q(answers__has_key=key) | Q(answers__has_key=f"{key}_other")
    )
    if q:
        # jsonb_extract_path_text, not answers__<key>: a key of digits would be read as
        # an index into an array.
        responses = responses.annotate(
            _text=Func(
                F("answers"),
                Value(key),
                function="jsonb_extract_path_text",
                output_field=CharField(),
            ),
            _other=Func(
                F("answers"),
                Value(f"{key}_other"),
                function="jsonb_extract_path_text",
                output_field=CharField(),
            ),
        ).filter(Q(_text__icontains=q) | Q(_other__icontains=q))
    return responses.only("pk", "answers", "submitted_at").order_by("-pk")


def export_rows(survey: Survey, questions, *, chunk_size: int = 2000):
    """(header, rows) of every submitted answer, read in chunks as the rows are written."""
    from django.utils.translation import gettext

    from .answers import display_value

    answered = [q for q in questions if not q.is_section]
    identified = not survey.is_anonymous
    header = [gettext("Response"), gettext("Submitted at")]
    if identified:
        header += [gettext("Institution"), gettext("Organisation"), gettext("Submitted by")]
    header += [gettext("County")]
    header += [q.text_display for q in answered]
    columns = ["pk", "submitted_at", "answers", "county__name"]
    if identified:
        columns += ["institution__name", "organisation__name", "submitted_by__name"]
    values = (
        Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED)
        .order_by("pk")
        .values_list(*columns)
    )

    def rows():
        for record in values.iterator(chunk_size=chunk_size):
            pk, submitted_at, answers, county = record[:4]
            row = [pk, submitted_at]
            if identified:
                row += list(record[4:])
            row.append(county)
            row += [display_value(q, answers.get(q.key), answers) for q in answered]
            yield row

    return header, rows()
