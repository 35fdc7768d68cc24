"""Reads of consultations that carry a rule: who sees what, with what loaded."""

import datetime
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from conect.accounts.rules import is_authenticated, is_coordinator
from conect.core.collation import by_name
from conect.core.text import fold
from registry.models import County, Institution, Region
from registry.rules.predicates import _institution_roles

from .models import (
    Article,
    Consultation,
    ConsultationTransition,
    Debate,
    DebateRequest,
    Document,
    DocumentVersion,
    Follow,
    ModerationLogEntry,
    Notification,
    Recommendation,
)

State = Consultation.State
RecStatus = Recommendation.Status


def _published_count_subquery():
    return Coalesce(
        Subquery(
            Recommendation.objects.filter(consultation=OuterRef("pk"), status=RecStatus.PUBLISHED)
            .order_by()
            .values("consultation")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def consultation_list_visible(user) -> QuerySet[Consultation]:
    """Consultations `user` may see: every public one; drafts too for the civil servants
    of the owning institution and for coordinators. Loaded for a list page (institution,
    domains, published recommendation count) at a constant number of queries."""
    visible = Q(state__in=Consultation.PUBLIC_STATES)
    if is_coordinator(user):
        visible = Q()
    elif is_authenticated(user):
        institution_ids = list(_institution_roles(user))
        if institution_ids:
            visible |= Q(institution_id__in=institution_ids)
    return (
        Consultation.objects.filter(visible)
        .select_related("institution")
        .prefetch_related("domains")
        .annotate(published_count=_published_count_subquery())
    )


def consultation_search(queryset: QuerySet[Consultation], text: str) -> QuerySet[Consultation]:
    """Every word must appear in the title or summary, ignoring case and diacritics."""
    for word in fold(text).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def consultation_for_county(queryset: QuerySet[Consultation], county: County):
    """Consultations that concern the county itself or its region."""
    return queryset.filter(Q(counties=county) | Q(regions=county.region_id)).distinct()


def consultation_detail(pk: int) -> Consultation:
    """One consultation with everything its page shows, loaded up front."""
    return (
        Consultation.objects.select_related("institution", "contact_official")
        .prefetch_related(
            "domains",
            Prefetch("counties", queryset=County.objects.only("id", "code", "name")),
            Prefetch("regions", queryset=Region.objects.only("id", "code", "name")),
            Prefetch(
                "documents",
                queryset=Document.objects.prefetch_related(
                    Prefetch(
                        "versions",
                        queryset=DocumentVersion.objects.order_by("-number"),
                    )
                ),
            ),
            Prefetch("articles", queryset=Article.objects.order_by("position")),
            Prefetch(
                "transitions",
                queryset=ConsultationTransition.objects.order_by("created_at", "pk"),
            ),
            Prefetch(
                "debates",
                queryset=Debate.objects.annotate(
                    registration_count=Count("registrations")
                ).order_by("starts_at"),
            ),
            Prefetch(
                "debate_requests",
                queryset=DebateRequest.objects.select_related("organisation", "debate"),
            ),
        )
        .annotate(published_count=_published_count_subquery())
        .get(pk=pk)
    )


# What a recommendation's card shows: loading only these keeps a page of 50 light.
RECOMMENDATION_CARD_FIELDS = (
    "consultation_id",
    "author_id",
    "author__name",
    "author__deleted_at",
    "organisation_id",
    "organisation__name",
    "article_id",
    "article__label",
    "text",
    "attachment",
    "attachment_name",
    "hide_name",
    "status",
    "moderation_reason",
    "report_count",
    "disposition",
    "justification",
    "created_at",
    "edited_at",
)


def recommendations_visible(consultation: Consultation, user) -> QuerySet[Recommendation]:
    """The published recommendations, plus the user's own whatever their status.
    (Moderators see the rest in the moderation queue.)"""
    visible = Q(status=RecStatus.PUBLISHED)
    if is_authenticated(user):
        visible |= Q(author_id=user.pk)
    return (
        Recommendation.objects.filter(consultation=consultation)
        .filter(visible)
        .select_related("author", "organisation", "article")
        .only(*RECOMMENDATION_CARD_FIELDS)
        .order_by("created_at", "pk")
    )


def recommendations_public(consultation_id: int | None = None) -> QuerySet[Recommendation]:
    """Published recommendations of public consultations (for the API)."""
    queryset = Recommendation.objects.filter(
        status=RecStatus.PUBLISHED, consultation__state__in=Consultation.PUBLIC_STATES
    )
    if consultation_id is not None:
        queryset = queryset.filter(consultation_id=consultation_id)
    return queryset.select_related("author", "organisation", "article").order_by(
        "consultation_id", "created_at", "pk"
    )


MODERATION_TABS = ("reported", "pending", "hidden", "all")


def moderation_queue(consultation: Consultation, tab: str = "reported") -> QuerySet[Recommendation]:
    """What the moderators review, most reported first: reported (open reports),
    pending (pre-moderation), hidden, or all."""
    queryset = Recommendation.objects.filter(consultation=consultation)
    if tab == "reported":
        queryset = queryset.filter(report_count__gt=0, status=RecStatus.PUBLISHED)
    elif tab == "pending":
        queryset = queryset.filter(status=RecStatus.PENDING)
    elif tab == "hidden":
        queryset = queryset.filter(status=RecStatus.HIDDEN)
    return (
        queryset.select_related("author", "organisation", "article")
        .only(*RECOMMENDATION_CARD_FIELDS)
        .order_by("-report_count", "created_at", "pk")
    )


def moderation_counts(consultation: Consultation) -> dict[str, int]:
    counts = Recommendation.objects.filter(consultation=consultation).aggregate(
        reported=Count("pk", filter=Q(report_count__gt=0, status=RecStatus.PUBLISHED)),
        pending=Count("pk", filter=Q(status=RecStatus.PENDING)),
        hidden=Count("pk", filter=Q(status=RecStatus.HIDDEN)),
        all=Count("pk"),
    )
    return counts


def moderation_log(consultation: Consultation) -> QuerySet[ModerationLogEntry]:
    return ModerationLogEntry.objects.filter(consultation=consultation).select_related(
        "actor", "recommendation"
    )


def answer_queue(consultation: Consultation, *, unanswered_only: bool = False):
    queryset = Recommendation.objects.filter(
        consultation=consultation, status=RecStatus.PUBLISHED
    ).select_related("author", "organisation", "article")
    if unanswered_only:
        queryset = queryset.filter(disposition="")
    return queryset.order_by("article__position", "created_at", "pk")


# --- Synthesis ----------------------------------------------------------------------


def disposition_rows(counts: Counter) -> list[tuple[str, int]]:
    """(label, count) for every disposition, in a fixed order, zeros included."""
    return [(label, counts.get(value, 0)) for value, label in Recommendation.Disposition.choices]


@dataclass
class SynthesisGroup:
    article: Article | None
    recommendations: list = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    @property
    def count_rows(self):
        return disposition_rows(self.counts)


@dataclass
class Synthesis:
    consultation: Consultation
    groups: list[SynthesisGroup]
    counts: Counter
    total: int
    hidden: int

    @property
    def count_rows(self):
        return disposition_rows(self.counts)

    @property
    def unanswered(self) -> int:
        return self.counts.get("unanswered", 0)


def synthesis(consultation: Consultation) -> Synthesis:
    """Every published recommendation with its disposition, grouped by article (general
    recommendations first), with the counts per disposition. Two queries."""
    recommendations = list(answer_queue(consultation))
    groups: OrderedDict = OrderedDict()
    groups[None] = SynthesisGroup(article=None)
    for article in consultation.articles.all():
        groups[article.pk] = SynthesisGroup(article=article)
    totals: Counter = Counter()
    for rec in recommendations:
        group = groups.setdefault(rec.article_id, SynthesisGroup(article=rec.article))
        group.recommendations.append(rec)
        group.counts[rec.disposition or "unanswered"] += 1
        totals[rec.disposition or "unanswered"] += 1
    hidden = Recommendation.objects.filter(
        consultation=consultation, status=RecStatus.HIDDEN
    ).count()
    return Synthesis(
        consultation=consultation,
        groups=[group for group in groups.values() if group.recommendations],
        counts=totals,
        total=len(recommendations),
        hidden=hidden,
    )


# --- Notifications ---------------------------------------------------------------


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("consultation__institution")


UNREAD_CACHE_SECONDS = 300


def unread_cache_key(user_id: int) -> str:
    return f"consultations:unread:{user_id}"


def unread_count(user) -> int:
    """How many of the user's notifications are unread: asked by the navigation of every
    page, so kept in the cache; creating or reading notifications forgets it."""
    if not is_authenticated(user):
        return 0
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def forget_unread_counts(user_ids) -> None:
    """Drop the cached counts of these users, now and once the transaction commits (so
    that a page read in between does not keep the count from before)."""
    keys = [unread_cache_key(user_id) for user_id in user_ids]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


# --- The map -------------------------------------------------------------------------


def open_consultations_by_county() -> dict[str | None, int]:
    """{county NUTS-3 code: open consultations concerning it}; national ones under None.
    A consultation that concerns a region counts in each of its counties, and one that
    names a county and its region counts there once."""
    open_ids = Consultation.objects.filter(state=State.OPEN)
    result: dict[str | None, int] = {}
    national = open_ids.filter(is_national=True).count()
    if national:
        result[None] = national
    direct = County.consultations.through.objects.filter(
        consultation__in=open_ids.filter(is_national=False)
    ).values_list("consultation_id", "county__code")
    via_region = Consultation.regions.through.objects.filter(
        consultation__in=open_ids.filter(is_national=False)
    ).values_list("consultation_id", "region_id")
    pairs = set(direct)
    region_counties: dict[int, list[str]] = {}
    for region_id, code in County.objects.values_list("region_id", "code"):
        region_counties.setdefault(region_id, []).append(code)
    for consultation_id, region_id in via_region:
        for code in region_counties.get(region_id, []):
            pairs.add((consultation_id, code))
    for _consultation_id, code in pairs:
        result[code] = result.get(code, 0) + 1
    return result


# --- Scoreboard and annual report ---------------------------------------------------


def _meets_minimum() -> Q:
    from . import dates

    return Q(
        is_urgent=False,
        window_days__gte=dates.min_window_days(),
        announcement_working_days__gte=dates.min_announcement_working_days(),
    )


def _count_per_institution(queryset, institution_path: str, aggregate=None):
    """A correlated subquery: COUNT (or `aggregate`) of `queryset` for each institution."""
    return Coalesce(
        Subquery(
            queryset.filter(**{institution_path: OuterRef("pk")})
            .order_by()
            .values(institution_path)
            .annotate(n=aggregate or Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def scoreboard(institution_id: int | None = None) -> QuerySet[Institution]:
    """Per institution that has held consultations: how many (`held`), windows that met
    the legal minimum (`compliant`), urgency procedures (`urgent`), syntheses published
    (`syntheses`, `syntheses_on_time`, `days_late_total`), debates requested, honoured and
    held. One query, whatever the number of institutions."""
    public = Consultation.objects.filter(state__in=Consultation.PUBLIC_STATES)
    synthesised = Consultation.objects.filter(synthesis_published_at__isnull=False)
    requests = DebateRequest.objects.all()
    annotations = {
        "held": _count_per_institution(public, "institution"),
        "compliant": _count_per_institution(public.filter(_meets_minimum()), "institution"),
        "urgent": _count_per_institution(public.filter(is_urgent=True), "institution"),
        "syntheses": _count_per_institution(synthesised, "institution"),
        "syntheses_on_time": _count_per_institution(
            synthesised.filter(synthesis_days_late=0), "institution"
        ),
        "days_late_total": _count_per_institution(
            synthesised, "institution", Sum("synthesis_days_late")
        ),
        "debates_requested": _count_per_institution(requests, "consultation__institution"),
        "debates_honoured": _count_per_institution(
            requests.filter(status=DebateRequest.Status.SCHEDULED), "consultation__institution"
        ),
        "debates_held": _count_per_institution(
            Debate.objects.filter(starts_at__lte=timezone.now()), "consultation__institution"
        ),
    }
    queryset = Institution.objects.annotate(**annotations)
    if institution_id is not None:
        return queryset.filter(pk=institution_id)
    return queryset.filter(Exists(public.filter(institution=OuterRef("pk")))).order_by(by_name())


@dataclass
class AnnualReport:
    year: int
    institution: Institution | None
    announced: int = 0
    recommendations_received: int = 0
    recommendations_included: int = 0
    debates_requested: int = 0
    debates_held: int = 0
    debate_participants: int = 0
    adopted: int = 0
    adopted_by_urgency: int = 0
    consultations: list = field(default_factory=list)

    def rows(self):
        """(label, value) pairs, in the order of the legal report."""
        from django.utils.translation import gettext as _

        return [
            (_("Draft acts announced"), self.announced),
            (_("Recommendations received"), self.recommendations_received),
            (_("Recommendations included in the acts"), self.recommendations_included),
            (_("Public debates requested"), self.debates_requested),
            (_("Public debates held"), self.debates_held),
            (_("People registered for the debates"), self.debate_participants),
            (_("Acts adopted"), self.adopted),
            (_("Acts adopted by the urgency procedure"), self.adopted_by_urgency),
        ]


def annual_report(year: int, institution: Institution | None = None) -> AnnualReport:
    """The decisional-transparency report of a year (Law 52/2003, art. 13), for one
    institution or all. A fixed number of queries."""
    start = datetime.date(year, 1, 1)
    end = datetime.date(year + 1, 1, 1)
    scope = Q() if institution is None else Q(institution=institution)
    consultations = Consultation.objects.filter(scope)
    announced = consultations.filter(published_at__date__gte=start, published_at__date__lt=end)
    report = AnnualReport(year=year, institution=institution)
    report.announced = announced.count()
    recs = Recommendation.objects.filter(
        consultation__in=consultations, created_at__date__gte=start, created_at__date__lt=end
    ).exclude(status=RecStatus.HIDDEN)
    agg = recs.aggregate(
        received=Count("pk"),
        included=Count(
            "pk",
            filter=Q(
                disposition__in=[
                    Recommendation.Disposition.ACCEPTED,
                    Recommendation.Disposition.PARTIALLY_ACCEPTED,
                ]
            ),
        ),
    )
    report.recommendations_received = agg["received"]
    report.recommendations_included = agg["included"]
    report.debates_requested = DebateRequest.objects.filter(
        consultation__in=consultations, created_at__date__gte=start, created_at__date__lt=end
    ).count()
    held = Debate.objects.filter(
        consultation__in=consultations, starts_at__date__gte=start, starts_at__date__lt=end
    ).aggregate(n=Count("pk", distinct=True), people=Count("registrations"))
    report.debates_held = held["n"]
    report.debate_participants = held["people"]
    adopted = consultations.filter(
        state=State.ADOPTED, adopted_on__gte=start, adopted_on__lt=end
    ).aggregate(n=Count("pk"), urgent=Count("pk", filter=Q(is_urgent=True)))
    report.adopted = adopted["n"]
    report.adopted_by_urgency = adopted["urgent"]
    report.consultations = list(
        announced.select_related("institution")
        .annotate(
            received=Count("recommendations", filter=~Q(recommendations__status=RecStatus.HIDDEN)),
        )
        .order_by("published_at")
    )
    return report


# --- Follow buttons (cedge) ------------------------------------------------------------


def own_follow(user, target) -> Follow | None:
    """The user's own follow of `target` (a consultation, an institution, a domain, a
    county or a region), or None: what the page's follow button shows. One query, none
    for a visitor."""
    if not is_authenticated(user):
        return None
    field = type(target)._meta.model_name
    return Follow.objects.filter(user=user, **{f"{field}_id": target.pk}).only("pk").first()
