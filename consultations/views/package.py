"""Working beside e-consultare: a consultation's package (zip), importing one, and a new
consultation prefilled from an announcement pasted by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..forms import AnnouncementForm, ConsultationForm, PackageImportForm
from ..models import Consultation
from ..package import package_zip
from .common import apply_errors, denied


def consultation_package(request, pk):
    """The consultation's package: consultation.json and its documents' files."""
    try:
        consultation = selectors.consultation_detail(pk)
    except Consultation.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("consultations.view_consultation", consultation):
        return denied(request)
    response = HttpResponse(package_zip(consultation), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.pk}.zip"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def package_import(request):
    """A civil servant imports a consultation announced elsewhere from its package."""
    if not request.user.has_perm("consultations.add_consultation"):
        return denied(request)
    post = request.method == "POST"
    form = PackageImportForm(
        request.POST if post else None, request.FILES if post else None, user=request.user
    )
    if post and form.is_valid():
        try:
            consultation = services.consultation_import(
                actor=request.user,
                institution=form.cleaned_data["institution"],
                archive=form.cleaned_data["package"],
            )
        except PermissionDenied:
            return denied(request)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The consultation is imported as a draft, with its documents. Check it, "
                    "then publish it."
                ),
            )
            return redirect(consultation)
    return render(request, "consultations/package_import.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def create_from_announcement(request):
    """The address and the text of an announcement, pasted; then the form of a new
    consultation, prefilled from them, which posts to the usual creation page."""
    if not request.user.has_perm("consultations.add_consultation"):
        return denied(request)
    form = AnnouncementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        initial = services.prefill_from_announcement(
            url=form.cleaned_data["url"], text=form.cleaned_data["text"]
        )
        messages.info(
            request,
            _("The form is prefilled from the announcement: check every field before saving."),
        )
        return render(
            request,
            "consultations/consultation_form.html",
            {
                "form": ConsultationForm(initial=initial, user=request.user),
                "consultation": None,
                "form_action": reverse("consultations:create"),
            },
        )
    return render(request, "consultations/announcement_form.html", {"form": form})
