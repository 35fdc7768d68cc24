"""Writes to user accounts."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from conect.api.models import ApiToken
from consultations.models import (
    DebateRegistration,
    Follow,
    Notification,
    NotificationPreference,
    Recommendation,
)
from consultations.services.common import recommendations_changed
from registry.models import InstitutionStaff, OrganisationMembership, RelationshipOfficial
from registry.rules.predicates import forget_roles

from .models import User
from .selectors import user_sole_admin_of


def user_set_language(*, user: User, language: str) -> User:
    """Store the language the user chose; it then follows them on every device."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("This language is not available."), code="invalid_language")
    user.preferred_language = language
    user.full_clean(validate_unique=False)
    user.save(update_fields=["preferred_language"])
    return user


def user_update_profile(*, user: User, name: str, preferred_language: str) -> User:
    """Change the user's name and preferred language."""
    user.name = name
    user.preferred_language = preferred_language
    user.full_clean(validate_unique=False)
    user.save(update_fields=["name", "preferred_language"])
    return user


def deleted_user_name() -> str:
    """The name a deleted account keeps, shown beside what the person published. Stored
    in the platform's language (Romanian), the language of the public record."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("a former user")


def user_delete_account(*, user: User) -> User:
    """Delete the person's account at their request (GDPR article 17).

    What they published in consultations stays, attributed to "a former user": the
    User row is kept, emptied of everything personal, so that the recommendations keep
    an author without a name. Everything else that is theirs goes: e-mail addresses,
    password, memberships, follows, notifications and their preference, registrations to
    debates, the second factor; API tokens are revoked; every session ends (an inactive
    account with a new password hash is signed out everywhere). Relationship-official
    records stay: they are the institution's record, only unlinked from the account.

    The last administrator of an organisation or an institution must hand over first:
    a ValidationError (code "last_admin") and nothing changes.
    """
    with transaction.atomic():
        # Lock the account so that two deletions (two tabs) do not run side by side.
        User.objects.select_for_update().filter(pk=user.pk).first()
        sole_admin_of = user_sole_admin_of(user=user)
        if sole_admin_of:
            raise ValidationError(
                _(
                    "You are the last administrator of %(names)s. Make another member an "
                    "administrator first, then delete your account."
                ),
                code="last_admin",
                params={"names": ", ".join(sole_admin_of)},
            )
        now = timezone.now()
        for membership in OrganisationMembership.objects.filter(user=user):
            membership._history_user = user
            membership.delete()
        for staff in InstitutionStaff.objects.filter(user=user):
            staff._history_user = user
            staff.delete()
        RelationshipOfficial.objects.filter(user=user).update(user=None, updated_at=now)
        Follow.objects.filter(user=user).delete()
        Notification.objects.filter(user=user).delete()
        NotificationPreference.objects.filter(user=user).delete()
        DebateRegistration.objects.filter(user=user).delete()
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        Authenticator.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        user.groups.clear()
        user.user_permissions.clear()

        user.name = deleted_user_name()
        # A unique address nobody can receive mail at (.invalid is reserved, RFC 2606).
        user.email = f"deleted-{user.pk}@deleted.invalid"
        user.preferred_language = settings.LANGUAGE_CODE
        user.is_active = False
        user.is_coordinator = False
        user.is_staff = False
        user.is_superuser = False
        user.last_login = None
        user.deleted_at = now
        user.set_unusable_password()
        user.save()
        # The consultation pages keep their lists rendered: show "a former user" at once.
        authored = Recommendation.objects.filter(author=user).values_list(
            "consultation_id", flat=True
        )
        for consultation_id in set(authored):
            recommendations_changed(consultation_id)
    forget_roles(user)
    return user
