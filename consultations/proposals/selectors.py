"""Every read of proposals that has a rule in it: what a visitor may see, which rows a
list shows, with their related rows read in a constant number of queries. Who voted is
read only by `voters_for_coordinators`."""

from django.db import connection
from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from conect.accounts.rules import is_coordinator
from conect.core.text import fold
from registry.models import Institution
from registry.rules.predicates import _institution_roles

from .models import (
    CallEvaluator,
    Evaluation,
    ImplementationStep,
    Proposal,
    ProposalCall,
    ProposalComment,
    ProposalEvent,
    ProposalFollow,
    ProposalModerationLogEntry,
    ProposalNotification,
    Vote,
    VoteAuditEntry,
)

State = Proposal.State
SORTS = {
    "votes": ("-yes_count", "-id"),
    "new": ("-created_at", "-id"),
    "closing": ("voting_closes_at", "id"),
}
SIMILAR_LIMIT = 5
SIMILARITY = 0.2


def calls_visible(user) -> QuerySet:
    """The public calls, plus the drafts of the user's own institutions (all for a
    coordinator), with their institution and structure."""
    visible = Q(state__in=ProposalCall.PUBLIC_STATES)
    if is_coordinator(user):
        visible = Q()
    elif user.is_authenticated:
        visible |= Q(institution_id__in=list(_institution_roles(user)))
    return (
        ProposalCall.objects.filter(visible)
        .select_related("institution", "structure")
        .annotate(
            voting_count=Count("proposals", filter=Q(proposals__state__in=Proposal.VOTED_STATES))
        )
        .order_by("-submissions_open_on", "-id")
    )


def call_detail(pk: int, *, with_evaluators: bool = False) -> ProposalCall:
    """A call with its domains and counties; with `with_evaluators`, also its public
    evaluation group (the citizens' and organisations' names, for the call's page)."""
    prefetch = ["domains", "counties"]
    if with_evaluators:
        prefetch.append(
            Prefetch(
                "evaluators",
                queryset=CallEvaluator.objects.select_related("user", "organisation").order_by(
                    "organisation__name", "user__name", "id"
                ),
            )
        )
    return (
        ProposalCall.objects.select_related("institution", "structure")
        .prefetch_related(*prefetch)
        .get(pk=pk)
    )


REACHED_STATES = (State.REFERRED, State.DECIDED, State.IMPLEMENTED)


def proposals_public(
    *,
    call: ProposalCall | None = None,
    sort: str = "votes",
    county: str = "",
    reached: bool = False,
    text: str = "",
) -> QuerySet:
    """The proposals everyone sees (from the vote on), sorted by yes votes (the default),
    newest or closing soonest; with what a list row shows. Optionally only those of a
    county (by its code), those that reached their threshold, and those whose title or
    text contains `text`, ignoring diacritics and case (a trigram index serves it on
    PostgreSQL)."""
    proposals = Proposal.objects.filter(state__in=Proposal.VOTED_STATES)
    if call is not None:
        proposals = proposals.filter(call=call)
    if county:
        proposals = proposals.filter(county__code=county)
    if reached:
        proposals = proposals.filter(state__in=REACHED_STATES)
    folded = fold(text or "")
    if folded:
        for word in folded.split()[:10]:
            proposals = proposals.filter(search_text__contains=word)
    return (
        proposals.select_related("call", "domain", "county")
        .only(
            "id",
            "title",
            "state",
            "yes_count",
            "no_count",
            "voting_closes_at",
            "created_at",
            "decision",
            "call__id",
            "call__title",
            "call__threshold",
            "call__count_net_votes",
            "domain__id",
            "domain__name_ro",
            "domain__name_en",
            "county__id",
            "county__name",
        )
        .order_by(*SORTS.get(sort, SORTS["votes"]))
    )


def moderation_queue(call: ProposalCall) -> QuerySet:
    return (
        Proposal.objects.filter(call=call, state__in=(State.PENDING, State.CHANGES_REQUESTED))
        .select_related("author", "organisation")
        .order_by("created_at", "id")
    )


def moderation_log(call: ProposalCall) -> QuerySet:
    return ProposalModerationLogEntry.objects.filter(call=call).select_related("actor", "proposal")


def proposal_detail(pk: int) -> Proposal:
    """A proposal with everything its page shows, in a fixed number of queries."""
    return (
        Proposal.objects.select_related(
            "call__institution",
            "call__structure",
            "author",
            "organisation",
            "domain",
            "county",
            "merged_into",
            "meeting",
        )
        .prefetch_related(
            "attachments",
            Prefetch("events", queryset=ProposalEvent.objects.order_by("created_at", "id")),
            Prefetch(
                "comments",
                queryset=ProposalComment.objects.select_related("author").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch("implementation_steps", queryset=ImplementationStep.objects.all()),
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.select_related("evaluator", "organisation"),
            ),
        )
        .get(pk=pk)
    )


def evaluation_summary(proposal: Proposal) -> dict:
    """The average rating and the count, from the prefetched evaluations."""
    ratings = [e.rating for e in proposal.evaluations.all()]
    return {
        "count": len(ratings),
        "average": round(sum(ratings) / len(ratings), 1) if ratings else None,
    }


def viewer_state(proposal: Proposal, user, *, vote: bool, follow: bool) -> dict:
    """What the visitor has done with the proposal, in one query: their own vote (True
    yes, False no, None) when `vote`, and whether they follow it when `follow`."""
    state = {"my_vote": None, "following": False}
    if not user.is_authenticated or not (vote or follow):
        return state
    annotations = {}
    if vote:
        annotations["my_vote"] = Subquery(
            Vote.objects.filter(proposal=OuterRef("pk"), user=user).values("is_yes")[:1]
        )
    if follow:
        annotations["following"] = Exists(
            ProposalFollow.objects.filter(proposal=OuterRef("pk"), user=user)
        )
    row = Proposal.objects.filter(pk=proposal.pk).values(**annotations).first()
    state.update(row or {})
    return state


def voters_for_coordinators(proposal: Proposal) -> QuerySet:
    """The vote audit trail of a proposal: who voted what, when; for coordinators only
    (the view asks proposals.view_votes)."""
    return VoteAuditEntry.objects.filter(proposal=proposal).select_related("user")


def similar_proposals(call: ProposalCall, text: str, *, limit: int = SIMILAR_LIMIT) -> list:
    """Proposals of the call like `text` (a title being typed), so that people vote for
    them rather than propose the same again: trigram similarity on PostgreSQL, a simple
    match on the folded text elsewhere. Only proposals everyone may see."""
    text = (text or "").strip()
    if len(text) < 4:
        return []
    proposals = Proposal.objects.filter(call=call, state__in=Proposal.VOTED_STATES)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramWordSimilarity

        proposals = (
            proposals.annotate(similarity=TrigramWordSimilarity(text, "title"))
            .filter(similarity__gte=SIMILARITY)
            .order_by("-similarity", "-yes_count")
        )
    else:
        words = [w for w in fold(text).split() if len(w) > 3][:5]
        condition = Q()
        for word in words:
            condition |= Q(search_text__contains=word)
        if not words:
            return []
        proposals = proposals.filter(condition).order_by("-yes_count")
    return list(proposals.only("id", "title", "yes_count", "state")[:limit])


def merge_suggestions(choices: QuerySet, text: str, *, limit: int) -> list:
    """Among `choices`, those whose number is `text` (with or without "#"), or whose
    folded title and text hold every word of it."""
    text = (text or "").strip().lstrip("#")
    if text.isdigit():
        return list(choices.filter(pk=int(text))[:1])
    words = fold(text).split()[:10]
    if not words:
        return []
    for word in words:
        choices = choices.filter(search_text__contains=word)
    return list(choices[:limit])


def notifications_for(user) -> QuerySet:
    return ProposalNotification.objects.filter(user=user).select_related("proposal")[:100]


def dashboard_summary() -> dict:
    """What the coordinators' dashboard shows of proposals: calls, proposals per state,
    votes, decisions, and the average days from referral to decision."""
    from django.db.models import Avg as _Avg  # noqa: F401
    from django.db.models import DurationField, ExpressionWrapper, F, Sum

    calls = ProposalCall.objects.aggregate(
        total=Count("id"), open=Count("id", filter=Q(state=ProposalCall.State.OPEN))
    )
    by_state = dict(
        Proposal.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    totals = Proposal.objects.aggregate(
        yes=Sum("yes_count"),
        no=Sum("no_count"),
        decided=Count("id", filter=Q(decided_at__isnull=False)),
        accepted=Count(
            "id",
            filter=Q(
                decision__in=(Proposal.Decision.ACCEPTED, Proposal.Decision.PARTIALLY_ACCEPTED)
            ),
        ),
        days_to_decide=Avg(
            ExpressionWrapper(F("decided_at") - F("referred_at"), output_field=DurationField()),
            filter=Q(decided_at__isnull=False, referred_at__isnull=False),
        ),
        overdue=Count(
            "id",
            filter=Q(state=State.REFERRED, answer_due_on__lt=_today()),
        ),
    )
    duration = totals["days_to_decide"]
    return {
        "calls": calls["total"],
        "open_calls": calls["open"],
        "states": [(label, by_state.get(value, 0)) for value, label in State.choices],
        "proposals": sum(by_state.values()),
        "votes": (totals["yes"] or 0) + (totals["no"] or 0),
        "decided": totals["decided"],
        "accepted": totals["accepted"],
        "overdue": totals["overdue"],
        "days_to_decide": round(duration.total_seconds() / 86400, 1) if duration else None,
    }


def _today():
    from django.utils import timezone

    return timezone.localdate()


def institution_of(call: ProposalCall) -> Institution:
    return Institution(pk=call.institution_id)
