"""Public consultations on draft decisions (Law 52/2003 on decisional transparency):
the consultation and its documents, recommendations and their moderation, the
synthesis, public debates, follows and notifications."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conect.core.fields import LimitedTextField, SafeURLField
from conect.core.storage import private_storage
from conect.core.validators import (
    DESCRIPTION_MAX_LENGTH,
    DOCUMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    RECOMMENDATION_MAX_LENGTH,
)
from registry.models import County, Domain, Institution, Organisation, Region, RelationshipOfficial

from . import dates


def _document_upload_to(instance, filename):
    # A random name: the original one is kept in `original_name` for display.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    consultation_id = instance.document.consultation_id
    return f"consultations/{consultation_id}/documents/{uuid.uuid4().hex}.{suffix}"


def _attachment_upload_to(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"consultations/{instance.consultation_id}/recommendations/{uuid.uuid4().hex}.{suffix}"


def _synthesis_upload_to(instance, filename):
    return f"consultations/{instance.pk}/synthesis/{uuid.uuid4().hex}.pdf"


class AnnouncementChannel(models.TextChoices):
    """Where, besides this platform, an institution announces a draft (standard report)."""

    WEBSITE = "website", _("the institution's website")
    HEADQUARTERS = "headquarters", _("displayed at the institution's headquarters")
    MEDIA = "media", _("the mass media")
    E_CONSULTARE = "e_consultare", _("the national e-consultare portal")
    MAILING = "mailing", _("sent to the associations on file")


class Channel(models.TextChoices):
    """How a recommendation (or a request) reached the institution."""

    ONLINE = "online", _("on this platform")
    EMAIL = "email", _("by e-mail")
    POST = "post", _("by post")
    DEBATE = "debate", _("at a public debate")
    PHONE = "phone", _("by phone")
    IN_PERSON = "in_person", _("in person")


class Consultation(models.Model):
    """A public institution's consultation on one of its draft decisions."""

    # The field that keeps the synthesis PDF in each language.
    SYNTHESIS_PDF_FIELDS = {"ro": "synthesis_pdf", "en": "synthesis_pdf_en"}

    class Kind(models.TextChoices):
        DRAFT_LAW = "draft_law", _("draft law")
        GOVERNMENT_DECISION = "government_decision", _("government decision")
        ORDINANCE = "ordinance", _("ordinance")
        MINISTERIAL_ORDER = "ministerial_order", _("ministerial order")
        PUBLIC_POLICY = "public_policy", _("public policy")
        LOCAL_DECISION = "local_decision", _("decision of a local or county council")
        OTHER = "other", _("other kind of act")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft (not published)")
        SCHEDULED = "scheduled", _("announced, opening on a set date")
        OPEN = "open", _("open for recommendations")
        CLOSED = "closed", _("closed to recommendations")
        UNDER_ANALYSIS = "under_analysis", _("under analysis")
        SYNTHESIS_PUBLISHED = "synthesis_published", _("synthesis published")
        ADOPTED = "adopted", _("act adopted")
        WITHDRAWN = "withdrawn", _("draft withdrawn")

    class Moderation(models.TextChoices):
        POST = "post", _("post-moderation: recommendations appear at once")
        PRE = "pre", _("pre-moderation: recommendations appear after approval")

    # States in which the consultation is public.
    PUBLIC_STATES = (
        State.SCHEDULED,
        State.OPEN,
        State.CLOSED,
        State.UNDER_ANALYSIS,
        State.SYNTHESIS_PUBLISHED,
        State.ADOPTED,
        State.WITHDRAWN,
    )

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("institution"),
    )
    title = models.CharField(_("title"), max_length=300)
    summary = LimitedTextField(_("summary"), max_length=DESCRIPTION_MAX_LENGTH, html=True)
    kind = models.CharField(_("kind of act"), max_length=30, choices=Kind.choices)
    domains = models.ManyToManyField(
        Domain, blank=True, related_name="consultations", verbose_name=_("domains")
    )
    is_national = models.BooleanField(_("national consultation"), default=False)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="consultations", verbose_name=_("regions")
    )
    counties = models.ManyToManyField(
        County, blank=True, related_name="consultations", verbose_name=_("counties")
    )
    contact_official = models.ForeignKey(
        RelationshipOfficial,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("contact official"),
    )
    opens_on = models.DateField(_("announcement and opening date"))
    closes_on = models.DateField(_("last day for recommendations"))
    planned_adoption_on = models.DateField(_("planned adoption date"))
    # Law 52/2003 and HG 831/2022 count the announcement's 30 working days up to the
    # submission for endorsement (avizare), not up to the adoption.
    planned_endorsement_on = models.DateField(
        _("planned submission for endorsement (avizare)"), null=True, blank=True
    )
    # A list of AnnouncementChannel values; JSON, not ArrayField, so that the embedded
    # SQLite mode of the quick start has it too.
    announcement_channels = models.JSONField(
        verbose_name=_("where the draft is also announced"),
        default=list,
        blank=True,
    )
    is_urgent = models.BooleanField(_("urgency procedure"), default=False)
    urgency_justification = LimitedTextField(
        _("justification of the urgency"), blank=True, max_length=DESCRIPTION_MAX_LENGTH
    )
    moderation = models.CharField(
        _("moderation"), max_length=4, choices=Moderation.choices, default=Moderation.POST
    )

    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Frozen when the consultation opens (and when its window is extended), so that the
    # scoreboard can count compliant windows in SQL.
    window_days = models.PositiveSmallIntegerField(
        _("window (calendar days)"), null=True, blank=True
    )
    announcement_working_days = models.PositiveSmallIntegerField(
        _("announcement (working days before adoption)"), null=True, blank=True
    )
    synthesis_summary = LimitedTextField(
        _("summary of the synthesis"), blank=True, max_length=RECOMMENDATION_MAX_LENGTH, html=True
    )
    synthesis_published_at = models.DateTimeField(
        _("synthesis published at"), null=True, blank=True
    )
    synthesis_days_late = models.PositiveSmallIntegerField(
        _("synthesis days late"), null=True, blank=True
    )
    # The synthesis as PDF, made by a task when it is published, one file per language
    # (Romanian, the official one, and English).
    synthesis_pdf = models.FileField(upload_to=_synthesis_upload_to, blank=True, editable=False)
    synthesis_pdf_en = models.FileField(upload_to=_synthesis_upload_to, blank=True, editable=False)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_act_url = SafeURLField(_("link to the adopted act"), blank=True)
    withdrawn_reason = LimitedTextField(
        _("reason for the withdrawal"), blank=True, max_length=REASON_MAX_LENGTH
    )

    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="consultation_closes_after_opening",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "closes_on"], name="consultation_state_close_idx"),
            models.Index(fields=["institution", "state"], name="consultation_inst_state_idx"),
            models.Index(fields=["published_at"], name="consultation_published_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:detail", args=[self.pk])

    @property
    def legal_clock_date(self) -> datetime.date:
        """The day the announcement's working days are counted to: the planned
        endorsement, or the planned adoption when no endorsement date is recorded."""
        return self.planned_endorsement_on or self.planned_adoption_on

    @property
    def closes_at(self) -> datetime.datetime:
        """The last instant for recommendations: the end of `closes_on` in Romania."""
        return dates.end_of_day(self.closes_on)

    @property
    def is_public(self) -> bool:
        return self.state in self.PUBLIC_STATES

    @property
    def current_state(self) -> str:
        """The state by the clock, shown everywhere (lists, badges, the page, the API):
        an open consultation whose last day has passed is closed, even before the
        scheduler records it (close_expired_consultations)."""
        if self.state == self.State.OPEN and timezone.now() > self.closes_at:
            return self.State.CLOSED
        return self.state

    def get_current_state_display(self) -> str:
        return self.State(self.current_state).label

    @property
    def is_accepting_recommendations(self) -> bool:
        return self.state == self.State.OPEN and timezone.now() <= self.closes_at

    @property
    def synthesis_due_on(self) -> datetime.date:
        return self.closes_on + datetime.timedelta(days=settings.CONSULTATION_SYNTHESIS_DUE_DAYS)

    @property
    def days_left(self) -> int:
        return (self.closes_on - dates.local_today()).days

    @property
    def synthesis_days_overdue(self) -> int:
        """Days past the synthesis deadline (0 if not late yet)."""
        return max(0, (dates.local_today() - self.synthesis_due_on).days)


class ConsultationTransition(models.Model):
    """One change of state, shown publicly as the consultation's timeline."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(max_length=20, choices=Consultation.State.choices)
    to_state = models.CharField(max_length=20, choices=Consultation.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = LimitedTextField(blank=True, max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("change of state")
        verbose_name_plural = _("changes of state")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.consultation_id}: {self.from_state} → {self.to_state}"


class Article(models.Model):
    """An article of the draft's structured text, which a recommendation can point to."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="articles"
    )
    position = models.PositiveIntegerField(_("position"))
    label = models.CharField(_("label"), max_length=40)
    text = LimitedTextField(_("text"), max_length=DOCUMENT_MAX_LENGTH)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "label"], name="unique_article_label"),
        ]

    def __str__(self):
        return self.label


class Document(models.Model):
    """A document of the consultation (the draft, its explanatory note, an annex)."""

    class Kind(models.TextChoices):
        DRAFT = "draft", _("draft act")
        EXPLANATORY_NOTE = "explanatory_note", _("explanatory note")
        ANNEX = "annex", _("annex")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind of document"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "created_at", "pk"]

    def __str__(self):
        return self.title


class DocumentVersion(models.Model):
    """One version of a document; the newest is the current one."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_document_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    change_note = LimitedTextField(_("what changed"), blank=True, max_length=REASON_MAX_LENGTH)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_document_version"),
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"


class Recommendation(models.Model):
    """A recommendation sent by a verified user, as themselves or for an organisation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        PUBLISHED = "published", _("public")
        HIDDEN = "hidden", _("hidden by the moderators")

    class Disposition(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        PARTIALLY_ACCEPTED = "partially_accepted", _("partially accepted")
        REJECTED = "rejected", _("rejected")
        OUT_OF_SCOPE = "out_of_scope", _("outside the scope")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="recommendations"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_recommendations",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_recommendations",
        verbose_name=_("on behalf of"),
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("article"),
    )
    text = LimitedTextField(_("recommendation"), max_length=RECOMMENDATION_MAX_LENGTH, html=True)
    # Private: a hidden recommendation's attachment must not stay reachable at its address;
    # every download goes through a view that asks consultations.view_recommendation.
    attachment = models.FileField(
        _("attachment"),
        upload_to=_attachment_upload_to,
        storage=private_storage,
        blank=True,
        max_length=200,
    )
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    hide_name = models.BooleanField(_("do not show my name publicly"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    moderation_reason = LimitedTextField(
        _("reason given by the moderators"), blank=True, max_length=REASON_MAX_LENGTH
    )
    # Reports not yet reviewed by a moderator; the queue is sorted on it.
    report_count = models.PositiveIntegerField(_("open reports"), default=0)
    submission_key = models.UUIDField(editable=False)
    disposition = models.CharField(
        _("disposition"), max_length=20, choices=Disposition.choices, blank=True
    )
    justification = LimitedTextField(
        _("justification"), blank=True, max_length=DESCRIPTION_MAX_LENGTH
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    # Recorded by the institution's staff when it came another way than this platform:
    # `author` is then empty and the sender is `organisation` (in the registry) or named
    # as written in `sender_name`.
    channel = models.CharField(
        _("received"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    received_on = models.DateField(_("date received"), null=True, blank=True)
    sender_name = models.CharField(_("sender, as written"), max_length=300, blank=True)
    sender_is_organisation = models.BooleanField(_("the sender is an organisation"), default=False)
    name_consent = models.BooleanField(_("the person agreed to be named publicly"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"], name="recommendation_single_submission"
            ),
        ]
        indexes = [
            models.Index(
                fields=["consultation", "status", "created_at"], name="rec_consultation_status_idx"
            ),
            models.Index(
                fields=["consultation", "-report_count", "created_at"], name="rec_reports_idx"
            ),
            models.Index(fields=["author", "created_at"], name="rec_author_created_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} ({self.consultation_id})"

    def get_absolute_url(self):
        return reverse("consultations:detail", args=[self.consultation_id]) + (
            f"#recommendation-{self.pk}"
        )

    @property
    def public_author(self) -> str:
        """The name shown publicly: the organisation's, the person's, or neither when the
        person asked (needs `author` and `organisation` loaded)."""
        if self.organisation_id:
            return self.organisation.name
        if self.channel != Channel.ONLINE:
            if self.sender_name and (self.sender_is_organisation or self.name_consent):
                return self.sender_name
            return gettext("A person")
        if self.hide_name or self.author is None:
            return gettext("A person who asked not to be named")
        if self.author.deleted_at:
            return gettext("a former user")
        return self.author.name

    @property
    def is_recorded(self) -> bool:
        """Received another way than this platform and recorded by the staff."""
        return self.channel != Channel.ONLINE

    @property
    def is_included(self) -> bool:
        return self.disposition in (
            self.Disposition.ACCEPTED,
            self.Disposition.PARTIALLY_ACCEPTED,
        )


class RecommendationReport(models.Model):
    """A signed-in user's report that a recommendation breaks the rules."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = LimitedTextField(_("reason"), max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "reporter"], name="unique_report"),
        ]

    def __str__(self):
        return f"report {self.pk} on {self.recommendation_id}"


class ModerationLogEntry(models.Model):
    """What a moderator did with a recommendation, and why."""

    class Action(models.TextChoices):
        APPROVED = "approved", _("approval")
        HIDDEN = "hidden", _("hiding")
        RESTORED = "restored", _("restoring")
        REPORTS_DISMISSED = "reports_dismissed", _("dismissal of the reports")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="moderation_log"
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="moderation_log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = LimitedTextField(_("reason"), blank=True, max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["consultation", "-created_at"], name="modlog_idx")]

    def __str__(self):
        return f"{self.action} {self.recommendation_id}"


# --- Public debates ---------------------------------------------------------


class Debate(models.Model):
    """A public debate the institution schedules on the draft."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="debates")
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = SafeURLField(_("online link"), blank=True)
    details = LimitedTextField(_("details"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    minutes = LimitedTextField(_("minutes"), blank=True, max_length=DOCUMENT_MAX_LENGTH, html=True)
    minutes_published_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)
    # How the debate is run: a capacity (then a waiting list), a time per speaker, the
    # attendance, the minutes' life (drawn up, published, archived) and the recording.
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    minutes_per_speaker = models.PositiveSmallIntegerField(_("minutes per speaker"), default=5)
    attendance_count = models.PositiveIntegerField(_("people present"), null=True, blank=True)
    attending_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("organisations present")
    )
    attending_others = LimitedTextField(
        _("other organisations present (not in the registry)"),
        blank=True,
        max_length=REASON_MAX_LENGTH,
    )
    minutes_drawn_up_on = models.DateField(_("minutes drawn up on"), null=True, blank=True)
    minutes_archived_on = models.DateField(_("minutes archived on"), null=True, blank=True)
    minutes_archive_reference = models.CharField(
        _("archive reference of the minutes"), max_length=200, blank=True
    )
    recording_url = SafeURLField(_("recording"), blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("public debate")
        verbose_name_plural = _("public debates")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""), name="debate_has_place_or_link"
            ),
        ]

    def __str__(self):
        return f"{self.consultation} — {self.starts_at:%Y-%m-%d}"

    @property
    def is_upcoming(self) -> bool:
        return self.starts_at > timezone.now()


class DebateRequest(models.Model):
    """A request for a public debate, by a legally constituted association or by another
    public authority (Law 52/2003, art. 7)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting an answer")
        SCHEDULED = "scheduled", _("honoured: debate scheduled")
        DECLINED = "declined", _("declined")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="debate_requests"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="debate_requests",
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="debate_requests_made",
        verbose_name=_("public authority"),
    )
    channel = models.CharField(
        _("received"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    requested_on = models.DateField(_("date of the request"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    motivation = LimitedTextField(_("motivation"), max_length=DESCRIPTION_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    debate = models.ForeignKey(
        Debate, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    decision_reason = LimitedTextField(
        _("reason for declining"), blank=True, max_length=REASON_MAX_LENGTH
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("request for a public debate")
        verbose_name_plural = _("requests for a public debate")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"], name="unique_debate_request"
            ),
            models.UniqueConstraint(
                fields=["consultation", "institution"], name="unique_debate_request_authority"
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, institution__isnull=True)
                | Q(organisation__isnull=True, institution__isnull=False),
                name="debate_request_one_requester",
            ),
        ]

    def __str__(self):
        return f"{self.requester_name} → {self.consultation_id}"

    @property
    def requester_name(self) -> str:
        """The association's or the public authority's name (needs them loaded)."""
        return self.organisation.name if self.organisation_id else self.institution.name


class DebateRegistration(models.Model):
    """A person registered to attend a public debate, and perhaps to speak at it.

    Within the debate's capacity a registration is confirmed; beyond it, it waits, and
    the first waiting moves up when a confirmed one is cancelled. Speakers speak in the
    order they signed up (confirmed ones only), each for the debate's time per speaker.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("on the waiting list")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")

    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="debate_registrations"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    mode = models.CharField(
        _("taking part"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON
    )
    wants_to_speak = models.BooleanField(_("wants to speak"), default=False)
    spoken_at = models.DateTimeField(_("spoke at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["debate", "user"], name="unique_debate_registration"),
        ]

    def __str__(self):
        return f"{self.user_id} @ {self.debate_id}"


# --- Following and notifications --------------------------------------------


FOLLOW_TARGETS = ("domain", "county", "region", "institution", "consultation")


def _exactly_one_of(fields) -> Q:
    """Q: exactly one of `fields` is set."""
    condition = Q()
    for chosen in fields:
        condition |= Q(
            **{f"{name}__isnull": name != chosen for name in fields},
        )
    return condition


class Follow(models.Model):
    """A user or an organisation follows a domain, a county, a region, an institution or
    one consultation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consultation_follows",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consultation_follows",
    )
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, null=True, blank=True)
    county = models.ForeignKey(County, on_delete=models.CASCADE, null=True, blank=True)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True)
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, null=True, blank=True)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, organisation__isnull=True)
                | Q(user__isnull=True, organisation__isnull=False),
                name="follow_one_follower",
            ),
            # Exactly one target.
            models.CheckConstraint(
                condition=_exactly_one_of(FOLLOW_TARGETS),
                name="follow_one_target",
            ),
            *[
                models.UniqueConstraint(
                    fields=[follower, target], name=f"unique_follow_{follower}_{target}"
                )
                for follower in ("user", "organisation")
                for target in FOLLOW_TARGETS
            ],
        ]
        indexes = [
            models.Index(fields=[target], name=f"follow_{target}_idx") for target in FOLLOW_TARGETS
        ]

    def __str__(self):
        return f"{self.user_id or self.organisation_id} → {self.target}"

    @property
    def target(self):
        return self.domain or self.county or self.region or self.institution or self.consultation


class NotificationPreference(models.Model):
    """How often a user wants e-mail about consultations; missing means immediately."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("at once, one e-mail per event")
        DAILY = "daily", _("a daily digest")
        WEEKLY = "weekly", _("a weekly digest")
        NEVER = "never", _("no e-mail, only the notifications on the site")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consultation_preference",
    )
    frequency = models.CharField(
        _("e-mail frequency"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.IMMEDIATE,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user_id}: {self.frequency}"


class Notification(models.Model):
    """One event for one user: shown in the site's list and, at most once, e-mailed.

    The row is also the delivery record of the fan-out: it is created before anything is
    sent (unique per user and event), claimed by a worker, then marked sent, so that a
    worker that dies and restarts sends nobody a second e-mail and misses nobody.
    """

    class Kind(models.TextChoices):
        CONSULTATION_ANNOUNCED = "announced", _("a consultation was announced")
        CONSULTATION_OPENED = "opened", _("a consultation opened")
        WINDOW_CLOSING = "closing", _("a consultation is about to close")
        RECOMMENDATION_MODERATED = "moderated", _("your recommendation was moderated")
        SYNTHESIS_PUBLISHED = "synthesis", _("a synthesis was published")
        DEBATE_SCHEDULED = "debate", _("a public debate was scheduled")
        DOCUMENT_PUBLISHED = "document", _("a document of a consultation was added or changed")

    class EmailStatus(models.TextChoices):
        NONE = "none", _("not e-mailed")
        PENDING = "pending", _("waiting to be sent")
        CLAIMED = "claimed", _("being sent")
        SENT = "sent", _("e-mail sent")
        DIGEST = "digest", _("waiting for the digest")
        DIGESTED = "digested", _("sent in a digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consultation_notifications",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    event_key = models.CharField(max_length=100)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="notifications"
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # For a moderation: what was done (ModerationLogEntry.Action) and the reason given;
    # for a document: the version's number and the document's title.
    action = models.CharField(max_length=20, blank=True)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.NONE
    )
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event_key"], name="unique_notification"),
        ]
        indexes = [
            models.Index(fields=["event_key", "email_status"], name="notification_event_idx"),
            models.Index(fields=["user", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["email_status", "user"], name="notification_digest_idx"),
        ]

    def __str__(self):
        return f"{self.event_key} → {self.user_id}"


# --- The annual report (Law 52/2003, art. 13) ------------------------------------------


class AnnualReportStatement(models.Model):
    """What only the institution's staff know for a year's report on decisional
    transparency (art. 13 and the standard reporting form); the rest of the report is
    counted from the year's data. Published with the report when `published_at` is set."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="annual_statements"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    court_cases = models.PositiveIntegerField(
        _("court cases for breaches of the law on decisional transparency"), default=0
    )
    court_cases_details = LimitedTextField(
        _("the court cases, briefly"), blank=True, max_length=DESCRIPTION_MAX_LENGTH
    )
    self_assessment = LimitedTextField(
        _("the institution's assessment of its partnership with citizens and associations"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
    )
    non_public_meetings = models.PositiveIntegerField(
        _("meetings not open to the public"), default=0
    )
    non_public_meetings_reasons = LimitedTextField(
        _("why they were not public"), blank=True, max_length=DESCRIPTION_MAX_LENGTH
    )
    draft_requests_people = models.PositiveIntegerField(
        _("requests for drafts from people"), default=0
    )
    draft_requests_associations = models.PositiveIntegerField(
        _("requests for drafts from associations"), default=0
    )
    officials_designation = LimitedTextField(
        _("how the relationship officials were designated"),
        blank=True,
        max_length=REASON_MAX_LENGTH,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("annual report statement")
        verbose_name_plural = _("annual report statements")
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="unique_annual_statement"),
        ]

    def __str__(self):
        return f"{self.institution_id} {self.year}"


# --- Recommendations from every channel ----------------------------------------------


def _recommendation_file_upload_to(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    consultation_id = instance.recommendation.consultation_id
    return f"consultations/{consultation_id}/recommendations/{uuid.uuid4().hex}.{suffix}"


class RecommendationFile(models.Model):
    """A further file (a scanned letter's pages, an annex) of a recommendation the staff
    recorded; the first file is the recommendation's own attachment. Private, like it:
    downloaded through a view that asks consultations.view_recommendation."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(
        _("file"),
        upload_to=_recommendation_file_upload_to,
        storage=private_storage,
        max_length=200,
    )
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("file of a recommendation")
        verbose_name_plural = _("files of recommendations")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name
