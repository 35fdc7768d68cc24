"""Which questions a respondent sees, given their answers (the conditions), and what is
kept of the answers: pure functions shared by the answer form, the service that saves a
response and the tests. static/js/surveys-form.js applies the same rules in the browser,
but only this server-side evaluation decides."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from .models import Question

EMPTY = (None, "", [], {})


def condition_met(question: Question, answers: dict, shown: dict) -> bool:
    """The question's own condition, on an earlier question that is itself shown."""
    if not question.condition_question_id:
        return True
    if not shown.get(question.condition_question_id, False):
        return False
    value = answers.get(str(question.condition_question_id))
    if isinstance(value, list):
        return question.condition_value in value
    if value is None:
        return False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value) == question.condition_value


def shown_questions(questions, answers: dict) -> dict[int, bool]:
    """{question id: shown} in the order of the questions. A section's condition hides
    every question up to the next section."""
    shown: dict[int, bool] = {}
    section_shown = True
    for question in questions:
        if question.is_section:
            section_shown = condition_met(question, answers, shown)
            shown[question.pk] = section_shown
        else:
            shown[question.pk] = section_shown and condition_met(question, answers, shown)
    return shown


def prune(questions, answers: dict, *, complete: bool) -> dict:
    """The answers to keep: those of shown questions, not empty (an answer to a hidden
    question is dropped, as if never given). With `complete` (a submission), every shown
    required question must have an answer: ValidationError {field name: message}."""
    questions = list(questions)
    shown = shown_questions(questions, answers)
    kept = {}
    missing = {}
    for question in questions:
        if question.is_section or not shown.get(question.pk):
            continue
        value = answers.get(question.key)
        if value in EMPTY:
            if complete and question.required:
                missing[f"q{question.pk}"] = gettext("This question needs an answer.")
            continue
        kept[question.key] = value
        other = answers.get(f"{question.key}_other")
        if other and (value == "other" or (isinstance(value, list) and "other" in value)):
            kept[f"{question.key}_other"] = other
    if missing:
        raise ValidationError(missing)
    return kept


def display_value(question: Question, value, answers: dict | None = None) -> str:
    """An answer as text, in the active language (exports, lists of answers)."""
    if value in EMPTY:
        return ""
    labels = question.choice_labels()
    if question.allow_other:
        other = (answers or {}).get(f"{question.key}_other", "")
        labels["other"] = (
            gettext("Other: %(text)s") % {"text": other} if other else gettext("Other")
        )
    if question.kind == Question.Kind.YES_NO:
        return gettext("Yes") if value == "yes" else gettext("No")
    if question.kind == Question.Kind.SINGLE:
        return labels.get(value, value)
    if question.kind in (Question.Kind.MULTIPLE, Question.Kind.RANKING):
        return "; ".join(labels.get(v, v) for v in value)
    if question.kind == Question.Kind.FILE:
        return value.get("name", "") if isinstance(value, dict) else str(value)
    if question.kind in Question.MATRIX_KINDS:
        rows = question.row_labels()
        parts = []
        for row_key, row_label in rows.items():
            cell = value.get(row_key)
            if cell in EMPTY:
                continue
            cells = cell if isinstance(cell, list) else [cell]
            parts.append(f"{row_label}: {', '.join(labels.get(c, c) for c in cells)}")
        return "; ".join(parts)
    return str(value)
