"""Writes to user accounts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import User


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
