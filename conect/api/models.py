"""Personal API tokens.

A token is shown once, when it is created; only its SHA-256 digest is stored, so a copy
of the database does not give anyone access. The first characters (`prefix`) are kept in
clear so that the owner can tell their tokens apart.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "cnt_"
DISPLAY_PREFIX_LENGTH = 12  # "cnt_" and 8 random characters


def hash_key(key: str) -> str:
    """The SHA-256 digest (hex) under which a token's key is stored."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal token with which a program calls the API on a user's behalf."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("beginning of the key"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
