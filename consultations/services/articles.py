"""A consultation's draft act cut into articles, which recommendations may point at."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Article, Consultation
from .common import State, require_staff

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
    require_staff(actor, consultation)
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
