"""What the guide's services share: who may edit, rich text, months."""

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import linebreaks
from django.utils import timezone
from django.utils.translation import gettext as _

from conect.accounts.rules import is_coordinator
from conect.core.text import sanitize_html

_LOOKS_LIKE_HTML = re.compile(r"<[a-zA-Z/!]")


def require_coordinator(actor) -> None:
    if actor is None or not is_coordinator(actor):
        raise PermissionDenied(_("Only the coordinators may do this."))


def clean_rich_text(text: str) -> str:
    """Safe HTML from what an editor typed: plain text becomes paragraphs, HTML is
    sanitised with nh3 (scripts, styles, event handlers and unknown tags removed)."""
    text = (text or "").strip()
    if not _LOOKS_LIKE_HTML.search(text):
        text = linebreaks(text, autoescape=True)
    return sanitize_html(text).strip()


def month_start(moment: datetime.datetime | None = None) -> datetime.date:
    """The first day of the month of `moment` (now), in the site's time zone."""
    day = timezone.localdate(moment or timezone.now())
    return day.replace(day=1)
