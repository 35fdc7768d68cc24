"""Moderation of recommendations, each decision written to the moderation log."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from conect.core.versions import bump_version

from .. import notifications
from ..models import ModerationLogEntry, Notification, Recommendation
from ..selectors import synthesis_version_key
from .common import State, recommendations_changed, require_staff

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
    require_staff(actor, consultation)
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
    # A published synthesis shown from the cache must show the change at once.
    bump_version(synthesis_version_key(recommendation.consultation_id))
    recommendations_changed(recommendation.consultation_id)
    return entry
