from django import template

from .. import selectors
from ..models import translated as translated_text

register = template.Library()


@register.filter
def translated(value):
    """A text the author wrote in several languages, in the reader's language."""
    return translated_text(value)


@register.inclusion_tag("surveys/includes/attached.html", takes_context=True)
def attached_surveys(context, obj):
    """The questionnaires attached to a consultation (or another record), as links; one
    query. For the pages of consultations, training sessions and calls for proposals."""
    return {
        "surveys": list(selectors.surveys_attached_to(obj)),
        "obj": obj,
        "user": context.get("user"),
    }


@register.filter
def parse_iso(value):
    """An ISO 8601 date and time (as e-mail contexts carry them) as a datetime."""
    import datetime

    try:
        return datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
