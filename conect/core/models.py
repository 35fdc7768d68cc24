from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SentEmail(models.Model):
    """One row for each e-mail the platform has sent, keyed so that a task that runs
    again (a retry, a re-delivered message) never sends the same e-mail twice."""

    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    template = models.CharField(_("template"), max_length=120)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.template} → {self.recipient_id}"
