"""Following consultations and organisations, and the notifications that follow."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from conect.accounts.rules import is_verified
from registry.models import Organisation
from registry.rules.predicates import is_organisation_admin

from .. import selectors
from ..models import FOLLOW_TARGETS, Follow, Notification, NotificationPreference


def follow_create(*, actor, target, organisation: Organisation | None = None) -> Follow:
    """`actor` (or, when given, the organisation they administer) follows a domain,
    county, region, institution or one public consultation. Following twice is
    harmless."""
    if not is_verified(actor):
        raise PermissionDenied(_("Only users with a verified e-mail address can follow."))
    if organisation is not None and not is_organisation_admin(actor, organisation):
        raise PermissionDenied(_("Only an administrator of the organisation can do this."))
    field = type(target)._meta.model_name
    if field not in FOLLOW_TARGETS:
        raise ValueError(f"Cannot follow a {field}")
    if field == "consultation" and not target.is_public:
        raise ValidationError(_("Only a published consultation can be followed."))
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
