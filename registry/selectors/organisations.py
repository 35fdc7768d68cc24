"""Reads of organisations that carry a rule: who may see what, and what each page loads
(so that every page costs a constant number of queries)."""

import hashlib
from collections import defaultdict
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext

from ..models import (
    Domain,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    Seat,
)
from ..search import search_filter
from ..stats import stats_version
from . import reference

PUBLIC_STATUSES = Organisation.PUBLIC_STATUSES


# Columns a page never shows: the search vector and the counties' and regions' GeoJSON
# boundaries, which would make every joined row many kilobytes wide.
HEAVY_FIELDS = ("search_vector", "county__boundary", "county__region__boundary")

# What a row of the public list shows (and sorts by).
LIST_FIELDS = (
    "name",
    "legal_form",
    "locality",
    "county__name",
    "county__code",
    "county__region__name",
    "county__region__code",
    "status",
    "search_name",
    "created_at",
    "registration_date",
    "registry_state",
    "public_utility",
)


def domains_in_order() -> Prefetch:
    """An organisation's domains in the list order (position, then Romanian name)."""
    return Prefetch(
        "domains",
        queryset=Domain.objects.only("slug", "name_ro", "name_en", "position").order_by(
            "position", "name_ro", "pk"
        ),
    )


def organisation_list_public() -> QuerySet[Organisation]:
    """Organisations anyone may see: verified or imported."""
    return Organisation.objects.filter(status__in=PUBLIC_STATUSES).defer("search_vector")


def organisation_list_rows(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """What a row of the public list shows: the columns it names, the county and region
    (joined), the domains (one query for the page)."""
    return (
        queryset.select_related("county__region")
        .only(*LIST_FIELDS)
        .prefetch_related(domains_in_order())
    )


def organisation_list_key(full_path: str, language: str) -> str:
    """The cache key of one page of the public list's results: the address (filters,
    order, page and its size), the language, and what the rows show. Every write of an
    organisation raises the table's latest `updated_at` (read from its index); a record
    that leaves the list, a domain renamed or a record deleted in the admin bumps the
    statistics' or the domains' version."""
    latest = Organisation.objects.aggregate(latest=Max("updated_at"))["latest"]
    parts = [
        full_path,
        language,
        latest.isoformat() if latest else "",
        str(stats_version()),
        str(reference.domains_version()),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"registry:organisation-results:{digest}"


def organisation_search(queryset: QuerySet[Organisation], text: str) -> QuerySet[Organisation]:
    """Full-text search on name, locality and description, ignoring diacritics and case."""
    return search_filter(queryset, text, vector=True)


def organisation_detail(pk: int, *, with_authors: bool = False) -> Organisation | None:
    """One organisation (any status: the caller asks `registry.view_organisation`), with
    its county, region and domains; with who created it and who last changed its status
    when `with_authors` (what the coordinators see)."""
    related = ["county__region"]
    if with_authors:
        related += ["created_by", "status_changed_by"]
    return (
        Organisation.objects.select_related(*related)
        .defer(*HEAVY_FIELDS)
        .prefetch_related(domains_in_order())
        .filter(pk=pk)
        .first()
    )


def organisation_seats(organisation: Organisation) -> list[Seat]:
    """The organisation's seats in advisory structures, current mandates first, each with
    its structure and the structure's institution (names only) and `current`."""
    seats = list(
        Seat.objects.filter(organisation=organisation)
        .select_related("structure__institution")
        .only(
            "role",
            "mandate_start",
            "mandate_end",
            "structure_id",
            "structure__name",
            "structure__institution__name",
        )
        .order_by(F("mandate_end").desc(nulls_first=True), "-mandate_start", "pk")
    )
    today = timezone.localdate()
    for seat in seats:
        seat.current = seat.is_current(today)
    return seats


def organisation_members(organisation: Organisation) -> QuerySet[OrganisationMembership]:
    """Members with their accounts, administrators first."""
    return (
        OrganisationMembership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "created_at", "pk")
    )


def organisation_open_invitations(organisation: Organisation) -> QuerySet[OrganisationInvitation]:
    """Invitations not answered nor withdrawn (expired ones included, marked), newest
    first, each with who sent it."""
    return (
        OrganisationInvitation.objects.filter(
            organisation=organisation,
            accepted_at__isnull=True,
            declined_at__isnull=True,
            revoked_at__isnull=True,
        )
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def memberships_of_user(user) -> QuerySet[OrganisationMembership]:
    """The user's organisations, whatever their status, by name, each with its county."""
    return (
        OrganisationMembership.objects.filter(user=user)
        .select_related("organisation__county")
        .only(
            "role",
            "organisation_id",
            "organisation__name",
            "organisation__status",
            "organisation__status_reason",
            "organisation__county__name",
        )
        .order_by("organisation__name", "pk")
    )


def invitations_for_user(user) -> list[OrganisationInvitation]:
    """Open, unexpired invitations sent to one of the user's verified addresses, newest
    first, each with its organisation's name."""
    return list(
        OrganisationInvitation.objects.filter(
            email__in=EmailAddress.objects.filter(user=user, verified=True).values("email"),
            accepted_at__isnull=True,
            declined_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("organisation")
        .defer("organisation__search_vector", "organisation__description")
        .order_by("-created_at", "-pk")
    )


# --- Verification ------------------------------------------------------------------

QUEUE_STATUSES = (
    Organisation.Status.PENDING,
    Organisation.Status.REJECTED,
    Organisation.Status.SUSPENDED,
)


def verification_queue(status: str = Organisation.Status.PENDING) -> QuerySet[Organisation]:
    """Organisations in `status` for the coordinators, the longest waiting first, with
    what they need to decide: county, region and the person who asked."""
    return (
        Organisation.objects.filter(status=status)
        .select_related("county__region", "created_by")
        .defer(*HEAVY_FIELDS)
        .annotate(waiting_since=Coalesce("status_changed_at", "created_at"))
        .order_by("waiting_since", "pk")
    )


# The other organisations with the same name shown for each one in the queue: a common
# name (the homeowners' associations of a city) can be shared by thousands.
DUPLICATES_SHOWN = 5


def attach_duplicates(organisations: list[Organisation]) -> list[Organisation]:
    """Set `.duplicates` on each organisation: up to DUPLICATES_SHOWN other organisations
    with the same name (ignoring diacritics and case), the oldest records, by name; and
    `.duplicate_count`, how many others there are in all. Two queries for the whole page:
    the first ranks and counts each name's records from the index on the name alone, the
    second reads the few records shown."""
    names = {o.search_name for o in organisations if o.search_name}
    by_name = defaultdict(list)
    totals = {}
    if names:
        ranked = (
            Organisation.objects.filter(search_name__in=names)
            .annotate(
                rank=Window(RowNumber(), partition_by=F("search_name"), order_by=F("pk").asc()),
                total=Window(Count("*"), partition_by=F("search_name")),
            )
            .filter(rank__lte=DUPLICATES_SHOWN + 1)
            .order_by()
            .values_list("pk", "search_name", "total")
        )
        shown = []
        for pk, name, total in ranked:
            shown.append(pk)
            totals[name] = total
        others = (
            Organisation.objects.filter(pk__in=shown)
            .select_related("county")
            .only("pk", "name", "search_name", "fiscal_code", "status", "county__name")
            .order_by("name", "pk")
        )
        for other in others:
            by_name[other.search_name].append(other)
    for organisation in organisations:
        same = [o for o in by_name.get(organisation.search_name, []) if o.pk != organisation.pk]
        organisation.duplicates = same[:DUPLICATES_SHOWN]
        organisation.duplicate_count = max(totals.get(organisation.search_name, 1) - 1, 0)
    return organisations


def queue_counts() -> dict[str, int]:
    """{status: number of organisations} for the queue's tabs, in one query."""
    rows = (
        Organisation.objects.filter(status__in=QUEUE_STATUSES)
        .values("status")
        .annotate(n=Count("*"))  # not Count("pk"): PostgreSQL counts from the index alone
        .order_by()
    )
    counts = dict.fromkeys(QUEUE_STATUSES, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


# --- Domains -----------------------------------------------------------------------

DOMAIN_COUNTS_TIMEOUT = 60 * 60


def domains_with_counts(*, include_inactive: bool = False) -> list[Domain]:
    """Domains with `.organisations_count`, the number of public organisations in each.

    The domains come from the cached reference list; the counts are cached under the
    statistics version, which the services bump when an organisation's status, county or
    domains change."""
    counts = cache.get_or_set(
        f"registry:domain-counts:v{stats_version()}",
        lambda: dict(
            Domain.objects.annotate(
                n=Count("organisations", filter=Q(organisations__status__in=PUBLIC_STATUSES))
            ).values_list("pk", "n")
        ),
        DOMAIN_COUNTS_TIMEOUT,
    )
    domains = reference.domains(include_inactive=include_inactive)
    for domain in domains:
        domain.organisations_count = counts.get(domain.pk, 0)
    return domains


# --- History -----------------------------------------------------------------------

HISTORY_HIDDEN_FIELDS = {"id", "created_at", "updated_at", "search_name", "search_vector"}
# Consecutive versions by the same person this close together read as one change.
HISTORY_MERGE_WINDOW = timedelta(seconds=2)


def _label(field, value, names: dict) -> str:
    if value is None or value == "":
        return ""
    if field.is_relation:
        return names.get(field.name, {}).get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)


def organisation_history(organisation: Organisation, *, limit: int = 200) -> dict:
    """The organisation's versions, newest first, each with when, who, what kind of
    change, the reason and the fields that changed (old → new, domains included), and
    the changes to its members. Three queries, whatever the number of versions: the
    versions (with the accounts they name), their domains, and the members' versions.

    Returns {"entries": [...], "member_entries": [...], "truncated": bool}.
    """
    history_model = Organisation.history.model
    records = list(
        history_model.objects.filter(id=organisation.pk)
        .select_related("history_user", "created_by", "status_changed_by", "county")
        .defer("county__boundary")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    truncated = len(records) > limit
    records = records[:limit][::-1]  # oldest first, to compare each with the one before
    fields = [f for f in history_model.tracked_fields if f.name not in HISTORY_HIDDEN_FIELDS]

    # Names of the accounts and counties the versions point to (read with them; an
    # account or county deleted since is None).
    names: dict = {"created_by": {}, "status_changed_by": {}, "county": {}}
    for record in records:
        for name in ("created_by", "status_changed_by"):
            account = getattr(record, name)
            if account is not None:
                names[name][account.pk] = account.name or account.email
        if record.county is not None:
            names["county"][record.county.pk] = record.county.name

    # The domains of every version: one query.
    domains_of = defaultdict(list)
    if records:
        links = (
            history_model.domains.model.objects.filter(history__id=organisation.pk)
            .select_related("domain")
            .only("history", "domain__name_ro", "domain__name_en")
        )
        for link in links:
            if link.domain is not None:
                domains_of[link.history_id].append(link.domain.name)

    entries, previous = [], None
    for record in records:
        changes = {}
        for field in fields:
            new = getattr(record, field.attname)
            old = getattr(previous, field.attname) if previous is not None else None
            if previous is None and new in (None, "", False):
                continue
            if previous is not None and old == new:
                continue
            changes[field.name] = {
                "label": field.verbose_name,
                "old": _label(field, old, names) if previous is not None else "",
                "new": _label(field, new, names),
            }
        new_domains = sorted(domains_of.get(record.history_id, []))
        old_domains = sorted(domains_of.get(previous.history_id, [])) if previous else []
        if new_domains != old_domains:
            changes["domains"] = {
                "label": Organisation._meta.get_field("domains").verbose_name,
                "old": ", ".join(old_domains),
                "new": ", ".join(new_domains),
            }
        last = entries[-1] if entries else None
        if (
            last is not None
            and record.history_type == "~"
            and last["user_id"] == record.history_user_id
            and record.history_date - last["last_date"] <= HISTORY_MERGE_WINDOW
        ):
            for name, change in changes.items():
                if name in last["changes"]:
                    last["changes"][name]["new"] = change["new"]
                else:
                    last["changes"][name] = change
            last["last_date"] = record.history_date
        else:
            entries.append(
                {
                    "date": record.history_date,
                    "last_date": record.history_date,
                    "type": record.history_type,
                    "user": record.history_user,
                    "user_id": record.history_user_id,
                    "reason": record.history_change_reason or "",
                    "changes": changes,
                }
            )
        previous = record
    for entry in entries:
        entry["changes"] = [c for c in entry["changes"].values() if c["old"] != c["new"]]
    entries.reverse()

    member_records = list(
        OrganisationMembership.history.filter(organisation_id=organisation.pk)
        .select_related("history_user", "user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    # The role before each change: the previous version of the same membership.
    member_entries, seen = [], {}
    for record in reversed(member_records):
        before = seen.get(record.id)
        member_entries.append(
            {
                "date": record.history_date,
                "type": record.history_type,
                "user": record.history_user,
                "member": record.user,
                # No dangling key for an account deleted since.
                "member_id": record.user_id if record.user is not None else None,
                "old_role": before.get_role_display() if before is not None else "",
                "role": record.get_role_display(),
            }
        )
        seen[record.id] = record
    member_entries.reverse()
    return {"entries": entries, "member_entries": member_entries, "truncated": truncated}
