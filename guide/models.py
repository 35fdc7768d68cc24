"""The participation guide (chapters, sections, editions), its monitoring counters, the
training sessions, the library of good practices and the innovation network.

The guide is written in a working copy (`Chapter`, `Section`, with their images and
downloadable templates) that only coordinators see; publishing an edition copies the
working copy into `EditionSection` rows, which is what readers read, search and compare.
A section keeps its `key` (a stable slug, e.g. "consultations") from edition to edition:
addresses, help links, "Was this useful?" answers and view counts are keyed on it.

Monitoring keeps counters only (a row per section and month, per edition, language and
month): no user, no address, no cookie.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from conect.core.fields import LimitedTextField, SafeURLField

TITLE_MAX_LENGTH = 300
BODY_MAX_LENGTH = 100_000
COMMENT_MAX_LENGTH = 2_000
PRACTICE_TEXT_MAX_LENGTH = 10_000


def in_language(obj, field: str) -> str:
    """`obj.<field>_en` for an English reader when it is written, else the Romanian text."""
    if (get_language() or "").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, f"{field}_ro", "")


# --- The guide's working copy ---------------------------------------------------------


class Chapter(models.Model):
    """A chapter of the guide's working copy, in order."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_ro = models.CharField(_("title (Romanian)"), max_length=TITLE_MAX_LENGTH)
    title_en = models.CharField(_("title (English)"), max_length=TITLE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title_ro

    @property
    def title(self) -> str:
        return in_language(self, "title")


class Section(models.Model):
    """A section of the guide's working copy. `key` is its stable address: help links
    (`{% guide_link "consultations" %}`) and counters use it."""

    chapter = models.ForeignKey(
        Chapter, on_delete=models.PROTECT, related_name="sections", verbose_name=_("chapter")
    )
    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        help_text=_("The section's address; keep it when the title changes."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_ro = models.CharField(_("title (Romanian)"), max_length=TITLE_MAX_LENGTH)
    title_en = models.CharField(_("title (English)"), max_length=TITLE_MAX_LENGTH, blank=True)
    body_ro = LimitedTextField(_("text (Romanian)"), max_length=BODY_MAX_LENGTH, html=True)
    body_en = LimitedTextField(
        _("text (English)"), max_length=BODY_MAX_LENGTH, html=True, blank=True
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["chapter__position", "chapter_id", "position", "pk"]

    def __str__(self):
        return self.title_ro

    def get_absolute_url(self):
        return reverse("guide:section", args=[self.key])

    @property
    def title(self) -> str:
        return in_language(self, "title")


class SectionImage(models.Model):
    """An image shown with a section; its alternative text is required in Romanian."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="guide/images/%Y/")
    alt_ro = models.CharField(_("alternative text (Romanian)"), max_length=300)
    alt_en = models.CharField(_("alternative text (English)"), max_length=300, blank=True)
    caption_ro = models.CharField(_("caption (Romanian)"), max_length=300, blank=True)
    caption_en = models.CharField(_("caption (English)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["position", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(alt_ro=""), name="guide_image_has_alt")]

    def __str__(self):
        return self.alt_ro

    @property
    def alt(self) -> str:
        return in_language(self, "alt")

    @property
    def caption(self) -> str:
        return in_language(self, "caption")


class TemplateFile(models.Model):
    """A downloadable template (an announcement, a synthesis, a debate's minutes)."""

    class Language(models.TextChoices):
        RO = "ro", _("Romanian")
        EN = "en", _("English")

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="templates", verbose_name=_("section")
    )
    title_ro = models.CharField(_("title (Romanian)"), max_length=TITLE_MAX_LENGTH)
    title_en = models.CharField(_("title (English)"), max_length=TITLE_MAX_LENGTH, blank=True)
    language = models.CharField(
        _("language of the file"), max_length=2, choices=Language.choices, default=Language.RO
    )
    file = models.FileField(_("file"), upload_to="guide/templates/%Y/")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("template")
        verbose_name_plural = _("templates")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title_ro

    def get_absolute_url(self):
        return reverse("guide:template-download", args=[self.pk])

    @property
    def title(self) -> str:
        return in_language(self, "title")


# --- Editions ---------------------------------------------------------------------------


class Edition(models.Model):
    """A published edition of the guide: a number, a date, a note of what changed, and
    a copy of every section as it was then (EditionSection)."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    note_ro = LimitedTextField(_("what changed (Romanian)"), max_length=COMMENT_MAX_LENGTH)
    note_en = LimitedTextField(
        _("what changed (English)"), max_length=COMMENT_MAX_LENGTH, blank=True
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pdf_ro = models.FileField(_("PDF (Romanian)"), upload_to="guide/pdf/", blank=True)
    pdf_en = models.FileField(_("PDF (English)"), upload_to="guide/pdf/", blank=True)

    PDF_FIELDS = {"ro": "pdf_ro", "en": "pdf_en"}

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-number"]

    def __str__(self):
        return str(self.number)

    def get_absolute_url(self):
        return reverse("guide:edition", args=[self.number])

    @property
    def note(self) -> str:
        return in_language(self, "note")


class EditionSection(models.Model):
    """A section as an edition published it (with its chapter's title and order)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sections")
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    chapter_key = models.SlugField(max_length=80)
    chapter_position = models.PositiveSmallIntegerField(default=0)
    chapter_title_ro = models.CharField(max_length=TITLE_MAX_LENGTH)
    chapter_title_en = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True)
    key = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    title_ro = models.CharField(max_length=TITLE_MAX_LENGTH)
    title_en = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True)
    body_ro = models.TextField()
    body_en = models.TextField(blank=True)
    # Title and text folded (conect.core.text.fold) for the search that ignores diacritics.
    search_ro = models.TextField(blank=True, editable=False)
    search_en = models.TextField(blank=True, editable=False)
    # The section's images and templates as the edition published them:
    # {"images": [{"name", "alt_ro", "alt_en", "caption_ro", "caption_en"}],
    #  "templates": [{"id", "title_ro", "title_en", "language"}]}; empty ({}) for the
    # editions published before they were recorded (the working copy's are shown then).
    attachments = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("section of an edition")
        verbose_name_plural = _("sections of an edition")
        ordering = ["chapter_position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "key"], name="guide_edition_section_key")
        ]

    def __str__(self):
        return f"{self.edition_id}: {self.key}"

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def chapter_title(self) -> str:
        return in_language(self, "chapter_title")

    @property
    def body(self) -> str:
        return in_language(self, "body")


class SectionFeedback(models.Model):
    """An answer to "Was this useful?" under a section, with an optional comment for the
    editors. Anonymous: who answered is not recorded."""

    section_key = models.SlugField(max_length=80, db_index=True)
    edition = models.ForeignKey(Edition, on_delete=models.SET_NULL, null=True, related_name="+")
    useful = models.BooleanField(_("useful"))
    comment = LimitedTextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("answer to “Was this useful?”")
        verbose_name_plural = _("answers to “Was this useful?”")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.section_key}: {self.useful}"


class SectionViewCount(models.Model):
    """How many times a section was read in a month: a counter, nothing about who."""

    section_key = models.SlugField(max_length=80)
    month = models.DateField()  # the first day of the month
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section_key", "month"], name="guide_view_count")
        ]

    def __str__(self):
        return f"{self.section_key} {self.month:%Y-%m}: {self.views}"


class DownloadCount(models.Model):
    """How many times an edition's PDF was downloaded in a month, by language."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="downloads")
    language = models.CharField(max_length=2)
    month = models.DateField()
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "language", "month"], name="guide_download_count"
            )
        ]

    def __str__(self):
        return f"{self.edition_id} {self.language} {self.month:%Y-%m}: {self.downloads}"


# --- Training sessions -----------------------------------------------------------------


class TrainingSession(models.Model):
    """A training session on the guide (or an event of the innovation network)."""

    class Audience(models.TextChoices):
        CIVIL_SERVANTS = "civil_servants", _("civil servants")
        NGOS = "ngos", _("NGOs")
        BOTH = "both", _("civil servants and NGOs")

    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("announced")
        CANCELLED = "cancelled", _("cancelled")

    topic = models.CharField(_("topic"), max_length=TITLE_MAX_LENGTH)
    description = LimitedTextField(
        _("description"), max_length=PRACTICE_TEXT_MAX_LENGTH, blank=True
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = SafeURLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    sections = models.ManyToManyField(
        Section, blank=True, related_name="training_sessions", verbose_name=_("sections covered")
    )
    trainers = models.CharField(_("trainers"), max_length=500)
    institution = models.ForeignKey(
        "registry.Institution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_sessions",
        verbose_name=_("organising institution"),
    )
    is_network_event = models.BooleanField(_("event of the innovation network"), default=False)
    feedback_survey = models.ForeignKey(
        "surveys.Survey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("feedback questionnaire"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ANNOUNCED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""), name="training_has_place_or_link"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="training_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="training_has_places"),
        ]

    def __str__(self):
        return self.topic

    def get_absolute_url(self):
        return reverse("guide:training-detail", args=[self.pk])

    @property
    def is_upcoming(self) -> bool:
        return self.starts_at > timezone.now()

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()


class Registration(models.Model):
    """A person's place at a training session: confirmed, on the waiting list, or
    cancelled. The waiting list moves up by order of registration."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_registrations"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    institution = models.ForeignKey(
        "registry.Institution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution represented"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation represented"),
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="training_one_registration")
        ]
        indexes = [models.Index(fields=["session", "status", "registered_at"])]

    def __str__(self):
        return f"{self.session_id}: {self.user_id} ({self.status})"


class TrainingFeedback(models.Model):
    """The short built-in feedback form an attendee fills in after the session."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(
        _("overall, how useful was the session?"), choices=[(n, str(n)) for n in range(1, 6)]
    )
    liked = LimitedTextField(_("what was most useful"), max_length=COMMENT_MAX_LENGTH, blank=True)
    improve = LimitedTextField(_("what should change"), max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("feedback on a training session")
        verbose_name_plural = _("feedback on training sessions")

    def __str__(self):
        return f"{self.registration_id}: {self.rating}"


# --- The library of good practices and the innovation network -------------------------


class Method(models.Model):
    """A participation method a practice can be tagged with (public debate, survey...)."""

    slug = models.SlugField(_("key"), max_length=80, unique=True)
    name_ro = models.CharField(_("name (Romanian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        verbose_name = _("method")
        verbose_name_plural = _("methods")
        ordering = ["name_ro"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")


class Practice(models.Model):
    """A good practice: how an institution involved citizens or NGOs or changed a
    service. Submitted by an institution or an NGO, published by a coordinator."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for publication")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("not published")

    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    problem = LimitedTextField(_("the problem"), max_length=PRACTICE_TEXT_MAX_LENGTH)
    what_was_done = LimitedTextField(_("what was done"), max_length=PRACTICE_TEXT_MAX_LENGTH)
    methods_text = LimitedTextField(
        _("how (methods)"), max_length=PRACTICE_TEXT_MAX_LENGTH, blank=True
    )
    results = LimitedTextField(_("results"), max_length=PRACTICE_TEXT_MAX_LENGTH)
    contact = models.CharField(_("contact"), max_length=300)
    institution = models.ForeignKey(
        "registry.Institution",
        on_delete=models.PROTECT,
        related_name="practices",
        verbose_name=_("institution"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name=_("submitting organisation"),
    )
    county = models.ForeignKey(
        "registry.County",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
    )
    consultations = models.ManyToManyField(
        "consultations.Consultation",
        blank=True,
        related_name="practices",
        verbose_name=_("consultations"),
    )
    proposals = models.ManyToManyField(
        "proposals.Proposal",
        blank=True,
        related_name="practices",
        verbose_name=_("citizens' proposals"),
    )
    domains = models.ManyToManyField(
        "registry.Domain", blank=True, related_name="practices", verbose_name=_("domains")
    )
    methods = models.ManyToManyField(
        Method, blank=True, related_name="practices", verbose_name=_("methods")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "county"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guide:practice-detail", args=[self.pk])


class PracticeDocument(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    file = models.FileField(_("file"), upload_to="guide/practices/%Y/")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["pk"]

    def __str__(self):
        return self.title


class NetworkMember(models.Model):
    """An institution or an organisation that joined the innovation network."""

    institution = models.OneToOneField(
        "registry.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_membership",
    )
    organisation = models.OneToOneField(
        "registry.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_membership",
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("member of the innovation network")
        verbose_name_plural = _("members of the innovation network")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False, organisation__isnull=True)
                | Q(institution__isnull=True, organisation__isnull=False),
                name="network_member_is_one_body",
            )
        ]

    def __str__(self):
        return str(self.institution or self.organisation)

    @property
    def body(self):
        return self.institution or self.organisation
