from django import template
from django.urls import reverse

from .. import selectors, targets
from ..models import translated as translated_text

register = template.Library()


@register.filter
def translated(value):
    """A text the author wrote in several languages, in the reader's language."""
    return translated_text(value)


@register.inclusion_tag("surveys/includes/attached.html", takes_context=True)
def attached_surveys(context, obj, can_attach=False):
    """The questionnaires attached to a consultation, a training session or a call for
    proposals, as links (one query), and, when `can_attach` (the page's manager), the
    link that creates a questionnaire attached to it."""
    target = targets.target_for(obj)
    return {
        "surveys": list(selectors.surveys_attached_to(obj)),
        "obj": obj,
        "user": context.get("user"),
        "add_url": f"{reverse('surveys:create')}?{target.param}={obj.pk}"
        if can_attach and target
        else "",
    }


@register.filter
def parse_iso(value):
    """An ISO 8601 date and time (as e-mail contexts carry them) as a datetime."""
    import datetime

    try:
        return datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
