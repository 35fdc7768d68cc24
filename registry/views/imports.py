"""Pages of the registry import, for coordinators: the upload, the list of imports, each
import's page with its progress (polled as JSON) and its error report."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, View
from rules.contrib.views import PermissionRequiredMixin

from ..forms.imports import RegistryUploadForm, SetAsideImportForm
from ..importer import import_job_create, import_job_list
from ..models import ImportJob, SetAsideRow
from ..selectors.set_aside import set_aside_pending, with_namesakes
from ..services.set_aside import set_aside_dismiss, set_aside_import

PERMISSION = "registry.import_registry"
ERROR_PREVIEW_ROWS = 20


class ImportPermissionMixin(PermissionRequiredMixin):
    # Anonymous visitors are sent to sign in; signed-in users without the right get 403.
    permission_required = PERMISSION

    def get_permission_object(self):
        return None  # a permission on the import as a whole, not on one job


class ImportListView(ImportPermissionMixin, ListView):
    template_name = "registry/import_list.html"
    context_object_name = "jobs"
    paginate_by = 25

    def get_queryset(self):
        return import_job_list()


class ImportUploadView(ImportPermissionMixin, FormView):
    template_name = "registry/import_upload.html"
    form_class = RegistryUploadForm

    def form_valid(self, form):
        try:
            job = import_job_create(
                uploaded_file=form.cleaned_data["file"],
                actor=self.request.user,
                dry_run=form.cleaned_data["dry_run"],
                default_legal_form=form.cleaned_data["default_legal_form"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The file was received; its import has started."))
        return redirect(job)


class ImportDetailView(ImportPermissionMixin, DetailView):
    template_name = "registry/import_detail.html"
    context_object_name = "job"

    def get_queryset(self):
        return import_job_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["error_preview"] = _error_preview(self.object)
        context["summary_preview"] = _csv_preview(self.object.summary_report)
        return context


class ImportProgressView(ImportPermissionMixin, View):
    """The job's progress as JSON, polled by static/js/import_progress.js."""

    def get(self, request, pk):
        job = get_object_or_404(ImportJob, pk=pk)
        return JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "finished": job.is_finished,
                "processed": job.processed_rows,
                "total": job.total_rows,
                "percent": job.percent,
                "created": job.created_count,
                "updated": job.updated_count,
                "unchanged": job.unchanged_count,
                "skipped": job.skipped_count,
                "errors": job.error_count,
                "repeats": job.repeat_count,
                "conflicts": job.conflict_count,
                "missing": job.missing_count,
            },
            headers={"Cache-Control": "no-store"},
        )


class ImportErrorReportView(ImportPermissionMixin, View):
    """The job's error report, as the CSV file it was written to."""

    def get(self, request, pk):
        job = get_object_or_404(ImportJob, pk=pk)
        if not job.error_report:
            raise Http404
        return FileResponse(
            job.error_report.open("rb"),
            as_attachment=True,
            filename=f"import-{job.pk}-errors.csv",
            content_type="text/csv; charset=utf-8",
        )


class ImportSummaryReportView(ImportPermissionMixin, View):
    """The job's summary of the changes (new, changed field by field, conflicts, repeats,
    set aside, no longer in the file), as the CSV file it was written to."""

    def get(self, request, pk):
        job = get_object_or_404(ImportJob, pk=pk)
        if not job.summary_report:
            raise Http404
        return FileResponse(
            job.summary_report.open("rb"),
            as_attachment=True,
            filename=f"import-{job.pk}-summary.csv",
            content_type="text/csv; charset=utf-8",
        )


def _error_preview(job: ImportJob) -> list[list[str]]:
    """The first rows of the error report, to show on the page (the file has them all)."""
    return _csv_preview(job.error_report)


def _csv_preview(report) -> list[list[str]]:
    """The first rows of one of a job's CSV reports (without its header)."""
    if not report:
        return []
    try:
        with report.open("rb") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            reader = csv.reader(text, delimiter=";")
            next(reader, None)
            rows = [row for _i, row in zip(range(ERROR_PREVIEW_ROWS), reader, strict=False)]
            text.detach()
            return rows
    except OSError:
        return []


# --- Rows set aside for review ------------------------------------------------------


class SetAsideListView(PermissionRequiredMixin, ListView):
    """The rows that imports set aside (a court ruling's text as the name), still to
    review, each with the organisations that have its registry number."""

    permission_required = "registry.review_set_aside_rows"
    template_name = "registry/import_set_aside.html"
    context_object_name = "rows"
    paginate_by = 25

    def get_permission_object(self):
        return None

    def get_queryset(self):
        return set_aside_pending()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = with_namesakes(context["rows"])
        for row in rows:
            row.form = SetAsideImportForm(auto_id=f"id_set_aside{row.pk}_%s")
        context["rows"] = rows
        return context


class SetAsideReviewView(PermissionRequiredMixin, View):
    """Dismiss a row set aside, or import it under the name the coordinator wrote."""

    permission_required = "registry.review_set_aside_rows"

    def get_permission_object(self):
        return None

    def post(self, request, pk, action):
        row = get_object_or_404(SetAsideRow, pk=pk)
        try:
            if action == "dismiss":
                set_aside_dismiss(row=row, actor=request.user)
                messages.success(request, _("The row was dismissed."))
            elif action == "import":
                form = SetAsideImportForm(request.POST)
                form.is_valid()  # a text field without limits: always valid
                organisation = set_aside_import(
                    row=row, actor=request.user, name=form.cleaned_data.get("name", "")
                )
                messages.success(
                    request,
                    _("%(name)s was added to the registry as an imported record.")
                    % {"name": organisation.name},
                )
            else:
                raise Http404
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("registry:import-set-aside")
