"""The results of a questionnaire as a PDF report (weasyprint, as the consultations'
synthesis): each question's numbers in a table, with a bar drawn in CSS."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from . import selectors


def results_html(survey, filters: dict, language: str) -> str:
    with translation.override(language):
        questions = selectors.questions_of(survey)
        return render_to_string(
            "surveys/results_pdf.html",
            {
                "survey": survey,
                "result": selectors.results(survey, questions, filters),
                "filters": filters,
            },
        )


def render_results_pdf(survey, filters: dict, *, language: str) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=results_html(survey, filters, language), base_url=settings.SITE_URL
    ).write_pdf()
