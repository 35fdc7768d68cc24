"""The page of a call's selection of representatives (issue 18), and the actions of
each step, every one behind its named permission (registry/rules/calls.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..forms.calls import (
    AppealDecisionForm,
    AppealForm,
    EvaluationForm,
    ExtendForm,
    ProvisionalForm,
    SelectionForm,
    VoteForm,
    VoteOpenForm,
)
from ..models import CallSelection, MembershipCall, Organisation, SelectionAppeal, SelectionStage
from ..rules.institutions import verified_admin_organisation_ids
from ..selectors.calls import selection_applications, selection_call, selection_events
from ..services import calls as services
from .institutions import authorize

Stage = SelectionStage


def _call(pk: int) -> MembershipCall:
    try:
        return selection_call(pk)
    except MembershipCall.DoesNotExist:
        raise Http404 from None


def _selection(call):
    try:
        return call.selection
    except CallSelection.DoesNotExist:
        return None


def selection_page(request, pk: int):
    """The call's criteria, step, history and, once published (or to those who run it),
    the results, appeals and vote; with the forms of the step the user may act in."""
    call = _call(pk)
    selection = _selection(call)
    user = request.user
    can = {
        name: user.has_perm(f"registry.{name}", call)
        for name in (
            "set_selection",
            "extend_registration",
            "close_registration",
            "evaluate_application",
            "publish_provisional",
            "view_selection_results",
            "decide_appeal",
            "publish_final",
            "open_vote",
            "cast_vote",
            "publish_vote_results",
        )
    }
    context = {"call": call, "structure": call.structure, "selection": selection, "can": can}
    if selection is None:
        context["forms"] = {"set": SelectionForm()} if can["set_selection"] else {}
        return render(request, "registry/call_selection.html", context)
    applications = selection_applications(call) if can["view_selection_results"] else []
    mine = set(verified_admin_organisation_ids(user)) if user.is_authenticated else set()
    for application in applications:
        # One form per application, each with its own field ids.
        evaluation = getattr(application, "evaluation", None)
        appeal = getattr(application, "appeal", None)
        application.evaluate_form = application.appeal_form = application.decide_form = None
        if can["evaluate_application"]:
            application.evaluate_form = EvaluationForm(
                auto_id=f"id_evaluate{application.pk}_%s",
                initial={
                    "admitted": "1" if evaluation is None or evaluation.admitted else "0",
                    "score": evaluation.score if evaluation else None,
                    "reasons": evaluation.reasons if evaluation else "",
                },
            )
        if selection.stage == Stage.APPEALS and application.organisation_id in mine and not appeal:
            application.appeal_form = AppealForm(auto_id=f"id_appeal{application.pk}_%s")
        if can["decide_appeal"] and appeal and appeal.status == SelectionAppeal.Status.PENDING:
            application.decide_form = AppealDecisionForm(auto_id=f"id_decide{application.pk}_%s")
    forms = {}
    if can["set_selection"]:
        forms["set"] = SelectionForm(
            initial={
                "eligibility_criteria": selection.eligibility_criteria,
                "has_vote": selection.has_vote,
            }
        )
    if can["extend_registration"]:
        forms["extend"] = ExtendForm()
    if can["publish_provisional"]:
        forms["provisional"] = ProvisionalForm()
    if can["open_vote"] and selection.has_vote:
        forms["open_vote"] = VoteOpenForm()
    candidates = [
        a for a in applications if getattr(a, "evaluation", None) and a.evaluation.admitted
    ]
    if can["cast_vote"] and candidates:
        forms["vote"] = VoteForm(
            organisations=Organisation.objects.filter(pk__in=mine),
            candidates=services.candidates(call),
        )
    show_votes = selection.stage == Stage.COMPLETED or (
        selection.stage == Stage.VOTING and can["publish_vote_results"]
    )
    context.update(
        applications=applications,
        events=selection_events(call),
        forms=forms,
        results=services.vote_results(call) if show_votes else None,
    )
    return render(request, "registry/call_selection.html", context)


def _form_or_errors(request, form) -> bool:
    if form.is_valid():
        return True
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return False


def _application(call, request):
    return get_object_or_404(
        call.applications.select_related("organisation"), pk=request.POST.get("application")
    )


# Each action: (permission, object: "call" or "application", form, service call).
def _set(request, call, form):
    return services.selection_set(call=call, actor=request.user, **form.cleaned_data)


def _extend(request, call, form):
    return services.registration_extend(call=call, actor=request.user, **form.cleaned_data)


def _close(request, call, form):
    return services.registration_close(call=call, actor=request.user)


def _evaluate(request, call, form, application):
    return services.application_evaluate(
        application=application, actor=request.user, **form.cleaned_data
    )


def _provisional(request, call, form):
    return services.provisional_publish(call=call, actor=request.user, **form.cleaned_data)


def _appeal(request, call, form, application):
    return services.appeal_file(
        application=application, user=request.user, reasons=form.cleaned_data["reasons"]
    )


def _decide_appeal(request, call, form):
    appeal = get_object_or_404(
        SelectionAppeal.objects.filter(application__call=call), pk=request.POST.get("appeal")
    )
    return services.appeal_decide(appeal=appeal, actor=request.user, **form.cleaned_data)


def _final(request, call, form):
    return services.final_publish(call=call, actor=request.user)


def _open_vote(request, call, form):
    return services.vote_open(call=call, actor=request.user, **form.cleaned_data)


def _vote(request, call, form):
    return services.vote_cast(call=call, user=request.user, **form.cleaned_data)


def _vote_results(request, call, form):
    return services.vote_results_publish(call=call, actor=request.user)


ACTIONS = {
    "set": ("registry.set_selection", "call", SelectionForm, _set),
    "extend": ("registry.extend_registration", "call", ExtendForm, _extend),
    "close": ("registry.close_registration", "call", None, _close),
    "evaluate": ("registry.evaluate_application", "application", EvaluationForm, _evaluate),
    "provisional": ("registry.publish_provisional", "call", ProvisionalForm, _provisional),
    "appeal": ("registry.file_appeal", "application", AppealForm, _appeal),
    "decide-appeal": ("registry.decide_appeal", "call", AppealDecisionForm, _decide_appeal),
    "final": ("registry.publish_final", "call", None, _final),
    "open-vote": ("registry.open_vote", "call", VoteOpenForm, _open_vote),
    "vote": ("registry.cast_vote", "call", VoteForm, _vote),
    "vote-results": ("registry.publish_vote_results", "call", None, _vote_results),
}
DONE = {
    "set": gettext_lazy("The selection rules were saved."),
    "extend": gettext_lazy("The registration period was extended and the applicants were told."),
    "close": gettext_lazy("The registration is closed: the evaluation has started."),
    "evaluate": gettext_lazy("The evaluation was saved."),
    "provisional": gettext_lazy(
        "The provisional results were published and the applicants were told."
    ),
    "appeal": gettext_lazy("The appeal was filed. You will receive an e-mail with the decision."),
    "decide-appeal": gettext_lazy("The appeal was decided and the organisation was told."),
    "final": gettext_lazy("The final results were published and the applicants were told."),
    "open-vote": gettext_lazy("The vote is open."),
    "vote": gettext_lazy("The vote was recorded."),
    "vote-results": gettext_lazy("The results of the vote were published."),
}


@require_POST
def selection_act(request, pk: int, action: str):
    """Run one action of the selection, then come back to its page with the outcome."""
    if action not in ACTIONS:
        raise Http404
    perm, target, form_class, run = ACTIONS[action]
    call = _call(pk)
    args = ()
    obj = call
    if target == "application":
        obj = _application(call, request)
        args = (obj,)
    if denied := authorize(request, perm, obj):
        return denied
    form = None
    if form_class is VoteForm:
        form = VoteForm(
            request.POST,
            organisations=Organisation.objects.filter(
                pk__in=verified_admin_organisation_ids(request.user)
            ),
            candidates=services.candidates(call),
        )
    elif form_class is not None:
        form = form_class(request.POST)
    if form is None or _form_or_errors(request, form):
        try:
            run(request, call, form, *args)
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", None) or [str(error)]:
                messages.error(request, message)
        else:
            messages.success(request, str(DONE[action]))
    return redirect("registry:call-selection", pk=call.pk)
