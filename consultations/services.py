"""Every write on consultations. Each function checks who acts and in which state,
changes the rows in one transaction, and writes out its side effects (timeline entry,
moderation log, notifications, map statistics).

A refused action raises ValidationError (a message the user can act on) or
PermissionDenied (the role does not allow it); nothing is changed in either case.
"""

import datetime
import re
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.defaultfilters import linebreaks
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conect.accounts.rules import is_verified
from conect.core.text import fold, sanitize_html
from registry.models import Institution, Organisation
from registry.predicates import (
    is_institution_staff,
    is_organisation_admin,
    is_organisation_member,
)
from registry.stats import bump_stats_version

from . import dates, notifications, selectors
from .models import (
    Article,
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
    NotificationPreference,
    Recommendation,
    RecommendationReport,
)
from .uploads import check_upload
from .workflow import TRANSITIONS

State = Consultation.State
MAX_RECOMMENDATION_CHARS = 20_000


class DuplicateSubmission(ValidationError):
    """The same form was sent twice; `recommendation` is the one already saved."""

    def __init__(self, recommendation):
        super().__init__(
            _("This recommendation was already sent; it was not saved a second time."),
            code="duplicate",
        )
        self.recommendation = recommendation


# --- Helpers -----------------------------------------------------------------


def _require_staff(actor, consultation) -> None:
    institution = Institution(pk=consultation.institution_id)
    if actor is None or not is_institution_staff(actor, institution):
        raise PermissionDenied(
            _("Only the civil servants of the institution that owns this consultation may do this.")
        )


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _search_text(consultation: Consultation) -> str:
    return fold(f"{consultation.title} {strip_tags(consultation.summary)}")


_LOOKS_LIKE_HTML = re.compile(r"<[a-zA-Z/!]")


def clean_rich_text(text: str) -> str:
    """Safe HTML from what a user typed: plain text becomes paragraphs, HTML is
    sanitised (scripts, styles, event handlers and unknown tags removed)."""
    text = (text or "").strip()
    if not _LOOKS_LIKE_HTML.search(text):
        text = linebreaks(text, autoescape=True)
    return sanitize_html(text).strip()


def check_dates(
    *,
    opens_on: datetime.date,
    closes_on: datetime.date,
    planned_adoption_on: datetime.date,
    is_urgent: bool = False,
    urgency_justification: str = "",
    today: datetime.date | None = None,
) -> dict[str, list[str]]:
    """The legal date rules of Law 52/2003, as {field: [messages]} (empty when met).

    Without the urgency procedure: the window lasts at least CONSULTATION_MIN_WINDOW_DAYS
    calendar days and the planned adoption comes at least
    CONSULTATION_MIN_ANNOUNCEMENT_WORKING_DAYS working days (public holidays excluded)
    after the announcement. With it, a written justification is required instead.
    """
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if today is not None and opens_on < today:
        add("opens_on", _("The opening date cannot be in the past."))
    if closes_on < opens_on:
        add("closes_on", _("The last day for recommendations cannot come before the opening."))
    if planned_adoption_on <= closes_on:
        add(
            "planned_adoption_on",
            _("The planned adoption must come after the last day for recommendations."),
        )
    if is_urgent:
        if not (urgency_justification or "").strip():
            add(
                "urgency_justification",
                _("Explain why the urgency procedure is needed; the justification is public."),
            )
        return errors
    earliest_close = dates.earliest_close(opens_on)
    if closes_on >= opens_on and closes_on < earliest_close:
        add(
            "closes_on",
            _(
                "The window for recommendations must last at least %(days)d calendar days: "
                "the last day can be %(date)s at the earliest."
            )
            % {"days": dates.min_window_days(), "date": _day(earliest_close)},
        )
    earliest_adoption = dates.earliest_adoption(opens_on)
    if planned_adoption_on < earliest_adoption:
        add(
            "planned_adoption_on",
            _(
                "The draft must be announced at least %(days)d working days before its "
                "adoption (weekends and public holidays are not counted): the earliest "
                "adoption date is %(date)s."
            )
            % {"days": dates.min_announcement_working_days(), "date": _day(earliest_adoption)},
        )
    return errors


def _check_territory(*, is_national, counties, regions) -> None:
    if not is_national and not counties and not regions:
        raise ValidationError(
            {"counties": _("Choose the counties or regions concerned, or mark it as national.")}
        )


def _check_official(official, institution_id) -> None:
    if official is not None and (
        official.institution_id != institution_id or not official.is_published
    ):
        raise ValidationError(
            {"contact_official": _("Choose a published official of the same institution.")}
        )


# --- Consultations -------------------------------------------------------------


@transaction.atomic
def consultation_create(
    *,
    actor,
    institution,
    title: str,
    summary: str,
    kind: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    planned_adoption_on: datetime.date,
    domains: Iterable = (),
    counties: Iterable = (),
    regions: Iterable = (),
    is_national: bool = False,
    contact_official=None,
    is_urgent: bool = False,
    urgency_justification: str = "",
    moderation: str = Consultation.Moderation.POST,
) -> Consultation:
    """Create a consultation in draft, owned by `institution`, which `actor` serves."""
    if not is_institution_staff(actor, institution):
        raise PermissionDenied(
            _("You may open consultations only for an institution where you are a civil servant.")
        )
    counties, regions, domains = list(counties), list(regions), list(domains)
    errors = check_dates(
        opens_on=opens_on,
        closes_on=closes_on,
        planned_adoption_on=planned_adoption_on,
        is_urgent=is_urgent,
        urgency_justification=urgency_justification,
        today=dates.local_today(),
    )
    if errors:
        raise ValidationError(errors)
    _check_territory(is_national=is_national, counties=counties, regions=regions)
    _check_official(contact_official, institution.pk)
    consultation = Consultation(
        institution=institution,
        title=title.strip(),
        summary=clean_rich_text(summary),
        kind=kind,
        opens_on=opens_on,
        closes_on=closes_on,
        planned_adoption_on=planned_adoption_on,
        is_national=is_national,
        contact_official=contact_official,
        is_urgent=is_urgent,
        urgency_justification=urgency_justification.strip() if is_urgent else "",
        moderation=moderation,
        created_by=actor,
    )
    consultation.search_text = _search_text(consultation)
    consultation.full_clean()
    consultation.save()
    consultation.domains.set(domains)
    consultation.counties.set([] if is_national else counties)
    consultation.regions.set([] if is_national else regions)
    return consultation


# Fields a civil servant may still change once the consultation is public.
EDITABLE_WHEN_OPEN = {
    "title",
    "summary",
    "closes_on",
    "planned_adoption_on",
    "contact_official",
    "domains",
}
EDITABLE_FIELDS = {
    "title",
    "summary",
    "kind",
    "opens_on",
    "closes_on",
    "planned_adoption_on",
    "domains",
    "counties",
    "regions",
    "is_national",
    "contact_official",
    "is_urgent",
    "urgency_justification",
    "moderation",
}


@transaction.atomic
def consultation_update(*, consultation: Consultation, actor, **changes) -> Consultation:
    """Change a draft freely; once open, only the title, summary, contact, domains and a
    later closing or adoption date (never a shorter window)."""
    _require_staff(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    if consultation.state not in (State.DRAFT, State.SCHEDULED, State.OPEN):
        raise ValidationError(
            _("A consultation that is %(state)s can no longer be changed.")
            % {"state": consultation.get_state_display()}
        )
    m2m = {
        name: list(changes.pop(name))
        for name in ("domains", "counties", "regions")
        if name in changes
    }
    if consultation.state == State.OPEN:
        current_m2m = {
            "counties": list(consultation.counties.all()),
            "regions": list(consultation.regions.all()),
        }
        frozen = [
            name
            for name, value in {**changes, **m2m}.items()
            if name not in EDITABLE_WHEN_OPEN
            and (
                set(value) != set(current_m2m[name])
                if name in current_m2m
                else value != getattr(consultation, name)
            )
        ]
        if frozen:
            raise ValidationError(
                _(
                    "Once the consultation is open, only its title, summary, contact official, "
                    "domains and later dates can change."
                )
            )
        if "closes_on" in changes and changes["closes_on"] < consultation.closes_on:
            raise ValidationError(
                {"closes_on": _("The window for recommendations can be extended, never shortened.")}
            )
    for name, value in changes.items():
        if name == "summary":
            value = clean_rich_text(value)
        elif name == "title":
            value = value.strip()
        setattr(consultation, name, value)
    if not consultation.is_urgent:
        consultation.urgency_justification = ""
    errors = check_dates(
        opens_on=consultation.opens_on,
        closes_on=consultation.closes_on,
        planned_adoption_on=consultation.planned_adoption_on,
        is_urgent=consultation.is_urgent,
        urgency_justification=consultation.urgency_justification,
        today=dates.local_today() if consultation.state != State.OPEN else None,
    )
    if consultation.state == State.SCHEDULED and consultation.opens_on <= dates.local_today():
        errors.setdefault("opens_on", []).append(
            _(
                "An announced consultation opens after today; to open it now, use “Open for "
                "recommendations now”."
            )
        )
    if errors:
        raise ValidationError(errors)
    if consultation.state in (State.DRAFT, State.SCHEDULED):
        _check_territory(
            is_national=consultation.is_national,
            counties=m2m.get("counties", list(consultation.counties.all())),
            regions=m2m.get("regions", list(consultation.regions.all())),
        )
    _check_official(consultation.contact_official, consultation.institution_id)
    if consultation.state == State.OPEN:
        consultation.window_days = dates.window_days(consultation.opens_on, consultation.closes_on)
        consultation.announcement_working_days = dates.working_days_between(
            consultation.opens_on, consultation.planned_adoption_on
        )
    consultation.search_text = _search_text(consultation)
    consultation.full_clean()
    consultation.save()
    if "domains" in m2m:
        consultation.domains.set(m2m["domains"])
    if consultation.state == State.DRAFT:
        if consultation.is_national:
            consultation.counties.clear()
            consultation.regions.clear()
        else:
            for name in ("counties", "regions"):
                if name in m2m:
                    getattr(consultation, name).set(m2m[name])
    return consultation


@transaction.atomic
def consultation_delete(*, consultation: Consultation, actor) -> None:
    """Delete a draft that was never published."""
    _require_staff(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.state != State.DRAFT:
        raise ValidationError(
            _("Only a draft can be deleted; a published consultation can be withdrawn.")
        )
    for document in consultation.documents.all():
        for version in document.versions.all():
            version.file.delete(save=False)
    consultation.delete()


def _require_legal_dates(consultation: Consultation, *, opens_on, intro, today=None) -> None:
    """Raise, the intro first, every legal date rule the consultation would break if it
    opened on `opens_on`."""
    errors = check_dates(
        opens_on=opens_on,
        closes_on=consultation.closes_on,
        planned_adoption_on=consultation.planned_adoption_on,
        is_urgent=consultation.is_urgent,
        urgency_justification=consultation.urgency_justification,
        today=today,
    )
    if errors:
        messages = [m for field_messages in errors.values() for m in field_messages]
        raise ValidationError([intro, *messages])


def _start_window(consultation: Consultation, today) -> None:
    """The window for recommendations opens today: the map counts it and its followers
    are told once the transaction commits."""
    consultation.opens_on = today
    consultation.window_days = dates.window_days(today, consultation.closes_on)
    bump_stats_version()
    consultation_id = consultation.pk
    transaction.on_commit(lambda: notifications.schedule_consultation_opened(consultation_id))


def _publish(consultation: Consultation, actor, data: dict, now) -> None:
    today = dates.local_today()
    _require_legal_dates(
        consultation,
        opens_on=today,
        intro=_(
            "Published today, the consultation would break the legal deadlines; "
            "change its dates first."
        ),
    )
    consultation.published_at = now
    consultation.announcement_working_days = dates.working_days_between(
        today, consultation.planned_adoption_on
    )
    _start_window(consultation, today)


def _schedule(consultation: Consultation, actor, data: dict, now) -> None:
    """Announce the draft now; it opens on its planned date (see open_due_consultations)."""
    today = dates.local_today()
    if consultation.opens_on <= today:
        raise ValidationError(
            _(
                "The planned opening is not after today: publish the consultation now, or "
                "change its opening date first."
            )
        )
    _require_legal_dates(
        consultation,
        opens_on=consultation.opens_on,
        intro=_("On its planned dates the consultation would break the legal deadlines:"),
        today=today,
    )
    consultation.published_at = now
    consultation.window_days = dates.window_days(consultation.opens_on, consultation.closes_on)
    consultation.announcement_working_days = dates.working_days_between(
        today, consultation.planned_adoption_on
    )
    consultation_id = consultation.pk
    transaction.on_commit(lambda: notifications.schedule_consultation_announced(consultation_id))


def _open(consultation: Consultation, actor, data: dict, now) -> None:
    """Open an announced consultation: on its planned date (the platform, actor None), or
    earlier by hand (the institution), when the legal deadlines still hold from today.
    Its opening date becomes the day it really opens (a platform that was down opens it
    late, never early)."""
    today = dates.local_today()
    if actor is None:
        if consultation.opens_on > today:
            raise ValidationError(_("The consultation opens on its planned date, not before."))
    else:
        _require_legal_dates(
            consultation,
            opens_on=today,
            intro=_(
                "Opened today, the consultation would break the legal deadlines; "
                "change its dates first."
            ),
        )
    _start_window(consultation, today)


def _close(consultation: Consultation, actor, data: dict, now) -> None:
    if now <= consultation.closes_at:
        raise ValidationError(
            _(
                "The window for recommendations runs until the end of %(date)s; it cannot be "
                "closed earlier."
            )
            % {"date": _day(consultation.closes_on)}
        )
    consultation.closed_at = now
    bump_stats_version()


def _analyse(consultation: Consultation, actor, data: dict, now) -> None:
    pending = consultation.recommendations.filter(status=Recommendation.Status.PENDING).count()
    if pending:
        raise ValidationError(
            ngettext(
                "%(count)d recommendation still awaits moderation; approve or hide it first.",
                "%(count)d recommendations still await moderation; approve or hide them first.",
                pending,
            )
            % {"count": pending}
        )


def _synthesise(consultation: Consultation, actor, data: dict, now) -> None:
    unanswered = consultation.recommendations.filter(
        status=Recommendation.Status.PUBLISHED, disposition=""
    ).count()
    if unanswered:
        raise ValidationError(
            ngettext(
                "%(count)d published recommendation has no disposition yet.",
                "%(count)d published recommendations have no disposition yet.",
                unanswered,
            )
            % {"count": unanswered}
        )
    consultation.synthesis_summary = clean_rich_text(data.get("synthesis_summary", ""))
    consultation.synthesis_published_at = now
    consultation.synthesis_days_late = max(
        0, (timezone.localdate(now) - consultation.synthesis_due_on).days
    )
    for field_name in Consultation.SYNTHESIS_PDF_FIELDS.values():
        if getattr(consultation, field_name):
            getattr(consultation, field_name).delete(save=False)
    consultation_id = consultation.pk
    transaction.on_commit(lambda: notifications.schedule_synthesis_published(consultation_id))


def _adopt(consultation: Consultation, actor, data: dict, now) -> None:
    url = (data.get("adopted_act_url") or "").strip()
    adopted_on = data.get("adopted_on")
    errors = {}
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["adopted_act_url"] = _("Give the link to the adopted act as published.")
    if not adopted_on:
        errors["adopted_on"] = _("Give the date on which the act was adopted.")
    elif adopted_on > timezone.localdate(now):
        errors["adopted_on"] = _("The adoption date cannot be in the future.")
    elif adopted_on < consultation.opens_on:
        errors["adopted_on"] = _("The act cannot be adopted before the consultation opened.")
    if errors:
        raise ValidationError(errors)
    consultation.adopted_act_url = url
    consultation.adopted_on = adopted_on


def _withdraw(consultation: Consultation, actor, data: dict, now) -> None:
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Explain publicly why the draft is withdrawn.")})
    consultation.withdrawn_reason = reason
    if consultation.state == State.OPEN:
        consultation.closed_at = now
        bump_stats_version()


_HANDLERS = {
    "publish": _publish,
    "schedule": _schedule,
    "open": _open,
    "close": _close,
    "analyse": _analyse,
    "synthesise": _synthesise,
    "adopt": _adopt,
    "withdraw": _withdraw,
}


# What the platform itself (actor None, Celery beat) may do.
PLATFORM_TRANSITIONS = ("open", "close")


def consultation_transition(
    *, consultation: Consultation, actor, name: str, **data
) -> Consultation:
    """Move the consultation along one allowed transition (see workflow.TRANSITIONS).

    `actor` None is the platform itself (the automatic closing). Each transition is
    recorded in the public timeline with its note.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError(_("This action does not exist."))
    if actor is not None or name not in PLATFORM_TRANSITIONS:
        _require_staff(actor, consultation)
    now = timezone.now()
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.state not in transition.sources:
            raise ValidationError(
                _("“%(action)s” is not possible while the consultation is %(state)s.")
                % {"action": transition.label, "state": locked.get_state_display()}
            )
        _HANDLERS[name](locked, actor, data, now)
        previous = locked.state
        locked.state = transition.target
        locked.state_changed_at = now
        locked.full_clean()
        locked.save()
        ConsultationTransition.objects.create(
            consultation=locked,
            from_state=previous,
            to_state=transition.target,
            actor=actor,
            note=(data.get("reason") or "").strip(),
            created_at=now,
        )
    return locked


def open_due_consultations() -> list[int]:
    """Open every announced consultation whose planned opening has come (Celery beat)."""
    opened = []
    today = dates.local_today()
    for consultation in Consultation.objects.filter(state=State.SCHEDULED, opens_on__lte=today):
        try:
            consultation_transition(consultation=consultation, actor=None, name="open")
        except ValidationError:  # changed by someone else in the meantime
            continue
        opened.append(consultation.pk)
    return opened


def close_expired_consultations() -> list[int]:
    """Close every open consultation whose last day has passed (run by Celery beat)."""
    closed = []
    cutoff = dates.local_today()
    for consultation in Consultation.objects.filter(state=State.OPEN, closes_on__lt=cutoff):
        try:
            consultation_transition(consultation=consultation, actor=None, name="close")
        except ValidationError:  # changed by someone else in the meantime
            continue
        closed.append(consultation.pk)
    return closed


# --- Articles ------------------------------------------------------------------

ARTICLE_HEADING = re.compile(
    r"^\s*(?:art(?:icolul|\.)?)\s*([0-9]+(?:\^?[0-9]+)?|[IVXLC]+)\b\s*[.:\u2013\u2014-]?\s*(.*)$",
    re.IGNORECASE,
)


# The acts are Romanian: the label is part of their text, not of the interface.
PREAMBLE_LABEL = "Preambul"


def parse_articles(text: str) -> list[tuple[str, str]]:
    """Split a draft's text into (label, text) pairs at each "Art. N" / "Articolul N"."""
    articles: list[tuple[str, list[str]]] = []
    for line in (text or "").splitlines():
        match = ARTICLE_HEADING.match(line)
        if match:
            articles.append((f"Art. {match.group(1).upper()}", [match.group(2).strip()]))
        elif articles:
            articles[-1][1].append(line.rstrip())
        elif line.strip():
            articles.append(("", [line.rstrip()]))
    result = []
    for label, lines in articles:
        body = "\n".join(lines).strip()
        if label == "":
            label = PREAMBLE_LABEL
        result.append((label, body))
    return result


@transaction.atomic
def consultation_set_articles(*, consultation: Consultation, actor, text: str) -> list[Article]:
    """Replace the structured text. Articles keep their identity by label, so the
    recommendations that point to them stay attached; an article that has
    recommendations cannot be removed."""
    _require_staff(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.state not in (State.DRAFT, State.SCHEDULED, State.OPEN):
        raise ValidationError(_("The text can be changed only before the window closes."))
    parsed = parse_articles(text)
    labels = [label for label, _body in parsed]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise ValidationError(
            _("These articles appear twice: %(labels)s.") % {"labels": ", ".join(duplicates)}
        )
    existing = {article.label: article for article in consultation.articles.all()}
    removed = [label for label in existing if label not in labels]
    referenced = sorted(
        Article.objects.filter(
            consultation=consultation, label__in=removed, recommendations__isnull=False
        )
        .values_list("label", flat=True)
        .distinct()
    )
    if referenced:
        raise ValidationError(
            _("These articles have recommendations and cannot be removed: %(labels)s.")
            % {"labels": ", ".join(referenced)}
        )
    Article.objects.filter(consultation=consultation, label__in=removed).delete()
    result = []
    for position, (label, body) in enumerate(parsed, start=1):
        article = existing.get(label) or Article(consultation=consultation, label=label)
        article.position = position
        article.text = body
        article.full_clean()
        article.save()
        result.append(article)
    return result


# --- Documents -----------------------------------------------------------------


def _store_version(*, document: Document, actor, file, change_note: str) -> DocumentVersion:
    checked = check_upload(file, max_bytes=settings.CONSULTATION_DOCUMENT_MAX_BYTES)
    latest = document.versions.order_by("-number").first()
    if latest is not None and latest.sha256 == checked.sha256:
        raise ValidationError(
            {"file": _("This file is identical to the current version; nothing was published.")}
        )
    version = DocumentVersion(
        document=document,
        number=(latest.number + 1) if latest else 1,
        original_name=(file.name or "document")[-255:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        change_note=(change_note or "").strip(),
        uploaded_by=actor,
    )
    if latest is not None and not version.change_note:
        raise ValidationError({"change_note": _("Say what changed in this version.")})
    version.file.save(f"upload.{checked.extension}", file, save=False)
    try:
        version.full_clean()
        version.save()
    except Exception:
        version.file.delete(save=False)
        raise
    if document.consultation.state != State.DRAFT:
        # A public consultation: its followers and contributors hear of the change.
        version_id = version.pk
        transaction.on_commit(lambda: notifications.schedule_document_published(version_id))
    return version


@transaction.atomic
def document_add(
    *, consultation: Consultation, actor, kind: str, title: str, file, change_note: str = ""
) -> Document:
    """Publish a new document (PDF, DOCX or ODT, checked by content) as its version 1."""
    _require_staff(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.state not in (
        State.DRAFT,
        State.SCHEDULED,
        State.OPEN,
        State.CLOSED,
        State.UNDER_ANALYSIS,
    ):
        raise ValidationError(_("Documents can no longer be added to this consultation."))
    document = Document(consultation=consultation, kind=kind, title=title.strip())
    document.full_clean()
    document.save()
    _store_version(document=document, actor=actor, file=file, change_note=change_note)
    return document


@transaction.atomic
def document_add_version(*, document: Document, actor, file, change_note: str) -> DocumentVersion:
    """Publish a new version of a document; the older ones stay visible in its history."""
    consultation = document.consultation
    _require_staff(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.state not in (
        State.DRAFT,
        State.SCHEDULED,
        State.OPEN,
        State.CLOSED,
        State.UNDER_ANALYSIS,
    ):
        raise ValidationError(_("Documents can no longer be changed in this consultation."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    return _store_version(document=document, actor=actor, file=file, change_note=change_note)


# --- Recommendations -------------------------------------------------------------


def check_accepting(consultation: Consultation) -> None:
    """Raise a clear ValidationError unless recommendations are accepted now."""
    if consultation.state != State.OPEN:
        raise ValidationError(
            _("This consultation is not open for recommendations (it is %(state)s).")
            % {"state": consultation.get_state_display()},
            code="not_open",
        )
    if timezone.now() > consultation.closes_at:
        raise ValidationError(
            _("The window for recommendations closed at the end of %(date)s.")
            % {"date": _day(consultation.closes_on)},
            code="window_closed",
        )


def _clean_recommendation_text(text: str) -> str:
    cleaned = clean_rich_text(text)
    if not strip_tags(cleaned).strip():
        raise ValidationError({"text": _("Write your recommendation.")})
    if len(cleaned) > MAX_RECOMMENDATION_CHARS:
        raise ValidationError(
            {
                "text": _("The recommendation is too long: at most %(max)d characters.")
                % {"max": MAX_RECOMMENDATION_CHARS}
            }
        )
    return cleaned


def _check_article(consultation, article) -> None:
    if article is not None and article.consultation_id != consultation.pk:
        raise ValidationError({"article": _("Choose an article of this consultation.")})


def _attach(recommendation: Recommendation, attachment) -> None:
    checked = check_upload(attachment, max_bytes=settings.CONSULTATION_ATTACHMENT_MAX_BYTES)
    recommendation.attachment_name = (attachment.name or "attachment")[-255:]
    recommendation.attachment_type = checked.content_type
    recommendation.attachment.save(f"attachment.{checked.extension}", attachment, save=False)


def recommendation_submit(
    *,
    consultation: Consultation,
    author,
    text: str,
    submission_key: uuid.UUID,
    organisation: Organisation | None = None,
    article: Article | None = None,
    attachment=None,
    hide_name: bool = False,
) -> Recommendation:
    """Send a recommendation while the window is open.

    The same form (same `submission_key`) is saved once: a second send raises
    DuplicateSubmission. A user sends at most CONSULTATION_RECOMMENDATIONS_PER_HOUR
    recommendations an hour. With pre-moderation the recommendation waits for approval.
    """
    if not is_verified(author):
        raise PermissionDenied(
            _("Only users with a verified e-mail address can send recommendations.")
        )
    if is_institution_staff(author, Institution(pk=consultation.institution_id)):
        raise PermissionDenied(
            _("The institution's own civil servants cannot send recommendations to it.")
        )
    check_accepting(consultation)
    existing = Recommendation.objects.filter(author=author, submission_key=submission_key).first()
    if existing is not None:
        raise DuplicateSubmission(existing)
    if organisation is not None and not is_organisation_member(author, organisation):
        raise ValidationError(
            {"organisation": _("You can write only on behalf of an organisation you belong to.")}
        )
    _check_article(consultation, article)
    cleaned = _clean_recommendation_text(text)
    limit = settings.CONSULTATION_RECOMMENDATIONS_PER_HOUR
    recent = Recommendation.objects.filter(
        author=author, created_at__gte=timezone.now() - datetime.timedelta(hours=1)
    ).count()
    if recent >= limit:
        raise ValidationError(
            ngettext(
                "You have sent %(count)d recommendation in the last hour, the most allowed; "
                "please try again later.",
                "You have sent %(count)d recommendations in the last hour, the most allowed; "
                "please try again later.",
                recent,
            )
            % {"count": recent},
            code="rate_limited",
        )
    recommendation = Recommendation(
        consultation=consultation,
        author=author,
        organisation=organisation,
        article=article,
        text=cleaned,
        hide_name=bool(hide_name) and organisation is None,
        submission_key=submission_key,
        status=(
            Recommendation.Status.PENDING
            if consultation.moderation == Consultation.Moderation.PRE
            else Recommendation.Status.PUBLISHED
        ),
    )
    if attachment:
        _attach(recommendation, attachment)
    try:
        recommendation.full_clean(exclude=["attachment"])
        with transaction.atomic():
            recommendation.save()
    except IntegrityError:
        if recommendation.attachment:
            recommendation.attachment.delete(save=False)
        existing = Recommendation.objects.filter(
            author=author, submission_key=submission_key
        ).first()
        if existing is not None:
            raise DuplicateSubmission(existing) from None
        raise
    except ValidationError:
        if recommendation.attachment:
            recommendation.attachment.delete(save=False)
        raise
    return recommendation


def recommendation_update(
    *,
    recommendation: Recommendation,
    actor,
    text: str,
    article: Article | None = None,
    hide_name: bool | None = None,
    attachment=None,
    remove_attachment: bool = False,
) -> Recommendation:
    """The author edits their recommendation while the window is open. Under
    pre-moderation an edited recommendation waits for approval again."""
    if actor is None or recommendation.author_id != actor.pk:
        raise PermissionDenied(_("Only the author can edit this recommendation."))
    consultation = recommendation.consultation
    check_accepting(consultation)
    if recommendation.status == Recommendation.Status.HIDDEN:
        raise ValidationError(_("A recommendation hidden by the moderators cannot be edited."))
    _check_article(consultation, article)
    cleaned = _clean_recommendation_text(text)
    old_attachment = recommendation.attachment.name if recommendation.attachment else ""
    recommendation.text = cleaned
    recommendation.article = article
    if hide_name is not None and recommendation.organisation_id is None:
        recommendation.hide_name = hide_name
    if attachment:
        _attach(recommendation, attachment)
    elif remove_attachment:
        recommendation.attachment = ""
        recommendation.attachment_name = ""
        recommendation.attachment_type = ""
    if consultation.moderation == Consultation.Moderation.PRE:
        recommendation.status = Recommendation.Status.PENDING
    recommendation.edited_at = timezone.now()
    recommendation.full_clean(exclude=["attachment"])
    recommendation.save()
    if old_attachment and old_attachment != (recommendation.attachment.name or ""):
        recommendation.attachment.storage.delete(old_attachment)
    return recommendation


def recommendation_report(*, recommendation: Recommendation, reporter, reason: str):
    """A signed-in user reports a published recommendation, once; it rises in the
    moderators' queue."""
    if reporter is None or not reporter.is_authenticated:
        raise PermissionDenied(_("Sign in to report a recommendation."))
    if recommendation.author_id == reporter.pk:
        raise ValidationError(_("You cannot report your own recommendation."))
    if recommendation.status != Recommendation.Status.PUBLISHED:
        raise ValidationError(_("Only a published recommendation can be reported."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong with this recommendation.")})
    try:
        with transaction.atomic():
            report = RecommendationReport.objects.create(
                recommendation=recommendation, reporter=reporter, reason=reason[:2000]
            )
            Recommendation.objects.filter(pk=recommendation.pk).update(
                report_count=F("report_count") + 1
            )
    except IntegrityError:
        raise ValidationError(_("You have already reported this recommendation.")) from None
    return report


MODERATION_ACTIONS = {
    # action: (states it applies to, resulting state)
    "approve": ((Recommendation.Status.PENDING,), Recommendation.Status.PUBLISHED),
    "hide": (
        (Recommendation.Status.PENDING, Recommendation.Status.PUBLISHED),
        Recommendation.Status.HIDDEN,
    ),
    "restore": ((Recommendation.Status.HIDDEN,), Recommendation.Status.PUBLISHED),
    "dismiss": ((Recommendation.Status.PUBLISHED,), Recommendation.Status.PUBLISHED),
}
_LOG_ACTIONS = {
    "approve": ModerationLogEntry.Action.APPROVED,
    "hide": ModerationLogEntry.Action.HIDDEN,
    "restore": ModerationLogEntry.Action.RESTORED,
    "dismiss": ModerationLogEntry.Action.REPORTS_DISMISSED,
}


def recommendation_moderate(
    *, recommendation: Recommendation, actor, action: str, reason: str = ""
) -> ModerationLogEntry:
    """Approve, hide, restore a recommendation or dismiss its reports. Hiding and
    restoring need a reason, which the author sees; every action is logged and the
    author is notified (except for dismissed reports)."""
    consultation = recommendation.consultation
    _require_staff(actor, consultation)
    if consultation.state == State.DRAFT:
        raise ValidationError(_("A draft has no recommendations to moderate."))
    if action not in MODERATION_ACTIONS:
        raise ValidationError(_("This action does not exist."))
    sources, target = MODERATION_ACTIONS[action]
    reason = (reason or "").strip()
    if action in ("hide", "restore") and not reason:
        raise ValidationError({"reason": _("Give a reason; the author will see it.")})
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if locked.status not in sources:
            raise ValidationError(
                _("This recommendation is %(status)s; the action does not apply.")
                % {"status": locked.get_status_display()}
            )
        locked.status = target
        locked.report_count = 0
        if action in ("hide", "restore"):
            locked.moderation_reason = reason
        elif action == "approve":
            locked.moderation_reason = ""
        locked.save(update_fields=["status", "report_count", "moderation_reason"])
        entry = ModerationLogEntry.objects.create(
            consultation_id=locked.consultation_id,
            recommendation=locked,
            actor=actor,
            action=_LOG_ACTIONS[action],
            reason=reason,
        )
        if action != "dismiss" and locked.author_id:
            notifications.notify_users(
                user_ids=[locked.author_id],
                kind=Notification.Kind.RECOMMENDATION_MODERATED,
                event_key=f"moderated:{entry.pk}",
                consultation_id=locked.consultation_id,
                recommendation_id=locked.pk,
                action=entry.action,
                detail=reason,
            )
    recommendation.refresh_from_db()
    return entry


@transaction.atomic
def recommendations_answer(
    *,
    consultation: Consultation,
    actor,
    recommendation_ids: Iterable[int],
    disposition: str,
    justification: str,
) -> int:
    """Record one disposition and justification for one or many recommendations
    (identical ones share a justification). Returns how many were answered."""
    _require_staff(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.state != State.UNDER_ANALYSIS:
        raise ValidationError(
            _("Dispositions are recorded while the recommendations are under analysis.")
        )
    if disposition not in Recommendation.Disposition.values:
        raise ValidationError({"disposition": _("Choose a disposition.")})
    justification = (justification or "").strip()
    if not justification:
        raise ValidationError({"justification": _("Give a justification for the disposition.")})
    ids = {int(pk) for pk in recommendation_ids}
    if not ids:
        raise ValidationError(_("Select at least one recommendation."))
    targets = Recommendation.objects.filter(
        consultation=consultation, pk__in=ids, status=Recommendation.Status.PUBLISHED
    )
    if targets.count() != len(ids):
        raise ValidationError(
            _(
                "Some of the selected recommendations are not published recommendations of "
                "this consultation."
            )
        )
    return targets.update(
        disposition=disposition,
        justification=justification,
        answered_at=timezone.now(),
        answered_by=actor,
    )


# --- Public debates ------------------------------------------------------------


def debate_request_create(
    *, consultation: Consultation, organisation: Organisation, actor, motivation: str
) -> DebateRequest:
    """A member of a verified association asks for a public debate while the
    consultation is open; one request per organisation."""
    if not is_organisation_member(actor, organisation):
        raise PermissionDenied(
            _("You can ask for a debate only for an organisation you belong to.")
        )
    if not consultation.is_accepting_recommendations:
        raise ValidationError(
            _("A public debate can be requested only while the consultation is open.")
        )
    motivation = (motivation or "").strip()
    if not motivation:
        raise ValidationError({"motivation": _("Explain why a public debate is needed.")})
    try:
        with transaction.atomic():
            return DebateRequest.objects.create(
                consultation=consultation,
                organisation=organisation,
                requested_by=actor,
                motivation=motivation,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(organisation)s has already asked for a debate on this consultation.")
            % {"organisation": organisation.name}
        ) from None


@transaction.atomic
def debate_schedule(
    *,
    consultation: Consultation,
    actor,
    starts_at: datetime.datetime,
    place: str = "",
    online_url: str = "",
    details: str = "",
    request_ids: Iterable[int] = (),
) -> Debate:
    """Schedule a public debate at least CONSULTATION_DEBATE_MIN_NOTICE_DAYS days ahead,
    honouring the chosen pending requests; their organisations are notified."""
    _require_staff(actor, consultation)
    if consultation.state not in (State.OPEN, State.CLOSED, State.UNDER_ANALYSIS):
        raise ValidationError(_("A public debate can no longer be scheduled."))
    notice = settings.CONSULTATION_DEBATE_MIN_NOTICE_DAYS
    if starts_at < timezone.now() + datetime.timedelta(days=notice):
        raise ValidationError(
            {
                "starts_at": ngettext(
                    "The debate must be announced at least %(days)d day ahead.",
                    "The debate must be announced at least %(days)d days ahead.",
                    notice,
                )
                % {"days": notice}
            }
        )
    place, online_url = (place or "").strip(), (online_url or "").strip()
    if not place and not online_url:
        raise ValidationError({"place": _("Give a place or an online link.")})
    debate = Debate(
        consultation=consultation,
        starts_at=starts_at,
        place=place,
        online_url=online_url,
        details=(details or "").strip(),
        created_by=actor,
    )
    debate.full_clean()
    debate.save()
    requests = list(
        DebateRequest.objects.select_for_update().filter(
            consultation=consultation, pk__in=list(request_ids), status=DebateRequest.Status.PENDING
        )
    )
    now = timezone.now()
    for debate_request in requests:
        debate_request.status = DebateRequest.Status.SCHEDULED
        debate_request.debate = debate
        debate_request.decided_at = now
        debate_request.decided_by = actor
    DebateRequest.objects.bulk_update(requests, ["status", "debate", "decided_at", "decided_by"])
    notifications.notify_debate_scheduled(debate)
    return debate


def debate_request_decline(*, debate_request: DebateRequest, actor, reason: str) -> DebateRequest:
    """Decline a request for a debate, with a public reason."""
    _require_staff(actor, debate_request.consultation)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Explain publicly why no debate will be held.")})
    with transaction.atomic():
        locked = DebateRequest.objects.select_for_update().get(pk=debate_request.pk)
        if locked.status != DebateRequest.Status.PENDING:
            raise ValidationError(_("This request was already answered."))
        locked.status = DebateRequest.Status.DECLINED
        locked.decision_reason = reason
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["status", "decision_reason", "decided_at", "decided_by"])
    return locked


def debate_register(*, debate: Debate, user) -> DebateRegistration:
    """Register a verified user for an upcoming debate, once."""
    if not is_verified(user):
        raise PermissionDenied(_("Only users with a verified e-mail address can register."))
    if not debate.is_upcoming:
        raise ValidationError(_("This debate has already taken place."))
    try:
        with transaction.atomic():
            return DebateRegistration.objects.create(debate=debate, user=user)
    except IntegrityError:
        raise ValidationError(_("You are already registered for this debate.")) from None


def debate_unregister(*, debate: Debate, user) -> None:
    deleted, _rows = DebateRegistration.objects.filter(debate=debate, user=user).delete()
    if not deleted:
        raise ValidationError(_("You were not registered for this debate."))


def debate_publish_minutes(*, debate: Debate, actor, minutes: str) -> Debate:
    """Publish the minutes of a debate that took place."""
    _require_staff(actor, debate.consultation)
    if debate.is_upcoming:
        raise ValidationError(_("The minutes can be published once the debate has taken place."))
    cleaned = clean_rich_text(minutes)
    if not strip_tags(cleaned).strip():
        raise ValidationError({"minutes": _("Write the minutes.")})
    debate.minutes = cleaned
    debate.minutes_published_at = timezone.now()
    debate.save(update_fields=["minutes", "minutes_published_at"])
    return debate


# --- Following and notifications -------------------------------------------------------


def follow_create(*, actor, target, organisation: Organisation | None = None) -> Follow:
    """`actor` (or, when given, the organisation they administer) follows a domain,
    county, region or institution. Following twice is harmless."""
    if not is_verified(actor):
        raise PermissionDenied(_("Only users with a verified e-mail address can follow."))
    if organisation is not None and not is_organisation_admin(actor, organisation):
        raise PermissionDenied(_("Only an administrator of the organisation can do this."))
    field = type(target)._meta.model_name
    if field not in ("domain", "county", "region", "institution"):
        raise ValueError(f"Cannot follow a {field}")
    follower = {"organisation": organisation} if organisation else {"user": actor}
    follow, _created = Follow.objects.get_or_create(**follower, **{field: target})
    return follow


def follow_delete(*, actor, follow: Follow) -> None:
    if follow.user_id == actor.pk or (
        follow.organisation_id and is_organisation_admin(actor, follow.organisation)
    ):
        follow.delete()
        return
    raise PermissionDenied(_("This is not one of your follows."))


def preference_set(*, user, frequency: str) -> NotificationPreference:
    if frequency not in NotificationPreference.Frequency.values:
        raise ValidationError({"frequency": _("Choose how often you want e-mail.")})
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )
    return preference


def notifications_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all, or these) as read; returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    changed = unread.update(read_at=timezone.now())
    selectors.forget_unread_counts([user.pk])
    return changed
