"""What the consultation services share: the staff check, rich text, dates and territory."""

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from conect.core.text import fold, sanitize_html, simple_markup
from conect.core.versions import bump_version
from registry.models import Institution
from registry.rules.predicates import is_institution_staff

from .. import dates
from ..models import Consultation
from ..selectors import recommendations_version_key

State = Consultation.State
MAX_RECOMMENDATION_CHARS = 20_000


def require_staff(actor, consultation) -> None:
    """Refuse anyone but a civil servant of the institution that owns the consultation."""
    institution = Institution(pk=consultation.institution_id)
    if actor is None or not is_institution_staff(actor, institution):
        raise PermissionDenied(
            _("Only the civil servants of the institution that owns this consultation may do this.")
        )


def recommendations_changed(consultation_id: int) -> None:
    """A recommendation of the consultation was sent, edited, recorded, moderated or
    answered: the list kept rendered for its page is made again (once the transaction
    commits)."""
    bump_version(recommendations_version_key(consultation_id))


def format_day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def search_text(consultation: Consultation) -> str:
    return fold(f"{consultation.title} {strip_tags(consultation.summary)}")


_LOOKS_LIKE_HTML = re.compile(r"<[a-zA-Z/!]")


def clean_rich_text(text: str) -> str:
    """Safe HTML from what a user typed: plain text becomes paragraphs, lists, bold and
    links (conect.core.text.simple_markup), HTML is
    sanitised (scripts, styles, event handlers and unknown tags removed)."""
    text = (text or "").strip()
    if not _LOOKS_LIKE_HTML.search(text):
        return simple_markup(text).strip()
    return sanitize_html(text).strip()


def check_dates(
    *,
    opens_on: datetime.date,
    closes_on: datetime.date,
    planned_adoption_on: datetime.date,
    is_urgent: bool = False,
    urgency_justification: str = "",
    today: datetime.date | None = None,
    planned_endorsement_on: datetime.date | None = None,
) -> dict[str, list[str]]:
    """The legal date rules of Law 52/2003, as {field: [messages]} (empty when met).

    Without the urgency procedure: the window lasts at least CONSULTATION_MIN_WINDOW_DAYS
    calendar days and the draft is submitted for endorsement (avizare) at least
    CONSULTATION_MIN_ANNOUNCEMENT_WORKING_DAYS working days (public holidays excluded)
    after the announcement (HG 831/2022); without a planned endorsement date, the planned
    adoption is checked instead. With the urgency procedure, a written justification is
    required instead.
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
    if planned_endorsement_on is not None:
        if planned_endorsement_on <= closes_on:
            add(
                "planned_endorsement_on",
                _(
                    "The submission for endorsement must come after the last day for "
                    "recommendations."
                ),
            )
        if planned_adoption_on < planned_endorsement_on:
            add(
                "planned_adoption_on",
                _("The adoption cannot come before the submission for endorsement."),
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
            % {"days": dates.min_window_days(), "date": format_day(earliest_close)},
        )
    earliest_adoption = dates.earliest_adoption(opens_on)
    if planned_endorsement_on is not None:
        if planned_endorsement_on < earliest_adoption:
            add(
                "planned_endorsement_on",
                _(
                    "The draft must be announced at least %(days)d working days before it is "
                    "submitted for endorsement (weekends and public holidays are not counted): "
                    "the earliest submission date is %(date)s."
                )
                % {
                    "days": dates.min_announcement_working_days(),
                    "date": format_day(earliest_adoption),
                },
            )
    elif planned_adoption_on < earliest_adoption:
        add(
            "planned_adoption_on",
            _(
                "The draft must be announced at least %(days)d working days before its "
                "adoption (weekends and public holidays are not counted): the earliest "
                "adoption date is %(date)s."
            )
            % {
                "days": dates.min_announcement_working_days(),
                "date": format_day(earliest_adoption),
            },
        )
    return errors


def check_territory(*, is_national, counties, regions) -> None:
    if not is_national and not counties and not regions:
        raise ValidationError(
            {"counties": _("Choose the counties or regions concerned, or mark it as national.")}
        )


def check_official(official, institution_id) -> None:
    if official is not None and (
        official.institution_id != institution_id or not official.is_published
    ):
        raise ValidationError(
            {"contact_official": _("Choose a published official of the same institution.")}
        )
