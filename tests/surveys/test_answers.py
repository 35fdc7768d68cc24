"""The answer form of every type of question: what it accepts, what it refuses, and the
conditions that show or hide a question (evaluated on the server)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from surveys import answers as answer_rules
from surveys.forms import AnswerForm
from surveys.models import Question

from .conftest import K, add_question

pytestmark = pytest.mark.django_db


def form_for(survey, data, files=None, saved=None):
    return AnswerForm(
        data,
        files,
        survey=survey,
        questions=list(survey.questions.all()),
        saved=saved,
        language="en",
    )


def answers_of(survey, data, *, complete=True, files=None):
    form = form_for(survey, data, files)
    assert form.is_valid(), form.errors
    return form, form.answers(complete=complete)


def test_short_text_length_limits(survey, author):
    """A short text shorter or longer than the author's limits is refused with a message."""
    q = add_question(survey, author, K.SHORT_TEXT, min_length=3, max_length=10)
    assert not form_for(survey, {f"q{q.pk}": "ab"}).is_valid()
    assert not form_for(survey, {f"q{q.pk}": "x" * 11}).is_valid()
    _form, kept = answers_of(survey, {f"q{q.pk}": "abcd"})
    assert kept == {q.key: "abcd"}


def test_long_text_is_a_textarea(survey, author):
    """A long text is typed in a text area and kept as typed."""
    q = add_question(survey, author, K.LONG_TEXT)
    form = form_for(survey, None)
    assert "<textarea" in str(form[f"q{q.pk}"])
    _form, kept = answers_of(survey, {f"q{q.pk}": "Un răspuns\nlung"})
    assert kept[q.key] == "Un răspuns\nlung"


def test_single_choice_with_other(survey, author):
    """A single choice accepts one of its choices, or "other" with the text written."""
    q = add_question(survey, author, K.SINGLE, choices=["A", "B"], allow_other=True)
    assert not form_for(survey, {f"q{q.pk}": "zzz"}).is_valid()
    _form, kept = answers_of(survey, {f"q{q.pk}": "other", f"q{q.pk}_other": "Altceva"})
    assert kept == {q.key: "other", f"{q.key}_other": "Altceva"}


def test_multiple_choice_limit(survey, author):
    """A multiple choice refuses more choices than its limit."""
    q = add_question(survey, author, K.MULTIPLE, choices=["A", "B", "C"], max_choices=2)
    keys = [c["key"] for c in q.choices]
    form = form_for(survey, {f"q{q.pk}": keys})
    assert not form.is_valid()
    assert "Choose at most 2." in str(form.errors)
    _form, kept = answers_of(survey, {f"q{q.pk}": keys[:2]})
    assert kept[q.key] == keys[:2]


def test_ranking_needs_distinct_ranks(survey, author):
    """A ranking is kept as the keys in order; two items with the same rank are refused."""
    q = add_question(survey, author, K.RANKING, choices=["A", "B", "C"])
    a, b, c = (ch["key"] for ch in q.choices)
    bad = form_for(survey, {f"q{q.pk}_0": "1", f"q{q.pk}_1": "1", f"q{q.pk}_2": "2"})
    assert not bad.is_valid()
    _form, kept = answers_of(survey, {f"q{q.pk}_0": "3", f"q{q.pk}_1": "1", f"q{q.pk}_2": "2"})
    assert kept[q.key] == [b, c, a]


def test_scale_range_and_end_labels(survey, author):
    """A scale from 1 to 10 accepts 1..10 only and says what its ends mean."""
    q = add_question(
        survey,
        author,
        K.SCALE,
        max_value=10,
        low_label={"ro": "deloc", "en": "not at all"},
        high_label={"ro": "foarte", "en": "very"},
    )
    form = form_for(survey, None)
    assert "1 means “not at all”, 10 means “very”." in str(form[f"q{q.pk}"].help_text)
    assert not form_for(survey, {f"q{q.pk}": "11"}).is_valid()
    _form, kept = answers_of(survey, {f"q{q.pk}": "7"})
    assert kept[q.key] == 7


def test_matrix_single_and_multiple(survey, author):
    """A matrix keeps one column per row (single) or several (multiple)."""
    single = add_question(survey, author, K.MATRIX_SINGLE, choices=["Da", "Nu"], rows=["R1", "R2"])
    multiple = add_question(survey, author, K.MATRIX_MULTIPLE, choices=["X", "Y"], rows=["R1"])
    yes = single.choices[0]["key"]
    r1 = single.rows[0]["key"]
    x, y = (c["key"] for c in multiple.choices)
    data = {f"q{single.pk}_0": yes, f"q{multiple.pk}_0": [x, y]}
    _form, kept = answers_of(survey, data)
    assert kept[single.key] == {r1: yes}
    assert kept[multiple.key] == {multiple.rows[0]["key"]: [x, y]}
    assert not form_for(survey, {f"q{single.pk}_1": "nope"}).is_valid()


def test_number_range_date_and_yes_no(survey, author):
    """A number outside its range is refused; a date and yes/no are kept as text."""
    number = add_question(survey, author, K.NUMBER, min_value=0, max_value=100)
    date = add_question(survey, author, K.DATE)
    yes_no = add_question(survey, author, K.YES_NO)
    assert not form_for(survey, {f"q{number.pk}": "101"}).is_valid()
    _form, kept = answers_of(
        survey, {f"q{number.pk}": "42", f"q{date.pk}": "2026-05-01", f"q{yes_no.pk}": "yes"}
    )
    assert kept == {
        number.key: 42,
        date.key: datetime.date(2026, 5, 1).isoformat(),
        yes_no.key: "yes",
    }


def test_file_upload_and_its_size(survey, author):
    """A file is accepted up to 5 MB; a larger one is refused."""
    q = add_question(survey, author, K.FILE)
    small = SimpleUploadedFile("nota.pdf", b"%PDF-1.4 small", content_type="application/pdf")
    form, kept = answers_of(survey, {}, files={f"q{q.pk}": small})
    assert kept[q.key].name == "nota.pdf"
    big = SimpleUploadedFile("mare.pdf", b"x" * (5 * 1024 * 1024 + 1))
    form = form_for(survey, {}, {f"q{q.pk}": big})
    assert form.is_valid()
    assert form.answers(complete=True) is None
    assert "larger than 5 MB" in str(form.errors)


def test_required_only_when_shown_and_on_submission(survey, author):
    """A required question must be answered on submission, not in a draft; a question
    hidden by its condition is never required and its answer is dropped."""
    first = add_question(survey, author, K.YES_NO, "Aveți un consiliu?", required=True)
    follow = add_question(
        survey,
        author,
        K.SHORT_TEXT,
        "Cum se numește?",
        required=True,
        condition_question=first,
        condition_value="da",
    )
    form = form_for(survey, {})
    assert form.is_valid()
    assert form.answers(complete=False) == {}
    form = form_for(survey, {f"q{first.pk}": "yes"})
    form.is_valid()
    assert form.answers(complete=True) is None
    assert "This question needs an answer." in str(form.errors[f"q{follow.pk}"])
    _form, kept = answers_of(survey, {f"q{first.pk}": "no", f"q{follow.pk}": "Ignorat"})
    assert kept == {first.key: "no"}


def test_section_condition_hides_its_questions(survey, author):
    """A section shown on a condition hides every question up to the next section."""
    choice = add_question(survey, author, K.SINGLE, choices=["Minister", "ONG"])
    ngo = choice.choices[1]["key"]
    section = add_question(
        survey, author, K.SECTION, "Pentru ONG", condition_question=choice, condition_value="ONG"
    )
    inside = add_question(survey, author, K.SHORT_TEXT, "Domeniu", required=True)
    after = add_question(survey, author, K.SECTION, "Final")
    last = add_question(survey, author, K.SHORT_TEXT, "Comentarii")
    questions = list(survey.questions.all())
    shown = answer_rules.shown_questions(questions, {choice.key: "other-key"})
    assert shown == {
        choice.pk: True,
        section.pk: False,
        inside.pk: False,
        after.pk: True,
        last.pk: True,
    }
    shown = answer_rules.shown_questions(questions, {choice.key: ngo})
    assert shown[inside.pk] is True
    with pytest.raises(ValidationError):
        answer_rules.prune(questions, {choice.key: ngo}, complete=True)


def test_condition_on_a_multiple_choice_matches_any_chosen(survey, author):
    """A condition on a multiple choice is met when the value is among those chosen."""
    multiple = add_question(survey, author, K.MULTIPLE, choices=["A", "B"])
    shown_if_b = add_question(
        survey, author, K.SHORT_TEXT, condition_question=multiple, condition_value="B"
    )
    b = multiple.choices[1]["key"]
    questions = list(survey.questions.all())
    assert answer_rules.shown_questions(questions, {multiple.key: [b]})[shown_if_b.pk]
    assert not answer_rules.shown_questions(questions, {multiple.key: []})[shown_if_b.pk]


def test_form_lists_conditions_for_the_script(survey, author):
    """The page gives the script each question's condition; a condition is also written
    beside its question for those without JavaScript."""
    first = add_question(survey, author, K.YES_NO, "Aveți un consiliu?")
    follow = add_question(
        survey, author, K.SHORT_TEXT, "Numele", condition_question=first, condition_value="yes"
    )
    form = form_for(survey, None)
    assert {"id": follow.pk, "section": False, "on": first.pk, "value": "yes"} in form.conditions()[
        "questions"
    ]
    items = list(form.field_items())
    assert items[1]["condition"] == "Only if the answer to “Aveți un consiliu? (en)” is “Yes”."
    assert Question.objects.get(pk=follow.pk).condition_value == "yes"
