"""The author's pages: the list, a questionnaire's page (its questions, with the buttons
that reorder them), its settings, its questions, a preview, duplication and the
transitions (open, close, extend the deadline, publish the results)."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from conect.core.permissions import denied, permission_required

from .. import selectors, services, targets
from ..forms import AnswerForm, ExtendForm, QuestionForm, SurveyForm, language_of
from ..models import Question, Survey
from .answering import page_texts


def _survey(pk):
    return get_object_or_404(Survey.objects.select_related("institution"), pk=pk)


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def survey_list(request):
    """Questionnaires open to the user, and those they manage."""
    managed = None
    if request.user.is_authenticated and request.user.has_perm("surveys.add_survey"):
        managed = list(selectors.surveys_managed(request.user)[:100])
    return render(
        request,
        "surveys/survey_list.html",
        {
            "open_surveys": list(selectors.surveys_open_to(request.user)[:100]),
            "managed": managed,
            "published": list(selectors.surveys_with_public_results()[:20]),
            "can_add": request.user.has_perm("surveys.add_survey"),
        },
    )


def _target(request):
    """The record a new questionnaire is attached to (?consultation=<pk>,
    ?training_session=<pk> or ?call=<pk>), if the user may attach one to it."""
    return targets.target_from(request.POST or request.GET, request.user)


@permission_required("surveys.add_survey")
def survey_create(request):
    kind, target = _target(request)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(
                actor=request.user, target=target, **form.service_data()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, gettext("The questionnaire was created. Add its questions."))
            return redirect(survey)
    return render(
        request,
        "surveys/survey_form.html",
        {"form": form, "target": target, "target_param": kind.param if kind else ""},
    )


def survey_detail(request, pk):
    """A manager sees the builder; anyone else the introduction and the way to answer."""
    survey = _survey(pk)
    if not request.user.has_perm("surveys.view_survey", survey):
        return denied(request)
    can_manage = request.user.has_perm("surveys.change_survey", survey)
    target_type = (
        ContentType.objects.get_for_id(survey.target_type_id) if survey.target_type_id else None
    )
    context = {
        "survey": survey,
        "can_manage": can_manage,
        "can_answer": request.user.has_perm("surveys.answer_survey", survey),
        "can_view_results": request.user.has_perm("surveys.view_results", survey),
        "target": target_type.get_object_for_this_type(pk=survey.target_id)
        if target_type
        else None,
    }
    if can_manage:
        context["questions"] = selectors.questions_of(survey)
    return render(request, "surveys/survey_detail.html", context)


@permission_required("surveys.change_survey", fn=lambda request, pk: _survey(pk))
def survey_edit(request, pk):
    survey = _survey(pk)
    form = SurveyForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(survey=survey, actor=request.user, **form.service_data())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, gettext("The questionnaire was saved."))
            return redirect(survey)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey})


@require_POST
@permission_required("surveys.change_survey", fn=lambda request, pk, name: _survey(pk))
def survey_transition(request, pk, name):
    survey = _survey(pk)
    if name not in Survey.TRANSITIONS:
        return redirect(survey)
    try:
        services.survey_transition(survey=survey, actor=request.user, name=name)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("The questionnaire is open.")
            if name == "open"
            else gettext("The questionnaire is closed."),
        )
    return redirect(survey)


@require_POST
@permission_required("surveys.change_survey", fn=lambda request, pk: _survey(pk))
def survey_publish_results(request, pk):
    survey = _survey(pk)
    public = request.POST.get("public") == "1"
    services.survey_set_results_public(survey=survey, actor=request.user, public=public)
    messages.success(
        request,
        gettext("The results are published.")
        if public
        else gettext("The results are no longer published."),
    )
    return redirect("surveys:results", pk=survey.pk)


@permission_required("surveys.change_survey", fn=lambda request, pk: _survey(pk))
def survey_extend(request, pk):
    survey = _survey(pk)
    form = ExtendForm(request.POST or None, initial={"deadline": survey.deadline})
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_extend_deadline(
                survey=survey, actor=request.user, deadline=form.cleaned_data["deadline"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, gettext("The deadline was extended."))
            return redirect(survey)
    return render(request, "surveys/extend_form.html", {"form": form, "survey": survey})


@require_POST
@permission_required("surveys.change_survey", fn=lambda request, pk: _survey(pk))
def survey_ask_participants(request, pk):
    """The follow-up of what the questionnaire is attached to: ask its participants."""
    survey = _survey(pk)
    try:
        services.survey_ask_participants(survey=survey, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("The participants will receive a notice and an e-mail asking them to answer."),
        )
    return redirect(survey)


@require_POST
@permission_required("surveys.change_survey", fn=lambda request, pk: _survey(pk))
def survey_duplicate(request, pk):
    copy = services.survey_duplicate(survey=_survey(pk), actor=request.user)
    messages.success(request, gettext("This is the copy: a new draft."))
    return redirect(copy)


@permission_required("surveys.change_survey", fn=lambda request, pk: _survey(pk))
def survey_preview(request, pk):
    """The answer form as a respondent sees it; nothing is saved."""
    survey = _survey(pk)
    questions = selectors.questions_of(survey)
    language = language_of(request, survey)
    form = AnswerForm(
        request.POST or None,
        request.FILES or None,
        survey=survey,
        questions=questions,
        language=language,
    )
    checked = False
    if request.method == "POST" and form.is_valid():
        checked = form.answers(complete=True) is not None
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "form": form,
            "preview": True,
            "checked": checked,
            "conditions": form.conditions(),
            **page_texts(request, survey, language),
        },
    )


# --- Questions ---------------------------------------------------------------------------


def _question(pk, question_pk):
    return get_object_or_404(
        Question.objects.select_related("survey", "condition_question"),
        pk=question_pk,
        survey_id=pk,
    )


@permission_required("surveys.change_survey", fn=lambda request, pk: _survey(pk))
def question_create(request, pk):
    survey = _survey(pk)
    form = QuestionForm(
        request.POST or None, survey=survey, initial={"kind": request.GET.get("kind", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(survey=survey, actor=request.user, **form.service_data())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, gettext("The question was added."))
            return redirect(survey)
    return render(request, "surveys/question_form.html", {"form": form, "survey": survey})


@permission_required("surveys.change_survey", fn=lambda request, pk, question_pk: _survey(pk))
def question_edit(request, pk, question_pk):
    question = _question(pk, question_pk)
    form = QuestionForm(request.POST or None, survey=question.survey, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, actor=request.user, **form.service_data())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, gettext("The question was saved."))
            return redirect(question.survey)
    return render(
        request,
        "surveys/question_form.html",
        {"form": form, "survey": question.survey, "question": question},
    )


@require_POST
@permission_required("surveys.change_survey", fn=lambda request, pk, question_pk: _survey(pk))
def question_delete(request, pk, question_pk):
    question = _question(pk, question_pk)
    try:
        services.question_delete(question=question, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("The question was removed."))
    return redirect(question.survey)


@require_POST
@permission_required("surveys.change_survey", fn=lambda request, pk, question_pk: _survey(pk))
def question_move(request, pk, question_pk):
    question = _question(pk, question_pk)
    try:
        services.question_move(
            question=question, actor=request.user, up=request.POST.get("direction") == "up"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    response = redirect(question.survey)
    # Back to the moved question, so that keyboard users keep their place.
    response["Location"] += f"#question-{question.pk}"
    return response
