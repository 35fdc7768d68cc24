"""Template helpers: a consultation's clock, and the unread notifications count (for the
navigation: `{% load consultations_tags %}{% unread_notifications_count as n %}`)."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import selectors
from ..models import Consultation

register = template.Library()
State = Consultation.State


def _day(value):
    return date_format(value, "DATE_FORMAT")


def clock(consultation: Consultation) -> dict:
    """What the clock says: a headline (days left, or how late the synthesis is), a
    detail line and a tone. The words carry the meaning; the tone only styles it."""
    state = consultation.state
    if state == State.DRAFT:
        return {
            "tone": "secondary",
            "headline": _("Not published yet"),
            "detail": _("Planned opening: %(date)s.") % {"date": _day(consultation.opens_on)},
        }
    if state == State.SCHEDULED:
        return {
            "tone": "info",
            "headline": _("Opens on %(date)s") % {"date": _day(consultation.opens_on)},
            "detail": _(
                "Announced: recommendations will be accepted from %(opens)s to the end of "
                "%(closes)s."
            )
            % {"opens": _day(consultation.opens_on), "closes": _day(consultation.closes_on)},
        }
    if state == State.OPEN and consultation.is_accepting_recommendations:
        days = consultation.days_left
        if days <= 0:
            headline = _("Last day for recommendations")
        else:
            headline = ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
        return {
            "tone": "warning" if days <= 2 else "success",
            "headline": headline,
            "detail": _("Recommendations are accepted until the end of %(date)s.")
            % {"date": _day(consultation.closes_on)},
        }
    if state in (State.OPEN, State.CLOSED, State.UNDER_ANALYSIS):
        due = consultation.synthesis_due_on
        late = consultation.synthesis_days_overdue
        if late:
            headline = ngettext(
                "Synthesis %(days)d day late", "Synthesis %(days)d days late", late
            ) % {"days": late}
            tone = "danger"
        else:
            remaining = (due - timezone.localdate()).days
            headline = ngettext(
                "Synthesis due in %(days)d day", "Synthesis due in %(days)d days", remaining
            ) % {"days": remaining}
            tone = "info"
        return {
            "tone": tone,
            "headline": headline,
            "detail": _(
                "The window closed at the end of %(closed)s; the synthesis is due on %(due)s."
            )
            % {"closed": _day(consultation.closes_on), "due": _day(due)},
        }
    if state in (State.SYNTHESIS_PUBLISHED, State.ADOPTED) and consultation.synthesis_published_at:
        published = _day(timezone.localdate(consultation.synthesis_published_at))
        late = consultation.synthesis_days_late or 0
        if late:
            detail = ngettext(
                "Synthesis published on %(date)s, %(days)d day late.",
                "Synthesis published on %(date)s, %(days)d days late.",
                late,
            ) % {"date": published, "days": late}
        else:
            detail = _("Synthesis published on %(date)s, on time.") % {"date": published}
        if state == State.ADOPTED and consultation.adopted_on:
            headline = _("Adopted on %(date)s") % {"date": _day(consultation.adopted_on)}
        else:
            headline = _("Synthesis published")
        return {"tone": "secondary", "headline": headline, "detail": detail}
    if state == State.WITHDRAWN:
        return {
            "tone": "secondary",
            "headline": _("Withdrawn"),
            "detail": consultation.withdrawn_reason,
        }
    return {"tone": "secondary", "headline": consultation.get_state_display(), "detail": ""}


@register.inclusion_tag("consultations/includes/clock.html")
def consultation_clock(consultation, compact=False):
    return {"clock": clock(consultation), "compact": compact, "consultation": consultation}


@register.simple_tag(takes_context=True)
def unread_notifications_count(context) -> int:
    request = context.get("request")
    if request is None:
        return 0
    return selectors.unread_count(request.user)


@register.simple_tag
def synthesis_deadline():
    """The synthesis deadline and its named source (consultations.dates)."""
    from .. import dates

    return dates.synthesis_deadline()


@register.inclusion_tag("consultations/includes/follow_button.html", takes_context=True)
def follow_button(context, target):
    """The follow (or unfollow) button of a page whose changes people can follow: a
    consultation, an institution, or the consultations list filtered by a domain, a
    county, a region or an institution. A visitor is offered to sign in; a signed-in user
    whose e-mail is not verified sees nothing (following needs it)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    can_follow = bool(user is not None and user.has_perm("consultations.follow"))
    return {
        "request": request,
        "user": user,
        "target": target,
        "field": type(target)._meta.model_name,
        "can_follow": can_follow,
        "follow": selectors.own_follow(user, target) if can_follow else None,
    }
