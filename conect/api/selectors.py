"""Reads of personal API tokens."""

from django.db.models import QuerySet

from .models import TOKEN_PREFIX, ApiToken, hash_key


def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The user's own tokens, active and revoked, newest first; nobody sees another's."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def api_token_for_key(key: str) -> ApiToken | None:
    """The active token with this key, its user loaded (one query), or None."""
    if not key or not key.startswith(TOKEN_PREFIX) or len(key) > 100:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True)
        .first()
    )
