"""The public scoreboard of institutions and the annual decisional-transparency report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conect.core.exports import CSVWriter
from registry.map.charts import PALETTE
from registry.models import Institution

from .. import dates, selectors, services
from ..forms import AnnualReportForm, AnnualStatementForm
from ..models import AnnualReportStatement
from ..synthesis_pdf import TAGGED_PDF_OPTIONS
from .common import apply_errors, csv_delimiter, denied


def scoreboard(request):
    """Every institution that has held consultations, with its record."""
    return render(
        request,
        "consultations/scoreboard.html",
        {
            "institutions": selectors.scoreboard(),
            "single": None,
            "deadline": dates.synthesis_deadline(),
        },
    )


def scoreboard_institution(request, pk):
    institution = selectors.scoreboard(pk).first()
    if institution is None:
        raise Http404
    return render(
        request,
        "consultations/scoreboard.html",
        {
            "institutions": [institution],
            "single": institution,
            "deadline": dates.synthesis_deadline(),
        },
    )


def _report_from(request):
    """The report asked for in the query string, or (None, form) when not valid/allowed."""
    form = AnnualReportForm(
        request.GET or {"year": timezone.localdate().year - 1}, user=request.user
    )
    if not form.is_valid():
        return None, form
    institution = form.cleaned_data["institution"]
    if not request.user.has_perm("consultations.produce_annual_report", institution):
        return None, form
    return selectors.annual_report(form.cleaned_data["year"], institution), form


def _allowed(user) -> bool:
    return (
        user.has_perm("consultations.produce_annual_report")
        or Institution.objects.filter(
            staff_memberships__user=user, staff_memberships__status="approved"
        ).exists()
    )


@login_required
def annual_report(request):
    """Coordinators (for any institution or all) and civil servants (for their own)
    produce the annual report on decisional transparency for a year."""
    if not _allowed(request.user):
        return denied(request)
    report, form = _report_from(request)
    return render(request, "consultations/annual_report.html", {"form": form, "report": report})


@login_required
def annual_report_csv(request):
    if not _allowed(request.user):
        return denied(request)
    report, _form = _report_from(request)
    if report is None:
        return denied(request)
    return _report_csv(request, report)


def _report_csv(request, report):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="transparency-report-{report.year}'
        f'{"-" + str(report.institution.pk) if report.institution else ""}.csv"'
    )
    writer = CSVWriter(response, bom=True, delimiter=csv_delimiter(request))
    writer.writerow([_("Indicator"), _("Value")])
    writer.writerow([_("Year"), report.year])
    writer.writerow(
        [_("Institution"), report.institution.name if report.institution else _("All institutions")]
    )
    for label, value in report.rows():
        writer.writerow([label, value])
    for label, value in _statement_rows(report):
        writer.writerow([label, value])
    writer.writerow([])
    writer.writerow([_("Consultation"), _("Institution"), _("Announced on"), _("Recommendations")])
    for consultation in report.consultations:
        writer.writerow(
            [
                consultation.title,
                consultation.institution.name,
                timezone.localdate(consultation.published_at).isoformat(),
                consultation.received,
            ]
        )
    return response


@login_required
def annual_report_pdf(request):
    if not _allowed(request.user):
        return denied(request)
    report, _form = _report_from(request)
    if report is None:
        return denied(request)
    return _report_pdf(request, report)


def _report_pdf(request, report):
    from weasyprint import HTML

    html = render_to_string(
        "consultations/annual_report_pdf.html",
        {"report": report, "statement_rows": _statement_rows(report)},
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        **TAGGED_PDF_OPTIONS
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="transparency-report-{report.year}.pdf"'
    )
    return response


def _statement_rows(report) -> list[tuple[str, str]]:
    """What the staff stated, in words (one institution's report only)."""
    statement = report.statement
    if report.institution is None or statement is None:
        return []
    return [
        (_("Court cases, briefly"), statement.court_cases_details),
        (_("Self-assessment of the partnership with citizens"), statement.self_assessment),
        (_("Why the meetings were not public"), statement.non_public_meetings_reasons),
        (_("How the relationship officials were designated"), statement.officials_designation),
    ]


def _institution_report(request, pk, year):
    """(institution, report, statement) of a year, or PermissionDenied/404."""
    institution = get_object_or_404(Institution.objects.only("id", "name"), pk=pk)
    if not 2003 <= year <= timezone.localdate().year:
        raise Http404
    statement = AnnualReportStatement.objects.filter(institution=institution, year=year).first()
    probe = statement or AnnualReportStatement(institution=institution, year=year)
    if not request.user.has_perm("consultations.view_annual_report", probe):
        return institution, None, statement
    return institution, selectors.annual_report(year, institution), statement


def annual_report_institution(request, pk, year):
    """One institution's report for a year, as a page: public once published; its staff
    complete and publish it here."""
    institution, report, statement = _institution_report(request, pk, year)
    if report is None:
        return denied(request)
    return render(
        request,
        "consultations/annual_report_institution.html",
        {
            "institution": institution,
            "report": report,
            "statement": statement,
            "statement_rows": _statement_rows(report),
            "can_complete": request.user.has_perm(
                "consultations.complete_annual_report", institution
            ),
            "can_publish": year < timezone.localdate().year,
        },
    )


def annual_report_institution_csv(request, pk, year):
    _institution, report, _statement = _institution_report(request, pk, year)
    if report is None:
        return denied(request)
    return _report_csv(request, report)


def annual_report_institution_pdf(request, pk, year):
    _institution, report, _statement = _institution_report(request, pk, year)
    if report is None:
        return denied(request)
    return _report_pdf(request, report)


@login_required
def annual_statement(request, pk, year):
    """The institution's staff complete what only they know for the year's report."""
    institution = get_object_or_404(Institution.objects.only("id", "name"), pk=pk)
    if not request.user.has_perm("consultations.complete_annual_report", institution):
        return denied(request)
    statement = AnnualReportStatement.objects.filter(institution=institution, year=year).first()
    form = AnnualStatementForm(
        request.POST if request.method == "POST" else None,
        instance=statement or AnnualReportStatement(institution=institution, year=year),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_statement_save(
                institution=institution,
                year=year,
                actor=request.user,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The report is completed."))
            return redirect("consultations:annual-report-institution", institution.pk, year)
    return render(
        request,
        "consultations/annual_statement_form.html",
        {"institution": institution, "year": year, "form": form},
    )


@login_required
@require_POST
def annual_report_publish(request, pk, year):
    institution = get_object_or_404(Institution.objects.only("id", "name"), pk=pk)
    if not request.user.has_perm("consultations.complete_annual_report", institution):
        return denied(request)
    publish = request.POST.get("action") != "unpublish"
    try:
        services.annual_report_publish(
            institution=institution, year=year, actor=request.user, publish=publish
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The report is published.") if publish else _("The report is no longer public."),
        )
    return redirect(reverse("consultations:annual-report-institution", args=[pk, year]))


NATIONAL_YEARS = 5


@login_required
def annual_report_national(request):
    """For the General Secretariat: every institution's report of a year side by side,
    and the national total of the last years, as a chart with its table."""
    if not request.user.has_perm("consultations.view_national_reports"):
        return denied(request)
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year - 1))
    except ValueError:
        year = this_year - 1
    year = min(max(year, 2003), this_year)
    years = list(range(year - NATIONAL_YEARS + 1, year + 1))
    side_by_side, totals = selectors.national_reports(years)
    per_institution = [report.rows() for _institution, report in side_by_side]
    chart_rows = [
        (
            y,
            totals[y].announced,
            totals[y].recommendations_received,
            totals[y].recommendations_included,
            totals[y].debates_held,
        )
        for y in years
    ]
    return render(
        request,
        "consultations/annual_report_national.html",
        {
            "year": year,
            "years": list(range(this_year, 2019, -1)),
            "side_by_side": side_by_side,
            "total": totals[year],
            # One row per indicator: the national total, then each institution's value.
            "matrix": [
                (label, value, [cells[n][1] for cells in per_institution])
                for n, (label, value) in enumerate(totals[year].rows())
            ],
            "chart_rows": chart_rows,
            "charts": {
                "national": {
                    "type": "bar",
                    "stacked": False,
                    "horizontal": False,
                    "labels": [str(y) for y in years],
                    "datasets": [
                        {"label": label, "data": [r[n] for r in chart_rows], "backgroundColor": c}
                        for n, label, c in (
                            (1, _("Draft acts announced"), PALETTE[0]),
                            (2, _("Recommendations received"), PALETTE[1]),
                            (3, _("Recommendations included"), PALETTE[2]),
                            (4, _("Public debates held"), PALETTE[3]),
                        )
                    ],
                }
            },
        },
    )
