"""Reads of the richer profile of an organisation (issue 18) and of the public lists of
projects, events and calls for volunteers. Each page reads a constant number of queries,
whatever the number of rows."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from ..models import (
    County,
    Organisation,
    OrganisationActivity,
    OrganisationAffiliation,
    OrganisationBranch,
    Region,
)

Kind = OrganisationActivity.Kind

# What a row of an activity list shows.
ACTIVITY_LIST_FIELDS = (
    "kind",
    "title",
    "language",
    "starts_on",
    "ends_on",
    "locality",
    "is_online",
    "volunteers_needed",
    "organisation_id",
    "organisation__name",
    "domain_id",
    "domain__slug",
    "domain__name_ro",
    "domain__name_en",
    "county_id",
    "county__code",
    "county__name",
)
# Activities shown on an organisation's page, of each kind.
ACTIVITIES_ON_PAGE = 100


def organisation_profile(organisation: Organisation) -> dict:
    """What the organisation's page shows of its richer profile: the counties and regions
    where it works, its federations and coalitions (linked records with their names), its
    branches (with their counties) and its projects, events and calls for volunteers (the
    newest first, by kind). Five queries."""
    counties = list(
        County.objects.filter(active_organisations=organisation)
        .only("code", "name")
        .order_by("name")
    )
    regions = list(
        Region.objects.filter(active_organisations=organisation)
        .only("code", "name")
        .order_by("name")
    )
    affiliations = list(
        OrganisationAffiliation.objects.filter(organisation=organisation)
        .select_related("parent")
        .only("kind", "name", "website", "parent_id", "parent__name", "parent__status")
        .order_by("kind", "parent__name", "name", "pk")
    )
    branches = list(
        OrganisationBranch.objects.filter(organisation=organisation)
        .select_related("county")
        .only(
            "name",
            "locality",
            "address",
            "email",
            "phone",
            "county_id",
            "county__code",
            "county__name",
        )
    )
    activities: dict[str, list] = {kind.value: [] for kind in Kind}
    rows = (
        OrganisationActivity.objects.filter(organisation=organisation)
        .select_related("domain", "county")
        .only(*ACTIVITY_LIST_FIELDS)
        .order_by("kind", "-starts_on", "-pk")
    )
    for activity in rows:
        if len(activities[activity.kind]) < ACTIVITIES_ON_PAGE:
            activities[activity.kind].append(activity)
    return {
        "activity_counties": counties,
        "activity_regions": regions,
        "affiliations": affiliations,
        "branches": branches,
        "activities": activities,
        "activity_sections": [(kind.value, kind.label, activities[kind.value]) for kind in Kind],
    }


def organisation_profile_prefetches() -> list[Prefetch]:
    """What the API reads with each organisation of a page for its richer profile: the
    counties and regions where it works, its federations (with the linked records) and its
    branches (with their counties). Four queries per page."""
    return [
        Prefetch(
            "activity_counties", queryset=County.objects.only("code", "name").order_by("name")
        ),
        Prefetch("activity_regions", queryset=Region.objects.only("code", "name").order_by("name")),
        Prefetch(
            "affiliations",
            queryset=OrganisationAffiliation.objects.select_related("parent")
            .only("organisation_id", "kind", "name", "website", "parent_id", "parent__name")
            .order_by("kind", "parent__name", "name", "pk"),
        ),
        Prefetch(
            "branches",
            queryset=OrganisationBranch.objects.select_related("county").only(
                "organisation_id",
                "name",
                "locality",
                "address",
                "email",
                "phone",
                "county_id",
                "county__code",
                "county__name",
            ),
        ),
    ]


def affiliation_parent_choices(organisation: Organisation | None = None) -> QuerySet:
    """The organisations another may say it belongs to: public records, itself excepted."""
    queryset = Organisation.objects.filter(status__in=Organisation.PUBLIC_STATUSES).only(
        "id", "name", "search_name", "status"
    )
    if organisation is not None:
        queryset = queryset.exclude(pk=organisation.pk)
    return queryset.order_by("search_name", "id")


def public_activities() -> QuerySet[OrganisationActivity]:
    """The activities anyone may see: those of public (verified or imported) organisations."""
    return OrganisationActivity.objects.filter(
        organisation__status__in=Organisation.PUBLIC_STATUSES
    )


def activity_list_public(kind: str | None = None) -> QuerySet[OrganisationActivity]:
    """Projects, events or calls for volunteers (all three when `kind` is None) of the
    organisations anyone may see, with the organisation, domain and county of each row."""
    queryset = public_activities()
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    return queryset.select_related("organisation", "domain", "county").only(*ACTIVITY_LIST_FIELDS)


def activity_detail(pk: int) -> OrganisationActivity | None:
    """One activity (any organisation status: the caller asks `registry.view_activity`),
    with its organisation, domain, county and region."""
    return (
        OrganisationActivity.objects.select_related("organisation", "domain", "county__region")
        .defer(
            "search_text",
            "organisation__search_vector",
            "organisation__description",
            "county__boundary",
            "county__region__boundary",
        )
        .filter(pk=pk)
        .first()
    )


def not_ended(queryset: QuerySet[OrganisationActivity], today=None) -> QuerySet:
    """Activities still under way or to come: not ended before today. Without an end date,
    an event or a call for volunteers lasts its first day; a project goes on."""
    today = today or timezone.localdate()
    return queryset.filter(
        Q(ends_on__gte=today)
        | Q(ends_on__isnull=True, starts_on__gte=today)
        | Q(ends_on__isnull=True, kind=Kind.PROJECT)
    )


def organisation_profile_history(organisation: Organisation, *, limit: int = 200) -> list[dict]:
    """The additions, changes and removals of the organisation's projects, events, calls
    for volunteers, federations and branches, newest first, each with when, who, what and
    which kind of change. Three queries, whatever the number of versions."""
    activities = (
        OrganisationActivity.history.filter(organisation_id=organisation.pk)
        .select_related("history_user")
        .only("history_date", "history_type", "history_user__name", "kind", "title", "language")
        .order_by("-history_date", "-history_id")[:limit]
    )
    affiliations = (
        OrganisationAffiliation.history.filter(organisation_id=organisation.pk)
        .select_related("history_user", "parent")
        .only("history_date", "history_type", "history_user__name", "kind", "name", "parent__name")
        .order_by("-history_date", "-history_id")[:limit]
    )
    branches = (
        OrganisationBranch.history.filter(organisation_id=organisation.pk)
        .select_related("history_user")
        .only("history_date", "history_type", "history_user__name", "name")
        .order_by("-history_date", "-history_id")[:limit]
    )
    entries = []
    for record in activities:
        entries.append(
            {
                "date": record.history_date,
                "type": record.history_type,
                "user": record.history_user,
                "what": record.get_kind_display(),
                "name": record.title,
                "language": record.language,
            }
        )
    for record in affiliations:
        entries.append(
            {
                "date": record.history_date,
                "type": record.history_type,
                "user": record.history_user,
                "what": record.get_kind_display(),
                "name": record.parent.name if record.parent is not None else record.name,
                "language": "",
            }
        )
    kind = str(OrganisationBranch._meta.verbose_name)
    for record in branches:
        entries.append(
            {
                "date": record.history_date,
                "type": record.history_type,
                "user": record.history_user,
                "what": kind,
                "name": record.name,
                "language": "",
            }
        )
    entries.sort(key=lambda entry: entry["date"], reverse=True)
    return entries[:limit]
