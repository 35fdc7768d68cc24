"""The public scoreboard of institutions and the annual decisional-transparency report."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from conect.core.exports import CSVWriter
from registry.models import Institution

from .. import selectors
from ..forms import AnnualReportForm
from .common import denied


def scoreboard(request):
    """Every institution that has held consultations, with its record."""
    return render(
        request,
        "consultations/scoreboard.html",
        {"institutions": selectors.scoreboard(), "single": None},
    )


def scoreboard_institution(request, pk):
    institution = selectors.scoreboard(pk).first()
    if institution is None:
        raise Http404
    return render(
        request,
        "consultations/scoreboard.html",
        {"institutions": [institution], "single": institution},
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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="transparency-report-{report.year}'
        f'{"-" + str(report.institution.pk) if report.institution else ""}.csv"'
    )
    writer = CSVWriter(response, bom=True)
    writer.writerow([_("Indicator"), _("Value")])
    writer.writerow([_("Year"), report.year])
    writer.writerow(
        [_("Institution"), report.institution.name if report.institution else _("All institutions")]
    )
    for label, value in report.rows():
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
    from weasyprint import HTML

    html = render_to_string(
        "consultations/annual_report_pdf.html", {"report": report}, request=request
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="transparency-report-{report.year}.pdf"'
    )
    return response
