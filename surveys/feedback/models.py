"""Feedback on public services (issue 21).

- `CommonService`: the coordinators' catalogue of services that institutions of one kind
  provide (every city hall issues a building permit): an institution adopts it once.
- `Service`: what one institution provides to the public, with its channel, its place,
  the person responsible and its short address (`code`, /s/<code>/, printed as a QR code).
- `Answer`: one person's rating of a service, with an optional comment (public only once
  a coordinator moderated it) and an optional e-mail address (for an answer; erased once
  a private answer was sent). No client address, no account, no cookie is kept.
- `Reply`: the institution's answer, public (under the published comment) or private
  (e-mailed to the address the person gave).
- `MonthlyIndex`: the sums behind the indices, one row per service and month, written in
  the same transaction as each answer (an upsert), so that an index over a million
  answers reads a few thousand rows.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conect.core.fields import LimitedTextField
from registry.models import County, Institution, Region

# The short address: letters and digits that cannot be mistaken for one another when
# typed from a poster (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 7
SATISFIED_FROM = 4  # "satisfied" and "very satisfied"
INDICATORS = ("satisfaction", "access", "clarity", "courtesy", "timeliness")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


class Channel(models.TextChoices):
    COUNTER = "counter", _("at the counter")
    ONLINE = "online", _("online")
    PHONE = "phone", _("by phone")


class PosterLanguage(models.TextChoices):
    NONE = "", _("Romanian only")
    HUNGARIAN = "hu", _("Romanian and Hungarian")
    ENGLISH = "en", _("Romanian and English")


class CommonService(models.Model):
    """A service of the coordinators' catalogue, for every institution of one kind."""

    name = models.CharField(_("name"), max_length=200)
    description = LimitedTextField(_("short description"), max_length=1000, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.COUNTER
    )
    institution_kind = models.CharField(
        _("institutions of the kind"), max_length=20, choices=Institution.Kind.choices
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("common service")
        verbose_name_plural = _("common services")
        ordering = ["institution_kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution_kind", "name"], name="feedback_common_unique_name"
            )
        ]

    def __str__(self):
        return self.name


class Service(models.Model):
    """A public service of one institution, rated by the people who used it."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="feedback_services",
        verbose_name=_("institution"),
    )
    common = models.ForeignKey(
        CommonService,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("common service"),
    )
    code = models.CharField(_("short code"), max_length=12, unique=True, default=new_code)
    name = models.CharField(_("name"), max_length=200)
    description = LimitedTextField(_("short description"), max_length=1000, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.COUNTER
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
        help_text=_("Where the service is provided; the institution's county when empty."),
    )
    locality = models.CharField(_("locality"), max_length=120, blank=True)
    responsible = models.CharField(
        _("person responsible"),
        max_length=200,
        blank=True,
        help_text=_("The name or the position of the person in charge of this service."),
    )
    poster_language = models.CharField(
        _("second language"),
        max_length=5,
        choices=PosterLanguage.choices,
        blank=True,
        default=PosterLanguage.NONE,
        help_text=_("The poster and the form are also offered in this language."),
    )
    is_active = models.BooleanField(_("accepts feedback"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("public service")
        verbose_name_plural = _("public services")
        ordering = ["institution_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "common"],
                condition=models.Q(common__isnull=False),
                name="feedback_service_adopted_once",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("feedback:service-detail", args=[self.code])

    def get_form_url(self):
        return reverse("feedback:form", args=[self.code])

    @property
    def short_url(self) -> str:
        return settings.SITE_URL.rstrip("/") + self.get_form_url()


class SolvedChoice(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class CommentStatus(models.TextChoices):
    NONE = "none", _("no comment")
    PENDING = "pending", _("waiting for moderation")
    PUBLISHED = "published", _("published")
    EDITED = "edited", _("published with changes")
    REJECTED = "rejected", _("not published")


PUBLIC_COMMENT_STATUSES = (CommentStatus.PUBLISHED, CommentStatus.EDITED)


def _score(verbose_name, *, null=True):
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=null,
        blank=null,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )


class Answer(models.Model):
    """One person's rating of one service. Holds nothing about who gave it beyond what
    they typed: no address, no account, no cookie."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="answers", verbose_name=_("service")
    )
    created_at = models.DateTimeField(_("given at"), default=timezone.now, editable=False)
    language = models.CharField(_("language"), max_length=5, default="ro")
    satisfaction = _score(_("overall satisfaction"), null=False)
    access = _score(_("access to the service"))
    clarity = _score(_("clarity of the procedure"))
    courtesy = _score(_("courtesy and competence of the staff"))
    timeliness = _score(_("time it took"))
    solved = models.CharField(
        _("matter solved"), max_length=10, choices=SolvedChoice.choices, blank=True
    )
    comment = LimitedTextField(_("comment"), max_length=2000, blank=True)
    comment_status = models.CharField(
        _("comment status"),
        max_length=10,
        choices=CommentStatus.choices,
        default=CommentStatus.NONE,
    )
    public_comment = LimitedTextField(_("published comment"), max_length=2000, blank=True)
    moderation_reason = models.CharField(_("reason"), max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    email = models.EmailField(_("e-mail address for an answer"), blank=True)

    class Meta:
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["service", "-created_at"], name="feedback_answer_service"),
            models.Index(
                fields=["created_at"],
                condition=models.Q(comment_status="pending"),
                name="feedback_answer_pending",
            ),
        ]

    def __str__(self):
        return f"{self.service_id}: {self.satisfaction}/5"

    @property
    def comment_is_public(self) -> bool:
        return self.comment_status in PUBLIC_COMMENT_STATUSES


class Reply(models.Model):
    """The institution's answer to one feedback answer."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public, under the comment")
        PRIVATE = "private", _("private, by e-mail to the person")

    answer = models.OneToOneField(
        Answer, on_delete=models.CASCADE, related_name="reply", verbose_name=_("answer")
    )
    body = LimitedTextField(_("answer"), max_length=3000)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("institution's answer")
        verbose_name_plural = _("institution's answers")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.answer_id}: {self.get_visibility_display()}"


class MonthlyIndex(models.Model):
    """The sums of one service's answers in one month (local time), kept by
    `services.answer_submit` in the answer's own transaction. The institution, county and
    region are copied here so that an index by area is one GROUP BY over this table."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="monthly")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    month = models.DateField()
    answers = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    satisfaction_sum = models.PositiveIntegerField(default=0)
    access_sum = models.PositiveIntegerField(default=0)
    access_n = models.PositiveIntegerField(default=0)
    clarity_sum = models.PositiveIntegerField(default=0)
    clarity_n = models.PositiveIntegerField(default=0)
    courtesy_sum = models.PositiveIntegerField(default=0)
    courtesy_n = models.PositiveIntegerField(default=0)
    timeliness_sum = models.PositiveIntegerField(default=0)
    timeliness_n = models.PositiveIntegerField(default=0)
    solved_yes = models.PositiveIntegerField(default=0)
    solved_n = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("monthly index")
        verbose_name_plural = _("monthly indices")
        constraints = [
            models.UniqueConstraint(fields=["service", "month"], name="feedback_monthly_unique")
        ]
        indexes = [
            models.Index(fields=["institution", "month"], name="feedback_monthly_institution"),
            models.Index(fields=["county", "month"], name="feedback_monthly_county"),
            models.Index(fields=["month"], name="feedback_monthly_month"),
        ]

    def __str__(self):
        return f"{self.service_id} {self.month:%Y-%m}: {self.answers}"
