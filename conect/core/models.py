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


class OutboxMessage(models.Model):
    """A Celery task to run because of a change, written in the change's own transaction.

    The row is handed to the broker once the transaction commits; when the broker cannot
    take it then, the relay (conect.core.tasks.relay_outbox, every few seconds) tries
    again, with back-off, until it goes. So an event that must reach people is lost
    neither with a failed request (the row rolls back with the change) nor with a broker
    that is down when the change commits.
    """

    task = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    dispatched_at = models.DateTimeField(_("handed to the broker at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(dispatched_at__isnull=True),
                name="core_outbox_waiting",
            ),
        ]

    def __str__(self):
        return f"{self.task} #{self.pk}"
