"""Every read of the feedback on public services.

The indices are computed from `MonthlyIndex` (one row per service and month, kept with
each answer), never from the answers: an index over a million answers reads at most a
few tens of thousands of rows, in one GROUP BY. An index is shown only when at least
`MIN_ANSWERS` answers are behind it (each indicator likewise, with its own count).
What a page shows is cached in the shared cache under a version that every answer bumps
(the institution's own for its page, the national one for every other view).
"""

from datetime import date

from django.core.cache import cache
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from conect.core.versions import version
from registry.models import County, Region

from .models import (
    PUBLIC_COMMENT_STATUSES,
    Answer,
    CommentStatus,
    CommonService,
    MonthlyIndex,
    Service,
)
from .services import VERSION_KEY, institution_version_key

MIN_ANSWERS = 10
MONTHS = 12
CACHE_TIMEOUT = 60 * 60 * 24
SUM_FIELDS = (
    "answers",
    "satisfied",
    "satisfaction_sum",
    "access_sum",
    "access_n",
    "clarity_sum",
    "clarity_n",
    "courtesy_sum",
    "courtesy_n",
    "timeliness_sum",
    "timeliness_n",
    "solved_yes",
    "solved_n",
)
INDICATOR_LABELS = (
    ("satisfaction", _("Overall satisfaction")),
    ("access", _("Access to the service")),
    ("clarity", _("Clarity of the procedure")),
    ("courtesy", _("Courtesy and competence of the staff")),
    ("timeliness", _("Time it took")),
)


# --- Computing an index ------------------------------------------------------------


def _sums() -> dict:
    return {name: Sum(name) for name in SUM_FIELDS}


def month_starts(*, now=None, months: int = MONTHS) -> list[date]:
    """The first day of each of the last `months` months (local time), oldest first."""
    today = timezone.localtime(now or timezone.now()).date()
    year, month = today.year, today.month
    starts = []
    for _i in range(months):
        starts.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(starts))


def summarise(row: dict | None) -> dict:
    """The index of a set of answers from their sums: the number of answers, and, with
    at least MIN_ANSWERS of them, the share of satisfied answers (in %), the average of
    each indicator (1 to 5, each shown from MIN_ANSWERS answers to it) and the share of
    matters solved."""
    row = row or {}
    n = row.get("answers") or 0
    if n < MIN_ANSWERS:
        return {"answers": n, "shown": False}
    averages = {"satisfaction": round(row["satisfaction_sum"] / n, 2)}
    for name in ("access", "clarity", "courtesy", "timeliness"):
        count = row.get(f"{name}_n") or 0
        averages[name] = round(row[f"{name}_sum"] / count, 2) if count >= MIN_ANSWERS else None
    solved_n = row.get("solved_n") or 0
    return {
        "answers": n,
        "shown": True,
        "satisfied_share": round(100 * row["satisfied"] / n, 1),
        "averages": averages,
        "solved_share": (
            round(100 * row["solved_yes"] / solved_n, 1) if solved_n >= MIN_ANSWERS else None
        ),
    }


def _add(total: dict, row: dict) -> None:
    for name in SUM_FIELDS:
        total[name] = total.get(name, 0) + (row.get(name) or 0)


def index_series(*, now=None, **filters) -> dict:
    """The monthly index of the answers matching `filters` (on MonthlyIndex: service,
    institution, county, region) over the last 12 months, the index of the 12 months
    together and the trend: the change of the share of satisfied answers between the last
    two months that have an index. One query."""
    starts = month_starts(now=now)
    rows = {
        row["month"]: row
        for row in MonthlyIndex.objects.filter(month__gte=starts[0], **filters)
        .values("month")
        .annotate(**_sums())
        .order_by()
    }
    total: dict = {}
    months = []
    for start in starts:
        row = rows.get(start, {})
        _add(total, row)
        months.append({"month": start.strftime("%Y-%m"), **summarise(row)})
    shown = [m for m in months if m["shown"]]
    trend = None
    if len(shown) >= 2:
        trend = round(shown[-1]["satisfied_share"] - shown[-2]["satisfied_share"], 1)
    return {"months": months, "total": summarise(total), "trend": trend}


def index_by(field: str, *, now=None, **filters) -> dict:
    """{value of `field`: index over the last 12 months} for the answers matching
    `filters`, e.g. index_by("county_id"). One query."""
    start = month_starts(now=now)[0]
    rows = (
        MonthlyIndex.objects.filter(month__gte=start, **filters)
        .values(field)
        .annotate(**_sums())
        .order_by()
    )
    return {row[field]: summarise(row) for row in rows}


def national_version() -> int:
    """The version of every index but an institution's own: a key for cached fragments."""
    return version(VERSION_KEY)


def institution_version(institution_id: int) -> int:
    """The version of an institution's indices (its answers change it)."""
    return version(institution_version_key(institution_id))


def _cached(key: str, compute):
    return cache.get_or_set(key, compute, CACHE_TIMEOUT)


# --- Views of the indices ------------------------------------------------------------


def _areas() -> tuple[list[dict], list[dict]]:
    """The regions and the counties (with their region's code), by name. Two queries."""
    regions = list(Region.objects.order_by("name").values("id", "code", "name"))
    counties = list(
        County.objects.order_by("name").values("id", "code", "name", "region_id", "region__code")
    )
    return regions, counties


def national_feedback() -> dict:
    """The national index by month, and the index of each region and county over the
    last 12 months (with their answers). Five queries, cached under the national
    version."""

    def compute():
        regions, counties = _areas()
        by_region = index_by("region_id")
        by_county = index_by("county_id")
        empty = summarise(None)
        return {
            "series": index_series(),
            "regions": [{**r, "index": by_region.get(r["id"], empty)} for r in regions],
            "counties": [{**c, "index": by_county.get(c["id"], empty)} for c in counties],
            "national_level": by_county.get(None, empty),
        }

    return _cached(f"feedback:national:{version(VERSION_KEY)}", compute)


def area_feedback(*, region=None, county=None) -> dict:
    """The index of one region or county by month, and of each institution in it that
    has answers (by name). Two queries, cached under the national version."""
    filters = {"county_id": county.pk} if county is not None else {"region_id": region.pk}

    def compute():
        start = month_starts()[0]
        institutions = (
            MonthlyIndex.objects.filter(month__gte=start, **filters)
            .values("institution_id", name=F("institution__name"))
            .annotate(**_sums())
            .order_by("institution__name")
        )
        return {
            "series": index_series(**filters),
            "institutions": [
                {"id": row["institution_id"], "name": row["name"], "index": summarise(row)}
                for row in institutions
            ],
        }

    key = "-".join(f"{k}{v}" for k, v in filters.items())
    return _cached(f"feedback:area:{version(VERSION_KEY)}:{key}", compute)


def institution_feedback(institution) -> dict:
    """An institution's index by month and the index of each of its active services
    (every one listed, with its short address). Three queries, cached under the
    institution's own version (its answers only change it)."""

    def compute():
        services = list(
            Service.objects.filter(institution=institution, is_active=True)
            .order_by("name")
            .values("id", "code", "name", "channel", "locality")
        )
        by_service = index_by("service_id", institution_id=institution.pk)
        empty = summarise(None)
        channels = dict(Service._meta.get_field("channel").choices)
        return {
            "series": index_series(institution_id=institution.pk),
            "services": [
                {
                    **s,
                    "channel_label": str(channels.get(s["channel"], "")),
                    "index": by_service.get(s["id"], empty),
                }
                for s in services
            ],
        }

    key = (
        f"feedback:institution:{institution.pk}:{version(institution_version_key(institution.pk))}"
    )
    return _cached(f"{key}:{get_language()}", compute)


def service_index(service) -> dict:
    """One service's index by month (one query, cached under its institution's
    version)."""
    key = (
        f"feedback:service:{service.pk}:{version(institution_version_key(service.institution_id))}"
    )
    return _cached(key, lambda: index_series(service_id=service.pk))


def feedback_dashboard(*, limit: int = 15) -> dict:
    """The coordinators' view: the national index and by region (national_feedback), the
    comments waiting for moderation, and the institutions with the lowest share of
    satisfied answers (at least MIN_ANSWERS in 12 months). Cached under the national
    version; two queries besides national_feedback's."""

    def compute():
        start = month_starts()[0]
        lowest = (
            MonthlyIndex.objects.filter(month__gte=start)
            .values("institution_id", name=F("institution__name"))
            .annotate(**_sums())
            .filter(answers__gte=MIN_ANSWERS)
            .order_by(F("satisfied") * 1.0 / F("answers"), "institution__name")[:limit]
        )
        return {
            "lowest": [
                {"id": row["institution_id"], "name": row["name"], "index": summarise(row)}
                for row in lowest
            ],
            "pending": Answer.objects.filter(comment_status=CommentStatus.PENDING).count(),
            "limit": limit,
        }

    data = _cached(f"feedback:dashboard:{version(VERSION_KEY)}", compute)
    return {**national_feedback(), **data}


def map_answer_counts() -> dict:
    """{county id (None: services with no county): answers in the last 12 months}. One
    query."""
    start = month_starts()[0]
    return dict(
        MonthlyIndex.objects.filter(month__gte=start)
        .values_list("county_id")
        .annotate(n=Sum("answers"))
        .order_by()
    )


# --- Lists ----------------------------------------------------------------------------


def active_services():
    """Services that accept feedback, with their institution and county, by id (the API's
    list; its serializer reads the index of each page in one query, `index_by`)."""
    return (
        Service.objects.filter(is_active=True)
        .select_related("institution", "county")
        .order_by("id")
    )


def service_for_form(code: str):
    """The service of a short address, with what the form and the answer need (its
    institution and county, and the institution's county). One query; None if unknown."""
    return Service.objects.select_related("institution__county", "county").filter(code=code).first()


def public_comments(service):
    """The published comments of a service, newest first, each with its public reply."""
    return (
        Answer.objects.filter(service=service, comment_status__in=PUBLIC_COMMENT_STATUSES)
        .select_related("reply")
        .only(
            "created_at",
            "satisfaction",
            "public_comment",
            "comment_status",
            "moderation_reason",
            "reply__body",
            "reply__visibility",
            "reply__created_at",
        )
        .order_by("-created_at", "-pk")
    )


def institution_answers(institution):
    """Every answer to the institution's services, newest first, with the service and
    the reply (for its staff and the coordinators)."""
    return (
        Answer.objects.filter(service__institution=institution)
        .select_related("service", "reply")
        .order_by("-created_at", "-pk")
    )


def institution_services(institution):
    return Service.objects.filter(institution=institution).select_related("county", "common")


def moderation_queue():
    """Comments waiting for moderation, oldest first, with their service and institution."""
    return (
        Answer.objects.filter(comment_status=CommentStatus.PENDING)
        .select_related("service__institution")
        .order_by("created_at", "pk")
    )


def answer_for_staff(pk: int):
    return Answer.objects.select_related("service__institution", "reply").filter(pk=pk).first()


def catalogue():
    """The catalogue of common services with how many institutions adopted each."""
    return CommonService.objects.annotate(adopted=Count("adoptions")).order_by(
        "institution_kind", "name"
    )


def adoptable(institution):
    """The services of the catalogue for the institution's kind that it has not adopted."""
    return (
        CommonService.objects.filter(institution_kind=institution.kind)
        .exclude(adoptions__institution=institution)
        .order_by("name")
    )


def export_rows(institution):
    """The institution's answers as rows for its CSV export (no e-mail address: a reply
    goes through the platform), read in chunks."""
    answers = (
        Answer.objects.filter(service__institution=institution)
        .values_list(
            "created_at",
            "service__code",
            "service__name",
            "language",
            "satisfaction",
            "access",
            "clarity",
            "courtesy",
            "timeliness",
            "solved",
            "comment",
            "comment_status",
            "email",
        )
        .order_by("created_at", "pk")
    )
    for row in answers.iterator(chunk_size=2000):
        created_at, *rest, email = row
        yield [timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M"), *rest, bool(email)]
