"""Questionnaires: a survey, its questions, its roster of invited institutions or
organisations, their answers and the notices sent about them.

Every text an author writes is stored per language in a JSON object
(`{"ro": "...", "en": "...", "hu": "..."}`): Romanian and English are required, Hungarian
is there when the author adds it; `translated()` picks the reader's language.

A response keeps its answers in one JSON object keyed by the question's id (see
`Question.Kind` for the shape of each value), so that 100,000 responses are 100,000 rows,
read in one pass by the exports and aggregated by PostgreSQL for the results.

An anonymous questionnaire stores no link to a person: its responses have no user, no
invitation, no organisation, no session and no address (the services never set them).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

TEXT_LANGUAGES = ("ro", "en", "hu")


def translated(value: dict | None, language: str | None = None) -> str:
    """The text of `value` in `language` (the active one by default), else Romanian,
    else English."""
    if not value:
        return ""
    language = (language or get_language() or "ro")[:2]
    return value.get(language) or value.get("ro") or value.get("en") or ""


class Survey(models.Model):
    """A questionnaire: its texts, who may answer it, its deadline and reminders."""

    class Audience(models.TextChoices):
        PUBLIC = "public", _("anyone")
        SIGNED_IN = "signed_in", _("signed-in users")
        ROSTER = "roster", _("a roster of institutions or organisations")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class RosterKind(models.TextChoices):
        INSTITUTIONS = "institutions", _("public institutions")
        ORGANISATIONS = "organisations", _("organisations")

    # The allowed changes of status, in one place (services.survey_transition).
    TRANSITIONS = {
        "open": (Status.DRAFT, Status.OPEN),
        "close": (Status.OPEN, Status.CLOSED),
    }

    title = models.JSONField(_("title"), default=dict)
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    audience = models.CharField(
        _("who answers"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    roster_kind = models.CharField(
        _("roster of"), max_length=15, choices=RosterKind.choices, blank=True
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    # Days before the deadline on which the roster's late members are reminded.
    reminder_days = models.JSONField(
        _("reminders (days before the deadline)"), default=list, blank=True
    )
    results_public = models.BooleanField(_("results published"), default=False)
    institution = models.ForeignKey(
        "registry.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("institution"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    # What the questionnaire belongs to: a consultation, and (built by others) a training
    # session or a call for proposals. Any model can be the target.
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # When the participants of the target (its followers, those registered, the authors
    # of its proposals) were asked to answer: once.
    participants_asked_at = models.DateTimeField(_("participants asked at"), null=True, blank=True)
    # Set by the first answer (a draft or a submission): the questions are locked then.
    first_answer_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="survey_target_idx")]

    def __str__(self):
        return translated(self.title)

    def get_absolute_url(self):
        return reverse("surveys:detail", args=[self.pk])

    @property
    def title_text(self) -> str:
        return translated(self.title)

    @property
    def intro_text(self) -> str:
        return translated(self.intro)

    @property
    def is_locked(self) -> bool:
        """Someone has answered: questions can only be corrected or get new choices."""
        return self.first_answer_at is not None

    @property
    def is_accepting(self) -> bool:
        return self.status == self.Status.OPEN and (
            self.deadline is None or timezone.now() < self.deadline
        )


class Question(models.Model):
    """One question (or a section title or text) of a survey."""

    class Kind(models.TextChoices):
        # value stored: a string
        SHORT_TEXT = "short_text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        # the key of the choice ("other" with its text in "<id>_other")
        SINGLE = "single", _("single choice")
        # a list of keys
        MULTIPLE = "multiple", _("multiple choice")
        # the keys in the order given, first is best
        RANKING = "ranking", _("ranking")
        # an integer from 1 to max_value
        SCALE = "scale", _("scale")
        # {row key: column key}
        MATRIX_SINGLE = "matrix_single", _("matrix of single choices")
        # {row key: [column keys]}
        MATRIX_MULTIPLE = "matrix_multiple", _("matrix of multiple choices")
        # a number
        NUMBER = "number", _("number")
        # an ISO date
        DATE = "date", _("date")
        # "yes" or "no"
        YES_NO = "yes_no", _("yes or no")
        # {"name": original name, "path": name in the private storage}
        FILE = "file", _("file upload")
        # no answer: a title (and text) that starts a section
        SECTION = "section", _("section title or text")

    CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING}
    MATRIX_KINDS = {Kind.MATRIX_SINGLE, Kind.MATRIX_MULTIPLE}
    TEXT_KINDS = {Kind.SHORT_TEXT, Kind.LONG_TEXT}
    # Answers counted per value on the results page.
    COUNTED_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE, Kind.YES_NO} | MATRIX_KINDS

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    text = models.JSONField(_("question"), default=dict)
    help_text = models.JSONField(_("help text"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # [{"key": "c1", "label": {"ro": ..., "en": ...}}]; matrix: choices are the columns.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    rows = models.JSONField(_("rows"), default=list, blank=True)
    allow_other = models.BooleanField(_("with “other”"), default=False)
    max_choices = models.PositiveSmallIntegerField(
        _("at most this many choices"), null=True, blank=True
    )
    min_length = models.PositiveIntegerField(
        _("at least this many characters"), null=True, blank=True
    )
    max_length = models.PositiveIntegerField(
        _("at most this many characters"), null=True, blank=True
    )
    min_value = models.DecimalField(
        _("smallest number"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest number"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    low_label = models.JSONField(_("label of the lowest value"), default=dict, blank=True)
    high_label = models.JSONField(_("label of the highest value"), default=dict, blank=True)
    # Shown only when this earlier question's answer is (or, for several choices,
    # includes) condition_value: a choice's key, "yes"/"no", or the text typed.
    condition_question = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dependants",
        verbose_name=_("shown only if this question"),
    )
    condition_value = models.CharField(_("has this answer"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "pk"]

    def __str__(self):
        return translated(self.text)

    @property
    def text_display(self) -> str:
        return translated(self.text)

    @property
    def help_display(self) -> str:
        return translated(self.help_text)

    @property
    def is_section(self) -> bool:
        return self.kind == self.Kind.SECTION

    @property
    def key(self) -> str:
        """The key of this question's answer in Response.answers."""
        return str(self.pk)

    def choice_labels(self, language: str | None = None) -> dict[str, str]:
        return {c["key"]: translated(c["label"], language) for c in self.choices}

    def row_labels(self, language: str | None = None) -> dict[str, str]:
        return {r["key"]: translated(r["label"], language) for r in self.rows}

    def value_choices(self, language: str | None = None) -> list[tuple[str, str]]:
        """(value, label) of what can be counted: choices, scale points, yes/no."""
        if self.kind == self.Kind.SCALE:
            top = int(self.max_value or 5)
            return [(str(n), str(n)) for n in range(1, top + 1)]
        if self.kind == self.Kind.YES_NO:
            from django.utils.translation import gettext

            return [("yes", gettext("Yes")), ("no", gettext("No"))]
        pairs = list(self.choice_labels(language).items())
        if self.allow_other:
            from django.utils.translation import gettext

            pairs.append(("other", gettext("Other")))
        return pairs


class Invitation(models.Model):
    """One member of a survey's roster: an institution or an organisation."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    institution = models.ForeignKey(
        "registry.Institution", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now)
    sent_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    # The scheduled reminders already sent (days before the deadline), each once.
    reminders_sent = models.JSONField(default=list, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    manual_reminders = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "institution"], name="unique_survey_institution"
            ),
            models.UniqueConstraint(
                fields=["survey", "organisation"], name="unique_survey_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(institution__isnull=True) ^ models.Q(organisation__isnull=True),
                name="invitation_one_member",
            ),
        ]

    def __str__(self):
        return str(self.member)

    @property
    def member(self):
        return self.institution if self.institution_id else self.organisation


class Response(models.Model):
    """One answer to a survey: a draft until submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # Who answers (never set in an anonymous questionnaire).
    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="response"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    institution = models.ForeignKey(
        "registry.Institution", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # For the results' filters: the member's county (or the one an anonymous respondent
    # chose to give).
    county = models.ForeignKey(
        "registry.County", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=models.Q(user__isnull=False, invitation__isnull=True),
                name="unique_survey_user_response",
            ),
        ]
        indexes = [
            models.Index(fields=["survey", "status"], name="response_survey_status_idx"),
        ]

    def __str__(self):
        return f"{self.survey_id}/{self.pk}"


class Notice(models.Model):
    """An item in a user's list of questionnaire notices (the site's notifications for
    questionnaires, following consultations.Notification): one per user and event, about
    a roster member's invitation or, for a participant of the survey's target, the
    survey itself."""

    class Kind(models.TextChoices):
        INVITED = "invited", _("you are invited to answer a questionnaire")
        REMINDER = "reminder", _("a questionnaire is waiting for your answer")
        EXTENDED = "extended", _("the deadline of a questionnaire was extended")
        FOLLOW_UP = "follow_up", _("you are asked to answer a questionnaire")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_notices"
    )
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    # A roster member's notice; none for a participant of the survey's target.
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    event_key = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("questionnaire notice")
        verbose_name_plural = _("questionnaire notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event_key"], name="unique_survey_notice"),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.event_key}"
