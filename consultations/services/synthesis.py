"""The institution's answers to recommendations, gathered into the synthesis."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Consultation, Recommendation
from .common import State, recommendations_changed, require_staff


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
    require_staff(actor, consultation)
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
    answered = targets.update(
        disposition=disposition,
        justification=justification,
        answered_at=timezone.now(),
        answered_by=actor,
    )
    recommendations_changed(consultation.pk)
    return answered
