"""Results: per question, counts and percentages with a chart and its table, filters,
the free answers with a search, the PDF report and the exports of every answer."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from conect.core.permissions import permission_required
from conect.core.storage import private_storage

from .. import exports, selectors
from ..forms import AnswerSearchForm, ResultsFilterForm
from ..models import Question, Response, Survey
from ..pdf import render_results_pdf


def _survey(pk):
    return get_object_or_404(Survey, pk=pk)


def _filters(request):
    form = ResultsFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {k: v for k, v in filters.items() if v}


@permission_required("surveys.view_results", fn=lambda request, pk: _survey(pk))
def results(request, pk):
    survey = _survey(pk)
    form, filters = _filters(request)
    questions = selectors.questions_of(survey)
    result = selectors.results(survey, questions, filters)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "form": form,
            "result": result,
            "charts": selectors.chart_data(result),
            "breakdown": selectors.breakdown(
                survey, numbers=selectors.cached_numbers(survey, questions)
            ),
            "can_manage": request.user.has_perm("surveys.change_survey", survey),
            "can_export": request.user.has_perm("surveys.export_responses", survey),
            "query": request.GET.urlencode(),
        },
    )


@permission_required("surveys.view_results", fn=lambda request, pk, question_pk: _survey(pk))
def free_answers(request, pk, question_pk):
    survey = _survey(pk)
    question = get_object_or_404(Question, pk=question_pk, survey=survey)
    search = AnswerSearchForm(request.GET or None)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    _form, filters = _filters(request)
    hidden = (
        survey.is_anonymous
        and filters
        and selectors.filtered_responses(survey, filters).count() < selectors.SMALL_GROUP
    )
    rows = selectors.free_answers(survey, question, q=q, filters=filters)
    page = Paginator(rows.none() if hidden else rows, 50).get_page(request.GET.get("page"))
    items = [
        {
            "text": r.answers.get(question.key)
            if question.kind in Question.TEXT_KINDS
            else r.answers.get(f"{question.key}_other"),
            "at": r.submitted_at,
        }
        for r in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "surveys/free_answers.html",
        {
            "survey": survey,
            "question": question,
            "search": search,
            "page": page,
            "items": items,
            "hidden": hidden,
            "query": query.urlencode(),
        },
    )


@permission_required("surveys.view_results", fn=lambda request, pk: _survey(pk))
def results_pdf(request, pk):
    survey = _survey(pk)
    _form, filters = _filters(request)
    pdf = render_results_pdf(survey, filters, language=request.LANGUAGE_CODE)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="questionnaire-{survey.pk}-results.pdf"'
    return response


@permission_required("surveys.export_responses", fn=lambda request, pk: _survey(pk))
def export_csv(request, pk):
    return exports.csv_export(_survey(pk))


@permission_required("surveys.export_responses", fn=lambda request, pk: _survey(pk))
def export_xlsx(request, pk):
    return exports.xlsx_export(_survey(pk))


@permission_required(
    "surveys.export_responses", fn=lambda request, pk, response_pk, question_pk: _survey(pk)
)
def answer_file(request, pk, response_pk, question_pk):
    """A file a respondent uploaded, for the survey's managers."""
    response = get_object_or_404(Response, pk=response_pk, survey_id=pk)
    value = response.answers.get(str(question_pk))
    if not isinstance(value, dict) or "path" not in value:
        raise Http404
    return FileResponse(
        private_storage().open(value["path"]),
        as_attachment=True,
        filename=value.get("name") or "file",
    )
