"""Every read of the guide app with a rule in it: which edition readers see, the table
of contents, search, the diff between editions, the monitoring counts, the training
sessions, the library of practices and the network. Query counts do not grow with rows."""

import datetime
import difflib
import re
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import get_language, gettext

from conect.core.text import fold
from consultations.models import Consultation
from consultations.proposals.models import Proposal
from registry.models import County, Institution, Region, RelationshipOfficial

from .models import (
    DownloadCount,
    Edition,
    EditionSection,
    NetworkMember,
    Practice,
    Registration,
    Section,
    SectionFeedback,
    SectionImage,
    SectionViewCount,
    TemplateFile,
    TrainingSession,
)
from .services.common import month_start

# --- The guide --------------------------------------------------------------------------


def current_edition() -> Edition | None:
    """The latest published edition (what readers read), or None before the first."""
    return Edition.objects.order_by("-number").first()


def edition_by_number(number: int) -> Edition:
    edition = Edition.objects.filter(number=number).first()
    if edition is None:
        raise Http404
    return edition


def editions():
    return Edition.objects.order_by("-number")


def edition_chapters(edition: Edition, *, with_bodies: bool = True) -> list[dict]:
    """The table of contents of an edition: chapters in order, each with its sections
    in order (one query)."""
    rows = EditionSection.objects.filter(edition=edition).order_by(
        "chapter_position", "chapter_key", "position", "pk"
    )
    if not with_bodies:
        rows = rows.defer("body_ro", "body_en", "search_ro", "search_en")
    chapters: list[dict] = []
    for row in rows:
        if not chapters or chapters[-1]["key"] != row.chapter_key:
            chapters.append({"key": row.chapter_key, "title": row.chapter_title, "sections": []})
        chapters[-1]["sections"].append(row)
    return chapters


def edition_section(edition: Edition, key: str) -> EditionSection:
    section = EditionSection.objects.filter(edition=edition, key=key).first()
    if section is None:
        raise Http404
    return section


def neighbours(chapters: list[dict], key: str) -> tuple:
    """The sections before and after `key` in reading order."""
    flat = [s for chapter in chapters for s in chapter["sections"]]
    keys = [s.key for s in flat]
    i = keys.index(key)
    return (flat[i - 1] if i > 0 else None, flat[i + 1] if i + 1 < len(flat) else None)


def attachments_snapshot(section: Section) -> dict:
    """What an edition keeps of a working section's images and templates (read them
    with prefetch_related("images", "templates")): see EditionSection.attachments."""
    return {
        "images": [
            {
                "name": image.image.name,
                "alt_ro": image.alt_ro,
                "alt_en": image.alt_en,
                "caption_ro": image.caption_ro,
                "caption_en": image.caption_en,
            }
            for image in section.images.all()
        ],
        "templates": [
            {
                "id": template.pk,
                "title_ro": template.title_ro,
                "title_en": template.title_en,
                "language": template.language,
            }
            for template in section.templates.all()
        ],
    }


def _in_language(row: dict, field: str) -> str:
    if (get_language() or "").startswith("en") and row.get(f"{field}_en"):
        return row[f"{field}_en"]
    return row.get(f"{field}_ro", "")


def edition_attachments(sections) -> dict[str, dict]:
    """The images and templates shown with each of `sections` (EditionSection rows), by
    key, in the reader's language: as their edition published them (a template deleted
    since is left out), or the working copy's for a section published before they were
    recorded. One query, three more for such older sections."""
    snapshots = {section.key: section.attachments for section in sections}
    older = [key for key, snapshot in snapshots.items() if not snapshot]
    if older:
        for working in Section.objects.filter(key__in=older).prefetch_related(
            "images", "templates"
        ):
            snapshots[working.key] = attachments_snapshot(working)
    template_ids = {
        row["id"] for snapshot in snapshots.values() for row in snapshot.get("templates", [])
    }
    existing = (
        set(TemplateFile.objects.filter(pk__in=template_ids).values_list("pk", flat=True))
        if template_ids
        else set()
    )
    storage = SectionImage._meta.get_field("image").storage
    languages = dict(TemplateFile.Language.choices)
    shown = {}
    for key, snapshot in snapshots.items():
        shown[key] = {
            "images": [
                {
                    "name": row["name"],
                    "url": storage.url(row["name"]),
                    "alt": _in_language(row, "alt"),
                    "caption": _in_language(row, "caption"),
                }
                for row in snapshot.get("images", [])
            ],
            "templates": [
                {
                    "url": reverse("guide:template-download", args=[row["id"]]),
                    "title": _in_language(row, "title"),
                    "language": languages.get(row["language"], row["language"]),
                }
                for row in snapshot.get("templates", [])
                if row["id"] in existing
            ],
        }
    return shown


def working_copy():
    """Every chapter and section being written (for the coordinators' editing page)."""
    from .models import Chapter

    return Chapter.objects.prefetch_related(
        Prefetch("sections", queryset=Section.objects.order_by("position", "pk"))
    ).order_by("position", "pk")


def section_for_key(key: str) -> dict | None:
    """Where a help link for `key` leads: the current edition's section (title and
    address), or None when no published edition has it."""
    row = (
        EditionSection.objects.filter(key=key, edition=current_edition())
        .only("key", "title_ro", "title_en")
        .first()
    )
    return row


SNIPPET_CHARS = 220


def _snippet(text: str, words: list[str]) -> str:
    plain = " ".join(strip_tags(text).split())
    folded = fold(plain)
    positions = [folded.find(w) for w in words if folded.find(w) >= 0]
    start = max(min(positions) - 60, 0) if positions else 0
    snippet = plain[start : start + SNIPPET_CHARS]
    return ("…" if start else "") + snippet + ("…" if start + SNIPPET_CHARS < len(plain) else "")


def search(edition: Edition | None, text: str) -> list[dict]:
    """The sections of `edition` whose title or text holds every word of `text`,
    ignoring diacritics and case ("consultare publica" finds "consultare publică"), in
    the reader's language or in Romanian. One query."""
    words = fold(text).split()
    if edition is None or not words:
        return []
    queryset = EditionSection.objects.filter(edition=edition)
    for word in words:
        queryset = queryset.filter(Q(search_ro__contains=word) | Q(search_en__contains=word))
    results = []
    for row in queryset.order_by("chapter_position", "position", "pk"):
        results.append({"section": row, "snippet": _snippet(row.body, words)})
    return results


# --- Differences between editions ------------------------------------------------------

_BLOCK_END = re.compile(r"</(p|li|blockquote)>|<br\s*/?>", re.IGNORECASE)


def _paragraphs(html: str) -> list[str]:
    text = _BLOCK_END.sub("\n", html or "")
    return [" ".join(line.split()) for line in strip_tags(text).split("\n") if line.strip()]


def text_diff(old_html: str, new_html: str) -> list[tuple[str, str]]:
    """A word-by-word difference of two texts as [(operation, text)], where operation is
    "same", "removed" or "added"; paragraphs are kept apart by ("break", "")."""
    old_words = " \n ".join(_paragraphs(old_html)).split(" ")
    new_words = " \n ".join(_paragraphs(new_html)).split(" ")
    chunks: list[tuple[str, str]] = []

    def emit(op, words):
        parts = " ".join(words).split("\n")
        for i, part in enumerate(parts):
            if i:
                chunks.append(("break", ""))
            if part.strip():
                chunks.append((op, part.strip()))

    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            emit("same", old_words[a1:a2])
        else:
            if a2 > a1:
                emit("removed", old_words[a1:a2])
            if b2 > b1:
                emit("added", new_words[b1:b2])
    return chunks


def edition_diff(old: Edition, new: Edition) -> list[dict]:
    """What changed from `old` to `new`, section by section in the new reading order
    (removed sections after): each entry has the key, the titles, a status ("added",
    "removed", "changed", "unchanged") and, when changed, the word-by-word difference of
    the text in the reader's language. Two queries."""
    language_en = (get_language() or "").startswith("en")

    def body(row):
        return (row.body_en or row.body_ro) if language_en else row.body_ro

    def items(row) -> dict[tuple, str]:
        """The images and templates an edition published with the section, by identity,
        each with its label in the reader's language."""
        snapshot = row.attachments or {}
        labels = {}
        for image in snapshot.get("images", []):
            labels[("image", image["name"])] = gettext("image “%(alt)s”") % {
                "alt": _in_language(image, "alt")
            }
        for template in snapshot.get("templates", []):
            labels[("template", template["id"])] = gettext("template “%(title)s”") % {
                "title": _in_language(template, "title")
            }
        return labels

    def item_changes(previous, row) -> tuple[list[str], list[str]]:
        if not previous.attachments or not row.attachments:  # not recorded then
            return [], []
        old_items, new_items = items(previous), items(row)
        added = [label for key, label in new_items.items() if key not in old_items]
        removed = [label for key, label in old_items.items() if key not in new_items]
        return added, removed

    before = {row.key: row for row in EditionSection.objects.filter(edition=old)}
    after = list(
        EditionSection.objects.filter(edition=new).order_by("chapter_position", "position", "pk")
    )
    entries = []
    for row in after:
        previous = before.pop(row.key, None)
        if previous is None:
            entries.append({"key": row.key, "title": row.title, "status": "added", "new": row})
            continue
        title_changed = previous.title != row.title
        moved = previous.chapter_key != row.chapter_key
        texts_changed = (previous.body_ro, previous.body_en) != (row.body_ro, row.body_en)
        added, removed = item_changes(previous, row)
        if not texts_changed and not title_changed and not moved and not added and not removed:
            entries.append({"key": row.key, "title": row.title, "status": "unchanged"})
            continue
        # The reader's language; the Romanian text when only that one changed.
        old_body, new_body = body(previous), body(row)
        if old_body == new_body:
            old_body, new_body = previous.body_ro, row.body_ro
        entries.append(
            {
                "key": row.key,
                "title": row.title,
                "old_title": previous.title if title_changed else "",
                "moved_from": previous.chapter_title if moved else "",
                "status": "changed",
                "diff": text_diff(old_body, new_body),
                "items_added": added,
                "items_removed": removed,
            }
        )
    for row in sorted(before.values(), key=lambda r: (r.chapter_position, r.position)):
        entries.append({"key": row.key, "title": row.title, "status": "removed"})
    return entries


# --- Monitoring (counts only) ------------------------------------------------------------


def _months(count: int, now=None) -> list[datetime.date]:
    first = month_start(now)
    months = [first]
    for _ in range(count - 1):
        previous = months[-1] - datetime.timedelta(days=1)
        months.append(previous.replace(day=1))
    return list(reversed(months))


def monitoring(*, months: int = 6, now=None) -> dict:
    """Views per section and downloads per edition, per month over the last `months`
    months, and the "Was this useful?" answers per section. Four queries."""
    month_list = _months(months, now)
    edition = current_edition()
    titles = {}
    if edition is not None:
        titles = dict(EditionSection.objects.filter(edition=edition).values_list("key", "title_ro"))
        if (get_language() or "").startswith("en"):
            english = EditionSection.objects.filter(edition=edition).values_list("key", "title_en")
            titles.update({key: title for key, title in english if title})
    views = defaultdict(lambda: [0] * len(month_list))
    index = {month: i for i, month in enumerate(month_list)}
    for key, month, count in SectionViewCount.objects.filter(month__gte=month_list[0]).values_list(
        "section_key", "month", "views"
    ):
        views[key][index[month]] += count
    view_rows = sorted(
        (
            {"key": key, "title": titles.get(key, key), "values": values, "total": sum(values)}
            for key, values in views.items()
        ),
        key=lambda row: (-row["total"], row["title"]),
    )
    downloads = defaultdict(lambda: [0] * len(month_list))
    for number, month, count in (
        DownloadCount.objects.filter(month__gte=month_list[0])
        .values_list("edition__number", "month")
        .annotate(n=Sum("downloads"))
        .order_by()
    ):
        downloads[number][index[month]] += count
    download_rows = [
        {"number": number, "values": values, "total": sum(values)}
        for number, values in sorted(downloads.items(), reverse=True)
    ]
    useful = (
        SectionFeedback.objects.values("section_key")
        .annotate(yes=Count("pk", filter=Q(useful=True)), no=Count("pk", filter=Q(useful=False)))
        .order_by("section_key")
    )
    return {
        "months": month_list,
        "views": view_rows,
        "view_totals": [sum(r["values"][i] for r in view_rows) for i in range(len(month_list))],
        "downloads": download_rows,
        "download_totals": [
            sum(r["values"][i] for r in download_rows) for i in range(len(month_list))
        ],
        "useful": [
            {**row, "title": titles.get(row["section_key"], row["section_key"])} for row in useful
        ],
    }


def feedback_comments(limit: int = 200):
    """The latest comments left under "Was this useful?" (for the editors)."""
    return SectionFeedback.objects.exclude(comment="").order_by("-created_at")[:limit]


# --- Training sessions -------------------------------------------------------------------


def sessions(*, upcoming: bool = True, network: bool | None = None):
    """Announced sessions, soonest first (upcoming) or latest first (past), with their
    confirmed places counted in the same query."""
    now = timezone.now()
    queryset = TrainingSession.objects.select_related("institution").annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed"))
    )
    if network is not None:
        queryset = queryset.filter(is_network_event=network)
    if upcoming:
        return queryset.filter(ends_at__gt=now).order_by("starts_at", "pk")
    return queryset.filter(ends_at__lte=now).order_by("-starts_at", "-pk")


def session_detail(pk: int) -> TrainingSession:
    session = (
        TrainingSession.objects.select_related("institution", "feedback_survey")
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
            waiting=Count("registrations", filter=Q(registrations__status="waiting")),
        )
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise Http404
    return session


def session_sections(session: TrainingSession) -> list[Section]:
    return list(
        session.sections.select_related("chapter").order_by("chapter__position", "position")
    )


def user_registration(session: TrainingSession, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(session=session, user=user).first()


def waiting_position(registration: Registration) -> int | None:
    if registration is None or registration.status != Registration.Status.WAITING:
        return None
    return (
        Registration.objects.filter(
            session_id=registration.session_id,
            status=Registration.Status.WAITING,
        )
        .filter(
            Q(registered_at__lt=registration.registered_at)
            | Q(registered_at=registration.registered_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def session_registrations(session: TrainingSession):
    """Everyone registered, confirmed first then waiting then cancelled (organisers)."""
    order = {"confirmed": 0, "waiting": 1, "cancelled": 2}
    rows = list(
        Registration.objects.filter(session=session).select_related(
            "user", "institution", "organisation"
        )
    )
    return sorted(rows, key=lambda r: (order[r.status], r.registered_at, r.pk))


def my_registrations(user):
    return (
        Registration.objects.filter(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("session")
        .order_by("-session__starts_at")
    )


def training_coverage(*, limit: int = 25) -> dict:
    """Who was trained (attended a session) by institution, county and region, against
    the institutions that have a published relationship official: where training is
    missing. Four queries."""
    attended = Registration.objects.filter(attended=True)
    by_institution = list(
        attended.exclude(institution=None)
        .values("institution_id", "institution__name")
        .annotate(people=Count("pk"))
        .order_by("-people", "institution__name")
    )
    trained_ids = {row["institution_id"] for row in by_institution}
    with_official = Exists(
        RelationshipOfficial.objects.filter(
            consented_at__isnull=False, removed_at__isnull=True, institution=OuterRef("pk")
        )
    )
    official_institutions = list(
        Institution.objects.annotate(has_official=with_official)
        .filter(has_official=True)
        .values("pk", "name", "county_id")
        .order_by("name", "pk")
    )
    people_by_county = defaultdict(int)
    for county_id, people in (
        attended.values_list("institution__county_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("institution__county_id", "n")
    ):
        people_by_county[county_id] += people
    counties = list(County.objects.select_related("region").order_by("region__code", "name"))
    rows = {
        c.pk: {
            "name": c.name,
            "region": c.region.name,
            "region_code": c.region.code,
            "people": people_by_county.get(c.pk, 0),
            "with_official": 0,
            "trained": 0,
        }
        for c in counties
    }
    central = {
        "name": "",
        "people": people_by_county.get(None, 0),
        "with_official": 0,
        "trained": 0,
    }
    missing = []
    for institution in official_institutions:
        row = rows.get(institution["county_id"], central)
        row["with_official"] += 1
        if institution["pk"] in trained_ids:
            row["trained"] += 1
        else:
            missing.append(institution)
    regions = {}
    for region in Region.objects.order_by("code"):
        regions[region.code] = {
            "name": region.name,
            "people": 0,
            "with_official": 0,
            "trained": 0,
        }
    for row in rows.values():
        region = regions.get(row["region_code"])
        if region:
            for field in ("people", "with_official", "trained"):
                region[field] += row[field]
    for row in [*rows.values(), *regions.values(), central]:
        row["missing"] = row["with_official"] - row["trained"]
    return {
        "by_institution": by_institution[:limit],
        "by_county": list(rows.values()),
        "by_region": list(regions.values()),
        "central": central,
        "missing": missing[:limit],
        "missing_total": len(missing),
        "limit": limit,
        "people_total": sum(people_by_county.values()),
    }


# --- Practices and the network -----------------------------------------------------------


def practices_public(
    *, text: str = "", domain=None, method=None, county=None, with_links: bool = False
):
    """Published practices, filtered by words (ignoring diacritics), domain, method,
    county; with their institution and tags (three queries), and with `with_links` the
    consultations and proposals they are linked to (two more)."""
    queryset = (
        Practice.objects.filter(status=Practice.Status.PUBLISHED)
        .select_related("institution", "organisation", "county")
        .prefetch_related("domains", "methods")
        .order_by("-published_at", "-pk")
    )
    if with_links:
        queryset = queryset.prefetch_related(
            Prefetch("consultations", queryset=Consultation.objects.only("pk")),
            Prefetch("proposals", queryset=Proposal.objects.only("pk")),
        )
    for word in fold(text).split():
        queryset = queryset.filter(search_text__contains=word)
    if domain is not None:
        queryset = queryset.filter(domains=domain)
    if method is not None:
        queryset = queryset.filter(methods=method)
    if county is not None:
        queryset = queryset.filter(county=county)
    return queryset


def practices_waiting():
    return (
        Practice.objects.filter(status=Practice.Status.SUBMITTED)
        .select_related("institution", "organisation")
        .order_by("submitted_at", "pk")
    )


def practice_detail(pk: int) -> Practice:
    practice = (
        Practice.objects.select_related("institution", "organisation", "county")
        .prefetch_related("domains", "methods", "documents", "consultations", "proposals")
        .filter(pk=pk)
        .first()
    )
    if practice is None:
        raise Http404
    return practice


def network_members():
    return NetworkMember.objects.select_related(
        "institution", "institution__county", "organisation", "organisation__county"
    ).order_by("joined_at", "pk")
