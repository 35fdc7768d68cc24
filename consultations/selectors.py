"""Reads of consultations that carry a rule: who sees what, with what loaded."""

import datetime
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
)
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.utils import timezone

from conect.accounts.rules import is_authenticated, is_coordinator
from conect.core.collation import by_name
from conect.core.text import fold
from registry.models import County, Institution, Region, RelationshipOfficial
from registry.rules.predicates import _institution_roles

from .models import (
    AnnouncementChannel,
    Article,
    Channel,
    Consultation,
    ConsultationTransition,
    Debate,
    DebateRegistration,
    DebateRequest,
    Document,
    DocumentVersion,
    Follow,
    ModerationLogEntry,
    Notification,
    Recommendation,
    RecommendationReport,
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
                queryset=DebateRequest.objects.select_related(
                    "organisation", "institution", "debate"
                ),
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
    "channel",
    "received_on",
    "sender_name",
    "sender_is_organisation",
    "name_consent",
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
        # The further files of a recorded letter, counted in the same query.
        .annotate(extra_files=_extra_files_count())
        .order_by("created_at", "pk")
    )


class Folded(Func):
    """The text lower-cased and without Romanian diacritics, in SQL, to match words
    folded by conect.core.text.fold: "Asociația" and "asociatia" match alike."""

    output_field = TextField()
    _FROM = "ĂÂÎȘŞȚŢăâîșşțţ"
    _TO = "aaisstt" * 2

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template=f"lower(translate(%(expressions)s, '{self._FROM}', '{self._TO}'))",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite (the demo) has no translate(): the function registered on its
        # connections (register_sqlite_fold) folds with Python.
        return super().as_sql(
            compiler, connection, template=f"{SQLITE_FOLD}(%(expressions)s)", **extra_context
        )


SQLITE_FOLD = "conect_fold"


def register_sqlite_fold(sender, connection, **kwargs) -> None:
    """Give every new SQLite connection the folding function PostgreSQL does in SQL."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FOLD, 1, fold, deterministic=True)


def recommendations_filtered(
    queryset: QuerySet[Recommendation], *, channel: str = "", text: str = ""
) -> QuerySet[Recommendation]:
    """The recommendations received by `channel` (one of Channel's values; any other
    value is ignored) whose text holds every word of `text`, ignoring case and
    diacritics: how a person finds the one they sent, by e-mail or here."""
    if channel in Channel.values:
        queryset = queryset.filter(channel=channel)
    words = fold(text).split()
    if words:
        queryset = queryset.annotate(folded_text=Folded("text"))
        for word in words:
            queryset = queryset.filter(folded_text__contains=word)
    return queryset


def _extra_files_count():
    from .models import RecommendationFile

    return Coalesce(
        Subquery(
            RecommendationFile.objects.filter(recommendation=OuterRef("pk"))
            .order_by()
            .values("recommendation")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
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
        # Why it was reported: the moderators read the reasons (one query per page).
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=RecommendationReport.objects.order_by("created_at", "pk"),
                to_attr="report_list",
            )
        )
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


def debate_detail(pk: int) -> Debate:
    """A debate with its consultation, its organisations present and every registration
    (with the person), in a fixed number of queries."""
    return (
        Debate.objects.select_related("consultation__institution")
        .prefetch_related(
            Prefetch("attending_organisations", queryset=_organisations_by_name()),
            Prefetch(
                "registrations",
                queryset=DebateRegistration.objects.select_related("user").order_by(
                    "created_at", "pk"
                ),
            ),
        )
        .get(pk=pk)
    )


def _organisations_by_name():
    from registry.models import Organisation

    return Organisation.objects.only("id", "name").order_by("name")


@dataclass
class Speaker:
    registration: DebateRegistration
    position: int
    planned_at: datetime.datetime


def speaking_order(debate: Debate) -> list[Speaker]:
    """The confirmed speakers in the order they signed up, each with the time their turn
    is planned (the debate's start plus the time per speaker of those before); needs the
    registrations prefetched (debate_detail)."""
    speakers = [
        r
        for r in debate.registrations.all()
        if r.wants_to_speak and r.status == DebateRegistration.Status.CONFIRMED
    ]
    step = datetime.timedelta(minutes=debate.minutes_per_speaker)
    return [
        Speaker(registration=r, position=n + 1, planned_at=debate.starts_at + n * step)
        for n, r in enumerate(speakers)
    ]


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


def recommendations_version_key(consultation_id: int) -> str:
    """The version of what the consultation's page shows of its recommendations, bumped by
    every service that changes one (`services.common.recommendations_changed`): the page
    keeps its list rendered for visitors who are not signed in under it."""
    return f"consultations:recommendations-version:{consultation_id}"


def synthesis_version_key(consultation_id: int) -> str:
    """The cache version of a consultation's published synthesis page: bumped by every
    service that changes what it shows after publication (moderation)."""
    return f"consultations:synthesis:{consultation_id}"


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
    (`syntheses`, `syntheses_on_time`, `days_late_total`, against the deadline of
    CONSULTATION_SYNTHESIS_DUE_DAYS), debates requested, honoured and held, and the
    recommendations received from every channel and online. One query, whatever the
    number of institutions."""
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
    received = Recommendation.objects.exclude(status=RecStatus.HIDDEN).filter(
        consultation__state__in=Consultation.PUBLIC_STATES
    )
    annotations["recommendations_received"] = _count_per_institution(
        received, "consultation__institution"
    )
    annotations["recommendations_online"] = _count_per_institution(
        received.filter(channel=Channel.ONLINE), "consultation__institution"
    )
    queryset = Institution.objects.annotate(**annotations)
    if institution_id is not None:
        return queryset.filter(pk=institution_id)
    return queryset.filter(Exists(public.filter(institution=OuterRef("pk")))).order_by(by_name())


# The items of the report counted from the year's data, per institution; what only a
# person knows comes from the institution's AnnualReportStatement.
COUNTED_FIELDS = (
    "announced",
    "adopted",
    "adopted_by_urgency",
    "recommendations_received",
    "recommendations_included",
    "rejected",
    "rejections_justified",
    "drafts_with_accepted",
    "drafts_without_accepted",
    "debates_requested",
    "debates_requested_by_associations",
    "debates_requested_by_authorities",
    "debates_held",
    "debates_held_for_associations",
    "debates_held_for_authorities",
    "debates_held_own_initiative",
    "debate_participants",
    "associations_on_file",
    "officials_designated",
)
STATEMENT_FIELDS = (
    "court_cases",
    "non_public_meetings",
    "draft_requests_people",
    "draft_requests_associations",
)


@dataclass
class AnnualReport:
    """The decisional-transparency report of one institution (or of all, summed) for a
    year: every item of art. 13 of Law 52/2003 and of the standard reporting form."""

    year: int
    institution: Institution | None
    statement: object = None  # AnnualReportStatement, for one institution
    announced: int = 0
    announced_by_channel: Counter = field(default_factory=Counter)
    adopted: int = 0
    adopted_by_urgency: int = 0
    recommendations_received: int = 0
    received_by_channel: Counter = field(default_factory=Counter)
    recommendations_included: int = 0
    rejected: int = 0
    rejections_justified: int = 0
    drafts_with_accepted: int = 0
    drafts_without_accepted: int = 0
    debates_requested: int = 0
    debates_requested_by_associations: int = 0
    debates_requested_by_authorities: int = 0
    debates_held: int = 0
    debates_held_for_associations: int = 0
    debates_held_for_authorities: int = 0
    debates_held_own_initiative: int = 0
    debate_participants: int = 0
    associations_on_file: int = 0
    officials_designated: int = 0
    # Completed by the staff (summed for the national total).
    court_cases: int = 0
    non_public_meetings: int = 0
    draft_requests_people: int = 0
    draft_requests_associations: int = 0
    consultations: list = field(default_factory=list)

    @property
    def received_online(self) -> int:
        return self.received_by_channel.get(Channel.ONLINE, 0)

    @property
    def online_share(self) -> int | None:
        """Percentage of the recommendations received on this platform (rounded)."""
        if not self.recommendations_received:
            return None
        return round(100 * self.received_online / self.recommendations_received)

    def add(self, other: "AnnualReport") -> None:
        for name in (*COUNTED_FIELDS, *STATEMENT_FIELDS):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.announced_by_channel.update(other.announced_by_channel)
        self.received_by_channel.update(other.received_by_channel)

    def rows(self):
        """(label, value) pairs: art. 13 first, then the standard form's items."""
        from django.utils.translation import gettext as _

        share = self.online_share
        rows = [
            (_("Recommendations received"), self.recommendations_received),
            (_("Recommendations included in the acts"), self.recommendations_included),
            (_("Participants in public meetings"), self.debate_participants),
            (_("Public debates held"), self.debates_held),
            (_("Court cases for breaches of the law"), self.court_cases),
            (_("Meetings not open to the public"), self.non_public_meetings),
            (_("Draft acts announced"), self.announced),
        ]
        for value, label in AnnouncementChannel.choices:
            rows.append(
                (
                    _("Draft acts also announced: %(channel)s") % {"channel": label},
                    self.announced_by_channel.get(value, 0),
                )
            )
        rows += [
            (_("Acts adopted"), self.adopted),
            (_("Acts adopted by the urgency procedure"), self.adopted_by_urgency),
            (_("Requests for drafts from people"), self.draft_requests_people),
            (_("Requests for drafts from associations"), self.draft_requests_associations),
            (_("Associations on file (asked to be informed)"), self.associations_on_file),
            (_("Relationship officials designated"), self.officials_designated),
        ]
        for value, label in Channel.choices:
            rows.append(
                (
                    _("Recommendations received %(channel)s") % {"channel": label},
                    self.received_by_channel.get(value, 0),
                )
            )
        rows += [
            (
                _("Share of the recommendations received online"),
                "—" if share is None else f"{share}%",
            ),
            (_("Recommendations rejected"), self.rejected),
            (_("Rejections with a written justification"), self.rejections_justified),
            (_("Drafts with at least one accepted recommendation"), self.drafts_with_accepted),
            (_("Drafts without an accepted recommendation"), self.drafts_without_accepted),
            (_("Public debates requested"), self.debates_requested),
            (_("Debates requested by associations"), self.debates_requested_by_associations),
            (
                _("Debates requested by other public authorities"),
                self.debates_requested_by_authorities,
            ),
            (_("Debates held at the request of associations"), self.debates_held_for_associations),
            (
                _("Debates held at the request of public authorities"),
                self.debates_held_for_authorities,
            ),
            (
                _("Debates held on the institution's own initiative"),
                self.debates_held_own_initiative,
            ),
        ]
        return rows


def _year(expression):
    return ExtractYear(expression, tzinfo=timezone.get_current_timezone())


def _included_q(prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}disposition__in": [
                Recommendation.Disposition.ACCEPTED,
                Recommendation.Disposition.PARTIALLY_ACCEPTED,
            ]
        }
    )


def annual_reports(
    years: list[int], institution_ids: list[int] | None = None
) -> dict[tuple[int, int], AnnualReport]:
    """{(institution id, year): report} of every institution with something to report in
    `years` (or only `institution_ids`). A fixed number of queries (each item grouped by
    institution and year in SQL), whatever the number of institutions and years."""
    from .models import AnnualReportStatement, Follow

    first, last = min(years), max(years)
    reports: dict[tuple[int, int], AnnualReport] = {}

    def report(institution_id, year) -> AnnualReport:
        key = (institution_id, year)
        if key not in reports:
            reports[key] = AnnualReport(year=year, institution=None)
        return reports[key]

    def scoped(queryset, path):
        if institution_ids is not None:
            queryset = queryset.filter(**{f"{path}__in": institution_ids})
        return queryset

    consultations = scoped(Consultation.objects.all(), "institution")
    # Announced (published), and where besides this platform.
    announced = (
        consultations.filter(published_at__isnull=False)
        .annotate(year=_year("published_at"))
        .filter(year__gte=first, year__lte=last)
        .values("institution_id", "year")
        .annotate(
            n=Count("pk"),
            **{
                # The JSON list's text holds each value in quotes, on PostgreSQL and
                # SQLite alike (SQLite has no JSON containment).
                f"ch_{value}": Count("pk", filter=Q(announcement_channels__icontains=f'"{value}"'))
                for value in AnnouncementChannel.values
            },
        )
        .order_by()
    )
    for row in announced:
        item = report(row["institution_id"], row["year"])
        item.announced = row["n"]
        for value in AnnouncementChannel.values:
            item.announced_by_channel[value] = row[f"ch_{value}"]
    adopted = (
        consultations.filter(state=State.ADOPTED, adopted_on__year__gte=first)
        .filter(adopted_on__year__lte=last)
        .annotate(year=ExtractYear("adopted_on"))
        .values("institution_id", "year")
        .annotate(n=Count("pk"), urgent=Count("pk", filter=Q(is_urgent=True)))
        .order_by()
    )
    for row in adopted:
        item = report(row["institution_id"], row["year"])
        item.adopted, item.adopted_by_urgency = row["n"], row["urgent"]
    # Recommendations received in the year (a recorded one on the day it was received),
    # whatever the channel; hidden ones are not counted.
    received = (
        scoped(Recommendation.objects.exclude(status=RecStatus.HIDDEN), "consultation__institution")
        .annotate(year=_year("created_at"))
        .filter(year__gte=first, year__lte=last)
        .values("consultation__institution_id", "year")
        .annotate(
            n=Count("pk"),
            included=Count("pk", filter=_included_q()),
            rejected=Count("pk", filter=Q(disposition=Recommendation.Disposition.REJECTED)),
            justified=Count(
                "pk",
                filter=Q(disposition=Recommendation.Disposition.REJECTED) & ~Q(justification=""),
            ),
            **{f"ch_{value}": Count("pk", filter=Q(channel=value)) for value in Channel.values},
        )
        .order_by()
    )
    for row in received:
        item = report(row["consultation__institution_id"], row["year"])
        item.recommendations_received = row["n"]
        item.recommendations_included = row["included"]
        item.rejected, item.rejections_justified = row["rejected"], row["justified"]
        for value in Channel.values:
            item.received_by_channel[value] = row[f"ch_{value}"]
    # Drafts whose synthesis was published in the year, with and without a recommendation
    # accepted (wholly or partly).
    accepted = Recommendation.objects.filter(
        _included_q(), consultation=OuterRef("pk"), status=RecStatus.PUBLISHED
    )
    drafts = (
        consultations.filter(synthesis_published_at__isnull=False)
        .annotate(year=_year("synthesis_published_at"), has_accepted=Exists(accepted))
        .filter(year__gte=first, year__lte=last)
        .values("institution_id", "year")
        .annotate(
            with_accepted=Count("pk", filter=Q(has_accepted=True)),
            without=Count("pk", filter=Q(has_accepted=False)),
        )
        .order_by()
    )
    for row in drafts:
        item = report(row["institution_id"], row["year"])
        item.drafts_with_accepted, item.drafts_without_accepted = (
            row["with_accepted"],
            row["without"],
        )
    requests = (
        scoped(DebateRequest.objects.all(), "consultation__institution")
        .annotate(year=ExtractYear(Coalesce("requested_on", TruncDate("created_at"))))
        .filter(year__gte=first, year__lte=last)
        .values("consultation__institution_id", "year")
        .annotate(
            n=Count("pk"),
            associations=Count("pk", filter=Q(organisation__isnull=False)),
            authorities=Count("pk", filter=Q(institution__isnull=False)),
        )
        .order_by()
    )
    for row in requests:
        item = report(row["consultation__institution_id"], row["year"])
        item.debates_requested = row["n"]
        item.debates_requested_by_associations = row["associations"]
        item.debates_requested_by_authorities = row["authorities"]
    # Debates held (started) in the year; who asked for each; the people present (as
    # recorded, or else the confirmed registrations).
    confirmed = Coalesce(
        Subquery(
            DebateRegistration.objects.filter(
                debate=OuterRef("pk"), status=DebateRegistration.Status.CONFIRMED
            )
            .order_by()
            .values("debate")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    debates = (
        scoped(Debate.objects.filter(starts_at__lte=timezone.now()), "consultation__institution")
        .annotate(
            year=_year("starts_at"),
            for_associations=Exists(
                DebateRequest.objects.filter(debate=OuterRef("pk"), organisation__isnull=False)
            ),
            for_authorities=Exists(
                DebateRequest.objects.filter(debate=OuterRef("pk"), institution__isnull=False)
            ),
            people=Coalesce("attendance_count", confirmed),
        )
        .filter(year__gte=first, year__lte=last)
        .values_list(
            "consultation__institution_id", "year", "for_associations", "for_authorities", "people"
        )
    )
    for institution_id, year, for_associations, for_authorities, people in debates:
        item = report(institution_id, year)
        item.debates_held += 1
        item.debates_held_for_associations += for_associations
        item.debates_held_for_authorities += for_authorities
        item.debates_held_own_initiative += not (for_associations or for_authorities)
        item.debate_participants += people
    # As they stand now: associations that follow the institution (asked to be informed of
    # its drafts) and its relationship officials.
    on_file = dict(
        scoped(
            Follow.objects.filter(organisation__isnull=False, institution__isnull=False),
            "institution",
        )
        .values("institution_id")
        .annotate(n=Count("organisation", distinct=True))
        .values_list("institution_id", "n")
        .order_by()
    )
    officials = dict(
        scoped(RelationshipOfficial.objects.filter(removed_at__isnull=True), "institution")
        .values("institution_id")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "n")
        .order_by()
    )
    statements = scoped(
        AnnualReportStatement.objects.filter(year__gte=first, year__lte=last), "institution"
    )
    for statement in statements:
        item = report(statement.institution_id, statement.year)
        item.statement = statement
        for name in STATEMENT_FIELDS:
            setattr(item, name, getattr(statement, name))
    if institution_ids is not None:
        for institution_id in institution_ids:
            for year in years:
                report(institution_id, year)
    for (institution_id, _unused), item in reports.items():
        item.associations_on_file = on_file.get(institution_id, 0)
        item.officials_designated = officials.get(institution_id, 0)
    return reports


def annual_report(year: int, institution: Institution | None = None) -> AnnualReport:
    """The decisional-transparency report of a year (Law 52/2003, art. 13), for one
    institution or, summed, for all; with the draft acts announced that year. A fixed
    number of queries."""
    ids = None if institution is None else [institution.pk]
    result = AnnualReport(year=year, institution=institution)
    for item in annual_reports([year], ids).values():
        if item.year == year:
            result.add(item)
            if institution is not None:
                result.statement = item.statement
                result.associations_on_file = item.associations_on_file
                result.officials_designated = item.officials_designated
    scope = Q() if institution is None else Q(institution=institution)
    result.consultations = list(
        Consultation.objects.filter(scope)
        .annotate(year=_year("published_at"))
        .filter(year=year)
        .select_related("institution")
        .annotate(
            received=Count("recommendations", filter=~Q(recommendations__status=RecStatus.HIDDEN)),
        )
        .order_by("published_at")
    )
    return result


def national_reports(years: list[int]):
    """For the General Secretariat: every institution's report side by side for the
    last of `years` ([(institution, report)], by name) and the national total of each
    year ({year: report}). A fixed number of queries."""
    reports = annual_reports(years)
    totals = {year: AnnualReport(year=year, institution=None) for year in years}
    for (_institution_id, year), item in reports.items():
        totals[year].add(item)
    year = max(years)
    ids = [institution_id for (institution_id, item_year) in reports if item_year == year]
    institutions = Institution.objects.filter(pk__in=ids).only("id", "name").order_by("name")
    side_by_side = [(institution, reports[(institution.pk, year)]) for institution in institutions]
    for institution, item in side_by_side:
        item.institution = institution
    return side_by_side, totals


# --- Follow buttons (cedge) ------------------------------------------------------------


def own_follow(user, target) -> Follow | None:
    """The user's own follow of `target` (a consultation, an institution, a domain, a
    county or a region), or None: what the page's follow button shows. One query, none
    for a visitor."""
    if not is_authenticated(user):
        return None
    field = type(target)._meta.model_name
    return Follow.objects.filter(user=user, **{f"{field}_id": target.pk}).only("pk").first()
