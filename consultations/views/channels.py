"""Recommendations received by e-mail, post, at a debate, by phone or in person, recorded
by the institution's staff; and the suggestions of organisations for their sender."""

import contextlib
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from registry.models import Organisation
from registry.views.autocomplete import _suggestions

from .. import services
from ..forms import RecordedRecommendationForm
from ..models import Recommendation, RecommendationFile
from .common import apply_errors, denied, get_consultation


def _initial(query) -> dict:
    """The channel and the date a link prefills (a debate's page: "at a public debate",
    on the day it was held); anything else in the address is left out."""
    initial = {}
    if query.get("channel") in services.OFF_PLATFORM_CHANNELS:
        initial["channel"] = query["channel"]
    with contextlib.suppress(ValueError):
        initial["received_on"] = datetime.date.fromisoformat(query.get("received_on", ""))
    return initial


@login_required
def recommendation_record(request, pk):
    """The owning institution's staff record a recommendation received another way."""
    consultation = get_consultation(pk)
    if not request.user.has_perm("consultations.record_recommendation", consultation):
        return denied(request)
    form = RecordedRecommendationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        consultation=consultation,
        initial=_initial(request.GET),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation = services.recommendation_record(
                consultation=consultation,
                actor=request.user,
                channel=data["channel"],
                received_on=data["received_on"],
                text=data["text"],
                organisation=data["organisation"],
                sender_name=data["sender_name"],
                sender_is_organisation=data["sender_is_organisation"],
                name_consent=data["name_consent"],
                article=data["article"],
                attachments=data["attachments"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The recommendation is recorded (#%(number)d).") % {"number": recommendation.pk},
            )
            if "another" in request.POST:
                return redirect("consultations:recommendation-record", consultation.pk)
            return redirect(recommendation.get_absolute_url())
    return render(
        request,
        "consultations/recommendation_record.html",
        {"consultation": consultation, "form": form},
    )


def recommendation_files(request, pk):
    """Every file of a recorded recommendation, to whoever may see the recommendation."""
    recommendation = get_object_or_404(Recommendation.objects.select_related("consultation"), pk=pk)
    if not request.user.has_perm("consultations.view_recommendation", recommendation):
        return denied(request)
    return render(
        request,
        "consultations/recommendation_files.html",
        {
            "consultation": recommendation.consultation,
            "recommendation": recommendation,
            "files": list(recommendation.files.all()),
        },
    )


def recommendation_file(request, pk):
    """One further file, always as a download, never kept by a shared cache."""
    extra = get_object_or_404(
        RecommendationFile.objects.select_related("recommendation__consultation"), pk=pk
    )
    if not request.user.has_perm("consultations.view_recommendation", extra.recommendation):
        return denied(request)
    try:
        content = extra.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        content, as_attachment=True, filename=extra.name, content_type=extra.content_type
    )
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
@login_required
def organisation_options(request, pk):
    """Organisations of the registry whose names hold the words of ?q=, for the staff of
    the institution that records a recommendation or a request for a debate."""
    consultation = get_consultation(pk)
    if not (
        request.user.has_perm("consultations.record_recommendation", consultation)
        or request.user.has_perm("consultations.record_debate_request", consultation)
    ):
        return denied(request)
    records = (
        Organisation.objects.filter(status__in=Organisation.PUBLIC_STATUSES)
        .only("id", "name")
        .order_by("search_name", "id")
    )
    return _suggestions(request, records, lambda organisation: organisation.name)
