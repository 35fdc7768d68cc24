"""Reads of organisations that carry a rule: who may see what, and what each page loads
(so that every page costs a constant number of queries)."""

import copy
from collections import defaultdict
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext

from conect.accounts.models import User
from conect.core.baked import BakedQuery, stub

from ..models import (
    Domain,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    Seat,
    translated_name,
)
from ..reference import organisation_refs, reference
from ..search import search_filter
from ..stats import stats_version

PUBLIC_STATUSES = Organisation.PUBLIC_STATUSES


# Columns a page never shows: the search vector and the counties' and regions' GeoJSON
# boundaries, which would make every joined row many kilobytes wide.
HEAVY_FIELDS = ("search_vector", "county__boundary", "county__region__boundary")

# What a row of the public list shows (and sorts by).
LIST_FIELDS = (
    "name",
    "legal_form",
    "locality",
    "county_id",
    "status",
    "search_name",
    "created_at",
    "registration_date",
)


def organisation_list_public() -> QuerySet[Organisation]:
    """Organisations anyone may see: verified or imported. No JOIN: a page gets its
    county, region and domains from the reference data (`with_references`), so that it
    costs a constant number of queries."""
    return Organisation.objects.filter(status__in=PUBLIC_STATUSES).defer("search_vector")


def organisation_list_rows(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Only the columns a row of the public list shows."""
    return queryset.only(*LIST_FIELDS)


def with_references(organisations) -> list[Organisation]:
    """The organisations with their county, region and domains attached (one query for
    the domains of the whole page)."""
    organisations = list(organisations)
    organisation_refs(organisations)
    return organisations


def organisation_search(queryset: QuerySet[Organisation], text: str) -> QuerySet[Organisation]:
    """Full-text search on name, locality and description, ignoring diacritics and case."""
    return search_filter(queryset, text, vector=True)


def organisation_detail(pk: int, *, with_authors: bool = False) -> Organisation | None:
    """One organisation (any status: the caller asks `registry.view_organisation`), with
    its county, region and domains; with who created it and who last changed its status
    when `with_authors` (what the coordinators see)."""
    # Both read with SQL written once (see baked): the public page is the one most read,
    # the coordinators' is the one they verify from.
    found = (_organisation_with_authors if with_authors else _organisation_by_pk)(pk)
    organisation = found[0] if found else None
    if organisation is None:
        return None
    if with_authors:
        for name in ("created_by", "status_changed_by"):
            key = getattr(organisation, f"{name}_id")
            author = None
            if key is not None:
                author = stub(
                    User,
                    pk=key,
                    name=getattr(organisation, f"{name}_name"),
                    email=getattr(organisation, f"{name}_email"),
                )
            setattr(organisation, name, author)
    organisation_refs([organisation])
    return organisation


_organisation_by_pk = BakedQuery(
    lambda pk: Organisation.objects.defer("search_vector").filter(pk=pk).order_by()
)
# The authors' names and addresses as annotations (a baked query has no select_related).
_organisation_with_authors = BakedQuery(
    lambda pk: (
        Organisation.objects.defer("search_vector")
        .filter(pk=pk)
        .annotate(
            created_by_name=F("created_by__name"),
            created_by_email=F("created_by__email"),
            status_changed_by_name=F("status_changed_by__name"),
            status_changed_by_email=F("status_changed_by__email"),
        )
        .order_by()
    )
)
_members_of_organisation = BakedQuery(
    lambda pk: (
        OrganisationMembership.objects.filter(organisation_id=pk)
        .annotate(user_name=F("user__name"), user_email=F("user__email"))
        .order_by("role", "created_at", "pk")
    )
)

_seats_of_organisation = BakedQuery(
    lambda pk: (
        Seat.objects.filter(organisation_id=pk)
        .annotate(
            structure_name=F("structure__name"),
            institution_name=F("structure__institution__name"),
        )
        .order_by(F("mandate_end").desc(nulls_first=True), "-mandate_start", "pk")
    )
)


def organisation_seats(organisation: Organisation) -> list[Seat]:
    """The organisation's seats in advisory structures, current mandates first, each with
    `structure_name` and `institution_name`."""
    seats = list(_seats_of_organisation(organisation.pk))
    today = timezone.localdate()
    for seat in seats:
        seat.current = seat.is_current(today)
    return seats


def organisation_members(organisation: Organisation) -> list[OrganisationMembership]:
    """Members with their accounts (each account's key, name and address), administrators
    first."""
    members = _members_of_organisation(organisation.pk)
    for membership in members:
        membership.user = stub(
            User, pk=membership.user_id, name=membership.user_name, email=membership.user_email
        )
    return members


def organisation_open_invitations(organisation: Organisation) -> list[OrganisationInvitation]:
    """Invitations not answered nor withdrawn (expired ones included, marked), newest
    first, each with who sent it (key and name). One query, written once (see baked)."""
    invitations = _open_invitations_of(organisation.pk)
    for invitation in invitations:
        invitation.invited_by = _author(
            invitation.invited_by_id, invitation.invited_by_name, invitation.invited_by_email
        )
    return invitations


_open_invitations_of = BakedQuery(
    lambda pk: _with_accounts(
        OrganisationInvitation.objects.filter(
            organisation_id=pk,
            accepted_at__isnull=True,
            declined_at__isnull=True,
            revoked_at__isnull=True,
        ),
        "invited_by",
    ).order_by("-created_at", "-pk")
)


def memberships_of_user(user) -> list[OrganisationMembership]:
    """The user's organisations, whatever their status, by name: each membership's
    `organisation` holds its key, name, status, reason and county (from the reference
    snapshot). One query, written once (see baked)."""
    counties = reference().county_by_id
    memberships = _memberships_of(user.pk)
    for membership in memberships:
        organisation = stub(
            Organisation,
            pk=membership.organisation_id,
            name=membership.organisation_name,
            status=membership.organisation_status,
            status_reason=membership.organisation_status_reason,
            county_id=membership.organisation_county_id,
        )
        Organisation.county.field.set_cached_value(
            organisation, counties.get(membership.organisation_county_id)
        )
        membership.organisation = organisation
    return memberships


_memberships_of = BakedQuery(
    lambda user_id: (
        OrganisationMembership.objects.filter(user_id=user_id)
        .annotate(
            organisation_name=F("organisation__name"),
            organisation_status=F("organisation__status"),
            organisation_status_reason=F("organisation__status_reason"),
            organisation_county_id=F("organisation__county_id"),
        )
        .order_by("organisation__name", "pk")
    )
)


def invitations_for_user(user) -> list[OrganisationInvitation]:
    """Open, unexpired invitations sent to one of the user's verified addresses, newest
    first, each with its organisation's key and name. One query, written once (see
    baked); the expiry is compared here (a baked query's arguments are keys)."""
    now = timezone.now()
    invitations = [i for i in _open_invitations_for(user.pk) if i.expires_at > now]
    for invitation in invitations:
        invitation.organisation = stub(
            Organisation, pk=invitation.organisation_id, name=invitation.organisation_name
        )
    return invitations


_open_invitations_for = BakedQuery(
    lambda user_id: (
        OrganisationInvitation.objects.filter(
            email__in=EmailAddress.objects.filter(user_id=user_id, verified=True).values("email"),
            accepted_at__isnull=True,
            declined_at__isnull=True,
            revoked_at__isnull=True,
        )
        .annotate(organisation_name=F("organisation__name"))
        .order_by("-created_at", "-pk")
    )
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

    The domains come from the reference snapshot; the counts are cached under the
    statistics version, which the services bump when an organisation's status, county or
    domains change."""
    key = f"registry:domain-counts:v{stats_version()}"
    counts = cache.get(key)
    if counts is None:
        counts = dict(
            Domain.objects.annotate(
                n=Count("organisations", filter=Q(organisations__status__in=PUBLIC_STATUSES))
            ).values_list("pk", "n")
        )
        cache.set(key, counts, DOMAIN_COUNTS_TIMEOUT)
    snapshot = reference()
    # Copies: the snapshot's instances are shared by every request (registry.reference).
    domains = [copy.copy(domain) for domain in snapshot.domains]
    if not include_inactive:
        domains = [domain for domain in domains if domain.is_active]
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


def _author(key, name, email):
    """The account a version names, from its annotated name and address; None when there
    is none, or it was deleted since (every account has an address)."""
    return None if key is None or email is None else stub(User, pk=key, name=name, email=email)


def _with_accounts(queryset, *names):
    """The queryset with the name and address of the accounts its `names` point to."""
    return queryset.annotate(
        **{
            f"{name}_{column}": F(f"{name}__{column}")
            for name in names
            for column in ("name", "email")
        }
    )


# The history page's reads, each with SQL written once (a baked query has no select_related:
# the accounts' names and addresses come as annotations).
_organisation_versions = BakedQuery(
    lambda pk: _with_accounts(
        Organisation.history.model.objects.filter(id=pk),
        "history_user",
        "created_by",
        "status_changed_by",
    ).order_by("-history_date", "-history_id")
)
_organisation_version_domains = BakedQuery(
    lambda pk: (
        Organisation.history.model.domains.model.objects.filter(history__id=pk)
        .annotate(name_ro=F("domain__name_ro"), name_en=F("domain__name_en"))
        .only("history_id")
        .order_by()
    )
)
_membership_versions = BakedQuery(
    lambda pk: _with_accounts(
        OrganisationMembership.history.filter(organisation_id=pk), "history_user", "user"
    ).order_by("-history_date", "-history_id")
)


def organisation_history(organisation: Organisation, *, limit: int = 200) -> dict:
    """The organisation's versions, newest first, each with when, who, what kind of
    change, the reason and the fields that changed (old → new, domains included), and
    the changes to its members. Three queries, whatever the number of versions: the
    versions (with the accounts they name), their domains, and the members' versions.

    Returns {"entries": [...], "member_entries": [...], "truncated": bool}.
    """
    history_model = Organisation.history.model
    records = _organisation_versions.rows((organisation.pk,), 0, limit + 1)
    truncated = len(records) > limit
    records = records[:limit][::-1]  # oldest first, to compare each with the one before
    fields = [f for f in history_model.tracked_fields if f.name not in HISTORY_HIDDEN_FIELDS]

    # Names of the accounts and counties the versions point to.
    accounts: dict = {}
    for record in records:
        record.history_user = _author(
            record.history_user_id, record.history_user_name, record.history_user_email
        )
        for name in ("created_by", "status_changed_by"):
            key = getattr(record, f"{name}_id")
            if key is not None and getattr(record, f"{name}_email") is not None:
                accounts[key] = getattr(record, f"{name}_name") or getattr(record, f"{name}_email")
    counties = reference().county_by_id
    names = {
        "status_changed_by": accounts,
        "created_by": accounts,
        "county": {
            record.county_id: counties[record.county_id].name
            for record in records
            if record.county_id in counties
        },
    }

    # The domains of every version: one query.
    domains_of = defaultdict(list)
    if records:
        for row in _organisation_version_domains(organisation.pk):
            domains_of[row.history_id].append(translated_name(row.name_ro, row.name_en))

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

    member_records = _membership_versions.rows((organisation.pk,), 0, limit)
    for record in member_records:
        record.history_user = _author(
            record.history_user_id, record.history_user_name, record.history_user_email
        )
        record.user = _author(record.user_id, record.user_name, record.user_email)
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
                "member_id": record.user_id,
                "old_role": before.get_role_display() if before is not None else "",
                "role": record.get_role_display(),
            }
        )
        seen[record.id] = record
    member_entries.reverse()
    return {"entries": entries, "member_entries": member_entries, "truncated": truncated}
