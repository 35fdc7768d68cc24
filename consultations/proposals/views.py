"""Pages of calls for proposals and proposals. Thin: check the permission by name, call
one selector or service (through a form), render or redirect."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from conect.core.client_ip import client_ip
from conect.core.pagination import CappedCountPaginator
from conect.core.permissions import denied, permission_required
from consultations.views.common import apply_errors, show_errors

from . import selectors, services
from .forms import (
    CallForm,
    CommentForm,
    DecisionForm,
    EvaluationForm,
    EvaluatorsForm,
    ModerationForm,
    ProposalForm,
    ScheduleForm,
    StepForm,
    StepUpdateForm,
    merge_choices,
    merge_label,
)
from .models import ImplementationStep, Proposal, ProposalAttachment, ProposalCall

PAGE_SIZE = 20
MERGE_SUGGESTIONS = 20
MODERATION_PAGE_SIZE = 50


def _call_or_404(pk, **options) -> ProposalCall:
    try:
        return selectors.call_detail(pk, **options)
    except ProposalCall.DoesNotExist:
        raise Http404 from None


def _proposal_or_404(pk) -> Proposal:
    try:
        return selectors.proposal_detail(pk)
    except Proposal.DoesNotExist:
        raise Http404 from None


def _simple_proposal(pk) -> Proposal:
    return get_object_or_404(Proposal.objects.select_related("call"), pk=pk)


# --- Calls ---------------------------------------------------------------------------


def call_list(request):
    """The calls for proposals, with how many proposals each put to the vote."""
    calls = selectors.calls_visible(request.user)
    page = CappedCountPaginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/call_list.html",
        {"page": page, "can_add": request.user.has_perm("proposals.add_call")},
    )


def call_detail(request, pk):
    """A call and its proposals put to the vote, sorted by yes votes (or newest, or
    closing soonest), and its public evaluation group."""
    call = _call_or_404(pk, with_evaluators=True)
    user = request.user
    if not user.has_perm("proposals.view_call", call):
        return denied(request)
    sort = request.GET.get("sort", "votes")
    if sort not in selectors.SORTS:
        sort = "votes"
    proposals = selectors.proposals_public(call=call, sort=sort)
    page = CappedCountPaginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    for proposal in page.object_list:
        proposal.call = call
    return render(
        request,
        "proposals/call_detail.html",
        {
            "call": call,
            "page": page,
            "sort": sort,
            "can_propose": user.has_perm("proposals.add_proposal", call),
            "can_manage": user.has_perm("proposals.manage_call", call),
        },
    )


@permission_required("proposals.add_call")
def call_create(request):
    form = CallForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        institution = data.pop("institution")
        domains, counties = data.pop("domains"), data.pop("counties")
        try:
            call = services.call_create(
                actor=request.user,
                institution=institution,
                domains=domains,
                counties=counties,
                **data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The call is saved as a draft; publish it when ready."))
            return redirect(call)
    return render(
        request,
        "proposals/form_page.html",
        {"form": form, "heading": _("Open a call for proposals")},
    )


def call_edit(request, pk):
    call = _call_or_404(pk)
    if not request.user.has_perm("proposals.manage_call", call):
        return denied(request)
    form = CallForm(request.POST or None, instance=call, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        domains, counties = data.pop("domains"), data.pop("counties")
        try:
            services.call_update(
                call=ProposalCall.objects.get(pk=call.pk),
                actor=request.user,
                domains=domains,
                counties=counties,
                **data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The call is saved."))
            return redirect(call)
    return render(
        request,
        "proposals/form_page.html",
        {"form": form, "call": call, "heading": _("Change the call")},
    )


@require_POST
def call_transition(request, pk, name):
    call = _call_or_404(pk)
    if not request.user.has_perm("proposals.manage_call", call):
        return denied(request)
    action = {"publish": services.call_publish, "close": services.call_close}.get(name)
    if action is None:
        raise Http404
    try:
        action(call=call, actor=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The call is %(state)s.") % {"state": call.get_state_display()})
    return redirect(call)


def call_evaluators(request, pk):
    """The institution chooses the call's public evaluation group."""
    call = _call_or_404(pk)
    if not request.user.has_perm("proposals.manage_call", call):
        return denied(request)
    members = list(call.evaluators.select_related("user", "organisation"))
    # The form holds the whole group: it starts with the current members, so that adding
    # one does not remove the others.
    initial = {
        "emails": "\n".join(m.user.email for m in members if m.user_id),
        "organisations": "\n".join(
            m.organisation.fiscal_code for m in members if m.organisation_id
        ),
    }
    form = EvaluatorsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.call_set_evaluators(
            call=call,
            actor=request.user,
            users=form.cleaned_data["emails"],
            organisations=form.cleaned_data["organisations"],
        )
        messages.success(request, _("The evaluation group is saved."))
        return redirect(call)
    return render(
        request,
        "proposals/evaluators.html",
        {"form": form, "call": call, "members": members},
    )


def call_moderation(request, pk):
    """The proposals waiting for the institution, and the moderation log."""
    call = _call_or_404(pk)
    if not request.user.has_perm("proposals.view_moderation_log", call):
        return denied(request)
    # Two lists, each with its own pages (?queue= and ?log=), oldest waiting first.
    queue = CappedCountPaginator(selectors.moderation_queue(call), MODERATION_PAGE_SIZE).get_page(
        request.GET.get("queue")
    )
    log = CappedCountPaginator(selectors.moderation_log(call), MODERATION_PAGE_SIZE).get_page(
        request.GET.get("log")
    )
    return render(
        request,
        "proposals/moderation.html",
        {
            "call": call,
            "queue": queue,
            "log": log,
            "can_manage": request.user.has_perm("proposals.manage_call", call),
        },
    )


@require_GET
def similar(request, pk):
    """Proposals of the call similar to the title being typed (JSON)."""
    call = get_object_or_404(ProposalCall, pk=pk)
    if not request.user.has_perm("proposals.view_call", call):
        raise Http404
    found = selectors.similar_proposals(call, request.GET.get("q", "")[:200])
    return JsonResponse(
        {
            "results": [
                {"title": p.title, "url": p.get_absolute_url(), "yes": p.yes_count} for p in found
            ]
        }
    )


# --- Proposals -----------------------------------------------------------------------


def proposal_list(request):
    """Every public proposal, across calls, sorted by yes votes; the map's layer links
    here with a county (and `reached=1` for those that reached their threshold)."""
    sort = request.GET.get("sort", "votes")
    if sort not in selectors.SORTS:
        sort = "votes"
    county = request.GET.get("county", "")[:10]
    reached = request.GET.get("reached") == "1"
    query = request.GET.get("q", "").strip()[:200]
    proposals = selectors.proposals_public(sort=sort, county=county, reached=reached, text=query)
    page = CappedCountPaginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    # The pages' links keep the search, the county, the threshold filter and the order.
    kept = {"q": query, "county": county, "reached": "1" if reached else "", "sort": sort}
    page_query = urlencode({key: value for key, value in kept.items() if value})
    return render(
        request,
        "proposals/proposal_list.html",
        {"page": page, "sort": sort, "query": query, "page_query": page_query},
    )


def proposal_create(request, pk):
    call = _call_or_404(pk)
    user = request.user
    if not user.has_perm("proposals.add_proposal", call):
        return denied(request)
    form = ProposalForm(request.POST or None, request.FILES or None, call=call, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        attachments = data.pop("attachments")
        try:
            proposal = services.proposal_submit(
                call=call, author=user, attachments=attachments, **data
            )
        except ValidationError as error:
            apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your proposal is sent; the institution checks it before the vote opens."),
            )
            return redirect(proposal)
    return render(request, "proposals/proposal_form.html", {"form": form, "call": call})


def proposal_edit(request, pk):
    proposal = _simple_proposal(pk)
    user = request.user
    if not user.has_perm("proposals.change_proposal", proposal):
        return denied(request)
    initial = {name: getattr(proposal, name) for name in services.PROPOSAL_FIELDS}
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        call=proposal.call,
        user=user,
        editing=True,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        attachments = data.pop("attachments")
        try:
            services.proposal_update(
                proposal=proposal,
                actor=user,
                attachments=attachments,
                **data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your proposal is saved and sent to the moderators."))
            return redirect(proposal)
    return render(
        request,
        "proposals/proposal_form.html",
        {"form": form, "call": proposal.call, "proposal": proposal},
    )


def proposal_detail(request, pk):
    """A proposal: its text, the vote counts, the progress to the threshold, the time
    left, the decision and its follow-up, comments and history; and what the visitor
    may do with it."""
    proposal = _proposal_or_404(pk)
    user = request.user
    if not user.has_perm("proposals.view_proposal", proposal):
        return denied(request)
    perms = {
        name: user.has_perm(f"proposals.{name}", proposal)
        for name in (
            "change_proposal",
            "moderate_proposal",
            "vote_proposal",
            "comment_proposal",
            "follow_proposal",
            "schedule_proposal",
            "decide_proposal",
            "update_implementation",
            "evaluate_proposal",
        )
    }
    perms["view_votes"] = user.has_perm("proposals.view_votes")
    viewer = selectors.viewer_state(
        proposal, user, vote=perms["vote_proposal"], follow=perms["follow_proposal"]
    )
    return render(
        request,
        "proposals/proposal_detail.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "perms_": perms,
            "my_vote": viewer["my_vote"],
            "following": viewer["following"],
            "comment_form": CommentForm() if perms["comment_proposal"] else None,
            "evaluation": selectors.evaluation_summary(proposal),
        },
    )


def proposal_moderate(request, pk):
    proposal = _simple_proposal(pk)
    if not request.user.has_perm("proposals.moderate_proposal", proposal):
        return denied(request)
    form = ModerationForm(request.POST or None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_moderate(
                proposal=proposal,
                actor=request.user,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                merge_into=form.cleaned_data["merge_into"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The decision is saved and the author is told."))
            return redirect(proposal)
    return render(
        request,
        "proposals/form_page.html",
        {"form": form, "proposal": proposal, "heading": _("Moderate the proposal")},
    )


@require_GET
def merge_options(request, pk):
    """Suggestions for the proposal to merge proposal `pk` into (JSON, for its
    moderators): the proposals the form accepts whose text holds every word typed, or
    whose number is the one typed."""
    proposal = _simple_proposal(pk)
    if not request.user.has_perm("proposals.moderate_proposal", proposal):
        raise PermissionDenied
    found = selectors.merge_suggestions(
        merge_choices(proposal), request.GET.get("q", "")[:200], limit=MERGE_SUGGESTIONS
    )
    return JsonResponse([{"id": item.pk, "label": merge_label(item)} for item in found], safe=False)


@require_POST
def proposal_vote(request, pk):
    proposal = _simple_proposal(pk)
    user = request.user
    if not user.has_perm("proposals.vote_proposal", proposal):
        if user.is_authenticated and not proposal.is_voting_open:
            messages.error(request, _("The vote on this proposal has ended."))
            return redirect(proposal)
        return denied(request)
    choice = request.POST.get("vote")
    if choice not in ("yes", "no"):
        messages.error(request, _("Choose yes or no."))
        return redirect(proposal)
    try:
        result = services.vote_cast(
            proposal=proposal, user=user, is_yes=choice == "yes", ip_address=client_ip(request)
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        if result.reached:
            messages.success(
                request,
                _(
                    "Your vote is counted, and it was the one that reached the threshold: the "
                    "proposal goes to %(structure)s."
                )
                % {"structure": proposal.call.structure},
            )
        elif result.changed:
            messages.success(request, _("Your vote is counted."))
        else:
            messages.info(request, _("You had already voted this way."))
    return redirect(proposal)


@require_POST
def proposal_comment(request, pk):
    proposal = _simple_proposal(pk)
    if not request.user.has_perm("proposals.comment_proposal", proposal):
        return denied(request)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(
                proposal=proposal, author=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Your comment is published."))
    else:
        messages.error(request, _("Write your comment."))
    return redirect(proposal.get_absolute_url() + "#comments")


@require_POST
def proposal_follow(request, pk):
    proposal = _simple_proposal(pk)
    if not request.user.has_perm("proposals.follow_proposal", proposal):
        return denied(request)
    if request.POST.get("unfollow"):
        services.proposal_unfollow(proposal=proposal, user=request.user)
        messages.success(request, _("You no longer follow this proposal."))
    else:
        services.proposal_follow(proposal=proposal, user=request.user)
        messages.success(request, _("You follow this proposal: you will be told of each step."))
    return redirect(proposal)


def proposal_schedule(request, pk):
    proposal = _simple_proposal(pk)
    if not request.user.has_perm("proposals.schedule_proposal", proposal):
        return denied(request)
    form = ScheduleForm(request.POST or None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_schedule(
                proposal=proposal, actor=request.user, meeting=form.cleaned_data["meeting"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The proposal is on the meeting's agenda."))
            return redirect(proposal)
    return render(
        request,
        "proposals/form_page.html",
        {"form": form, "proposal": proposal, "heading": _("Put the proposal on an agenda")},
    )


def proposal_decide(request, pk):
    proposal = _simple_proposal(pk)
    if not request.user.has_perm("proposals.decide_proposal", proposal):
        return denied(request)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_decide(proposal=proposal, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The decision is published."))
            return redirect(proposal)
    return render(
        request,
        "proposals/form_page.html",
        {"form": form, "proposal": proposal, "heading": _("Publish the structure's decision")},
    )


def step_add(request, pk):
    proposal = _simple_proposal(pk)
    if not request.user.has_perm("proposals.update_implementation", proposal):
        return denied(request)
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_add(proposal=proposal, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The step is added."))
            return redirect(proposal.get_absolute_url() + "#implementation")
    return render(
        request,
        "proposals/form_page.html",
        {"form": form, "proposal": proposal, "heading": _("Add an implementation step")},
    )


def step_update(request, pk):
    step = get_object_or_404(ImplementationStep.objects.select_related("proposal__call"), pk=pk)
    proposal = step.proposal
    if not request.user.has_perm("proposals.update_implementation", proposal):
        return denied(request)
    form = StepUpdateForm(
        request.POST or None,
        initial={"status": step.status, "done_on": step.done_on, "note": step.note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.step_update(step=step, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The step is updated."))
            return redirect(proposal.get_absolute_url() + "#implementation")
    return render(
        request,
        "proposals/form_page.html",
        {
            "form": form,
            "proposal": proposal,
            "heading": _("Update the step: %(step)s") % {"step": step.description[:60]},
        },
    )


def proposal_evaluate(request, pk):
    proposal = _simple_proposal(pk)
    if not request.user.has_perm("proposals.evaluate_proposal", proposal):
        return denied(request)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(proposal=proposal, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your rating is published."))
            return redirect(proposal.get_absolute_url() + "#evaluation")
    return render(
        request,
        "proposals/form_page.html",
        {"form": form, "proposal": proposal, "heading": _("Rate the result")},
    )


@permission_required("proposals.view_votes")
def proposal_votes(request, pk):
    """The audit trail of the votes: who voted what, when (coordinators only)."""
    proposal = _simple_proposal(pk)
    entries = CappedCountPaginator(selectors.voters_for_coordinators(proposal), 100).get_page(
        request.GET.get("page")
    )
    return render(request, "proposals/votes.html", {"proposal": proposal, "page": entries})


def attachment_download(request, pk):
    attachment = get_object_or_404(
        ProposalAttachment.objects.select_related("proposal__call"), pk=pk
    )
    if not request.user.has_perm("proposals.view_proposal", attachment.proposal):
        return denied(request)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


def notifications(request):
    if not request.user.is_authenticated:
        return denied(request)
    items = list(selectors.notifications_for(request.user))
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        return redirect("proposals:notifications")
    return render(request, "proposals/notifications.html", {"items": items})
