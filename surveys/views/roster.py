"""The roster page: who answered, who started, who has not opened the questionnaire,
with the dates; adding members, a reminder now."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from conect.core.permissions import permission_required

from .. import selectors, services
from ..forms import RosterForm
from ..models import Invitation, Survey


def _survey(pk):
    return get_object_or_404(Survey, pk=pk)


@permission_required("surveys.manage_roster", fn=lambda request, pk: _survey(pk))
def roster(request, pk):
    survey = _survey(pk)
    if survey.audience != Survey.Audience.ROSTER:
        return redirect(survey)
    form = RosterForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        institutions, organisations = services.roster_candidates(survey=survey, **form.cleaned_data)
        try:
            added = services.roster_add(
                survey=survey,
                actor=request.user,
                institutions=institutions,
                organisations=organisations,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s member was added to the roster.",
                    "%(count)s members were added to the roster.",
                    added,
                )
                % {"count": added},
            )
            return redirect("surveys:roster", pk=survey.pk)
    rows = list(selectors.roster(survey))
    return render(
        request,
        "surveys/roster.html",
        {"survey": survey, "rows": rows, "summary": selectors.roster_summary(rows), "form": form},
    )


@require_POST
@permission_required("surveys.manage_roster", fn=lambda request, pk: _survey(pk))
def remind(request, pk):
    survey = _survey(pk)
    try:
        count = services.remind_now(survey=survey, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext("%(count)s member was reminded.", "%(count)s members were reminded.", count)
            % {"count": count},
        )
    return redirect("surveys:roster", pk=survey.pk)


@require_POST
@permission_required("surveys.manage_roster", fn=lambda request, pk, invitation_pk: _survey(pk))
def roster_remove(request, pk, invitation_pk):
    invitation = get_object_or_404(
        Invitation.objects.select_related("survey"), pk=invitation_pk, survey_id=pk
    )
    try:
        services.roster_remove(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("The member was removed from the roster."))
    return redirect("surveys:roster", pk=pk)


@require_GET
@permission_required("surveys.manage_roster", fn=lambda request, pk: _survey(pk))
def institution_options(request, pk):
    """Suggestions for the roster's "This institution": JSON [{"id", "label"}] of at most
    20 institutions whose name holds every word typed (diacritics and case ignored)."""
    return JsonResponse(selectors.institution_suggestions(request.GET.get("q", "")), safe=False)
