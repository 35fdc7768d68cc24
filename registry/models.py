"""The civic registry: reference geography, domains, NGOs, public institutions,
relationship officials and advisory structures."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .validators import validate_fiscal_code


class TranslatedNameMixin(models.Model):
    """Reference data named in both languages; `name` answers in the active one."""

    name_ro = models.CharField(_("name (Romanian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self):
        if (get_language() or "ro").startswith("en"):
            return self.name_en or self.name_ro
        return self.name_ro


# --- Reference geography ----------------------------------------------------


class Region(models.Model):
    """One of Romania's 8 development regions (NUTS-2)."""

    code = models.CharField(_("NUTS-2 code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"))

    class Meta:
        verbose_name = _("development region")
        verbose_name_plural = _("development regions")
        ordering = ["code"]

    def __str__(self):
        return self.name


class County(models.Model):
    """One of Romania's 41 counties or the Municipality of Bucharest (NUTS-3)."""

    code = models.CharField(_("NUTS-3 code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    vehicle_code = models.CharField(_("vehicle code"), max_length=2, unique=True)
    siruta = models.PositiveIntegerField(_("SIRUTA code"), unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="counties", verbose_name=_("region")
    )
    population = models.PositiveIntegerField(_("population (2021 census)"))
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"))

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["name"]

    def __str__(self):
        return self.name


# --- Domains of activity ----------------------------------------------------


class Domain(TranslatedNameMixin):
    """A domain of activity (education, health, ...), shared by the whole platform."""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("domain of activity")
        verbose_name_plural = _("domains of activity")
        ordering = ["name_ro"]

    def __str__(self):
        return self.name


# --- Organisations ----------------------------------------------------------


class Organisation(models.Model):
    """A non-governmental organisation."""

    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("association")
        FOUNDATION = "foundation", _("foundation")
        FEDERATION = "federation", _("federation")
        UNION = "union", _("union")

    class Status(models.TextChoices):
        IMPORTED = "imported", _("imported")
        PENDING = "pending", _("pending verification")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")
        SUSPENDED = "suspended", _("suspended")

    # Statuses whose public fields anyone may see.
    PUBLIC_STATUSES = (Status.VERIFIED, Status.IMPORTED)

    name = models.CharField(_("name"), max_length=300)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    fiscal_code = models.CharField(
        _("fiscal code (CUI/CIF)"),
        max_length=12,
        unique=True,
        validators=[validate_fiscal_code],
    )
    registry_number = models.CharField(
        _("number in the National NGO Registry"), max_length=40, blank=True, default=""
    )
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("county"),
    )
    locality = models.CharField(_("locality"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    domains = models.ManyToManyField(
        Domain, blank=True, related_name="organisations", verbose_name=_("domains of activity")
    )
    logo = models.ImageField(_("logo"), upload_to="logos/%Y/", blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)

    # Search support: the name and description folded (lower case, no diacritics).
    search_name = models.CharField(max_length=300, blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="OrganisationMembership",
        related_name="organisations",
        verbose_name=_("members"),
    )

    history = HistoricalRecords(excluded_fields=["search_name", "search_vector", "updated_at"])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["registry_number"],
                condition=~Q(registry_number=""),
                name="organisation_unique_registry_number",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "county"], name="org_status_county_idx"),
            models.Index(fields=["status", "created_at"], name="org_status_created_idx"),
            models.Index(fields=["updated_at"], name="org_updated_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:organisation-detail", kwargs={"pk": self.pk})

    @property
    def region(self):
        return self.county.region if self.county_id else None

    @property
    def is_public(self):
        return self.status in self.PUBLIC_STATUSES


class OrganisationMembership(models.Model):
    """A user who acts for an organisation."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("administrator")
        MEMBER = "member", _("member")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="unique_org_member"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"


# --- Public institutions ----------------------------------------------------


class Institution(models.Model):
    """A public institution: ministry, agency, prefecture, county council, city hall..."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        CENTRAL_AGENCY = "central_agency", _("central agency")
        PREFECTURE = "prefecture", _("prefecture")
        COUNTY_COUNCIL = "county_council", _("county council")
        CITY_HALL = "city_hall", _("city hall")
        OTHER = "other", _("other")

    class Level(models.TextChoices):
        CENTRAL = "central", _("central")
        COUNTY = "county", _("county")
        LOCAL = "local", _("local")

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        verbose_name=_("county"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent institution"),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    is_general_secretariat = models.BooleanField(
        _("General Secretariat of the Government"), default=False, editable=False
    )
    search_name = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="InstitutionStaff",
        through_fields=("institution", "user"),
        related_name="institutions",
        verbose_name=_("staff"),
    )

    history = HistoricalRecords(excluded_fields=["search_name", "updated_at"])

    class Meta:
        verbose_name = _("public institution")
        verbose_name_plural = _("public institutions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:institution-detail", kwargs={"pk": self.pk})


class InstitutionStaff(models.Model):
    """A civil servant's place in an institution; approved before it counts."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("administrator")
        MEMBER = "member", _("member")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="staff_memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="institution_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    position = models.CharField(_("position"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("institution staff member")
        verbose_name_plural = _("institution staff")
        constraints = [
            models.UniqueConstraint(fields=["institution", "user"], name="unique_inst_staff"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.institution}"


# --- Relationship officials -------------------------------------------------


class RelationshipOfficial(models.Model):
    """The person an institution names for its relationship with civil society.

    Only professional data. Published only after the official has agreed (consented_at),
    and never after removal.
    """

    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="officials",
        verbose_name=_("institution"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="official_roles",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=200)
    email = models.EmailField(_("professional e-mail"))
    phone = models.CharField(_("professional phone"), max_length=30, blank=True)
    domains = models.ManyToManyField(
        Domain, blank=True, related_name="officials", verbose_name=_("domains covered")
    )
    counties = models.ManyToManyField(
        County, blank=True, related_name="officials", verbose_name=_("counties covered")
    )
    consent_token = models.CharField(max_length=64, blank=True, editable=False)
    consented_at = models.DateTimeField(_("agreed to publication at"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    search_name = models.CharField(max_length=150, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_name", "updated_at", "consent_token"])

    class Meta:
        verbose_name = _("relationship official")
        verbose_name_plural = _("relationship officials")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.institution})"

    def get_absolute_url(self):
        return reverse("registry:official-detail", kwargs={"pk": self.pk})

    @property
    def is_published(self):
        return self.consented_at is not None and self.removed_at is None


# --- Advisory structures ----------------------------------------------------


class AdvisoryStructure(models.Model):
    """A consultative council, committee, working group or social dialogue committee."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("consultative council")
        COMMITTEE = "committee", _("committee")
        WORKING_GROUP = "working_group", _("working group")
        SOCIAL_DIALOGUE = "social_dialogue", _("social dialogue committee")
        OTHER = "other", _("other")

    class TerritorialLevel(models.TextChoices):
        NATIONAL = "national", _("national")
        REGIONAL = "regional", _("regional")
        COUNTY = "county", _("county")
        LOCAL = "local", _("local")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        DISSOLVED = "dissolved", _("dissolved")

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="advisory_structures",
        verbose_name=_("owning institution"),
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    domains = models.ManyToManyField(
        Domain, blank=True, related_name="advisory_structures", verbose_name=_("domains")
    )
    territorial_level = models.CharField(
        _("territorial level"), max_length=10, choices=TerritorialLevel.choices
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advisory_structures",
        verbose_name=_("region"),
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advisory_structures",
        verbose_name=_("county"),
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    search_name = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_name", "updated_at"])

    class Meta:
        verbose_name = _("advisory structure")
        verbose_name_plural = _("advisory structures")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:structure-detail", kwargs={"pk": self.pk})


class Seat(models.Model):
    """A seat in an advisory structure, held by an organisation or an official."""

    class Role(models.TextChoices):
        PRESIDENT = "president", _("president")
        VICE_PRESIDENT = "vice_president", _("vice-president")
        SECRETARY = "secretary", _("secretary")
        MEMBER = "member", _("member")

    structure = models.ForeignKey(AdvisoryStructure, on_delete=models.CASCADE, related_name="seats")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="seats",
        verbose_name=_("organisation"),
    )
    official = models.ForeignKey(
        RelationshipOfficial,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="seats",
        verbose_name=_("official"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    mandate_start = models.DateField(_("mandate from"))
    mandate_end = models.DateField(_("mandate to"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["structure", "role", "mandate_start"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organisation__isnull=False, official__isnull=True)
                    | Q(organisation__isnull=True, official__isnull=False)
                ),
                name="seat_held_by_exactly_one",
            ),
            models.CheckConstraint(
                condition=Q(mandate_end__isnull=True)
                | Q(mandate_end__gte=models.F("mandate_start")),
                name="seat_mandate_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.organisation or self.official}"


class MembershipCall(models.Model):
    """A call for members of an advisory structure, which verified NGOs apply to."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        DECIDED = "decided", _("decided")

    structure = models.ForeignKey(AdvisoryStructure, on_delete=models.CASCADE, related_name="calls")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    seats_available = models.PositiveSmallIntegerField(_("seats available"), default=1)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("call for members")
        verbose_name_plural = _("calls for members")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="call_closes_after_open"
            ),
        ]

    def __str__(self):
        return self.title


class MembershipApplication(models.Model):
    """An organisation's application to a call for members."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    call = models.ForeignKey(MembershipCall, on_delete=models.CASCADE, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="applications"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    motivation = models.TextField(_("motivation"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("reason"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["call", "organisation"], name="unique_application"),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.call}"


class Meeting(models.Model):
    """A meeting of an advisory structure, with its agenda and minutes."""

    structure = models.ForeignKey(
        AdvisoryStructure, on_delete=models.CASCADE, related_name="meetings"
    )
    held_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("place or online link"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_at"]

    def __str__(self):
        return f"{self.structure} — {self.held_at:%Y-%m-%d}"
