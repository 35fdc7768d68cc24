"""Writes to personal API tokens."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import DISPLAY_PREFIX_LENGTH, TOKEN_PREFIX, ApiToken, hash_key

MAX_ACTIVE_TOKENS = 20
# Recording every use would write to the database on each request; once a minute is
# precise enough for the owner to see which token is still in use.
TOUCH_INTERVAL = timedelta(minutes=1)


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user` and return it with its key. The key is not stored (only
    its SHA-256 digest), so the caller shows it once and then forgets it.

    Raises ValidationError for an empty or too long name, or when the user already has
    the maximum number of active tokens; nothing is created then."""
    if not user.has_perm("api.manage_tokens"):
        raise PermissionDenied
    name = (name or "").strip()
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _(
                "You already have %(count)d active tokens, the most allowed. Revoke one "
                "you no longer use, then create a new one."
            )
            % {"count": MAX_ACTIVE_TOKENS},
            code="too_many_tokens",
        )
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name, key_hash=hash_key(key), prefix=key[:DISPLAY_PREFIX_LENGTH]
    )
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke the token: from now on a request that carries it is refused (401). Revoking
    an already revoked token changes nothing."""
    if not actor.has_perm("api.revoke_token", token):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record that the token was just used (at most one write a minute per token)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
