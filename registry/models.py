"""The civic registry: reference geography, domains, NGOs, public institutions,
relationship officials and advisory structures."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conect.core.collation import by_name
from conect.core.fields import LimitedTextField, SafeURLField
from conect.core.text import fold, sanitize_html
from conect.core.validators import (
    DESCRIPTION_MAX_LENGTH,
    DOCUMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    RECOMMENDATION_MAX_LENGTH,
)

from .validators import validate_fiscal_code


def translated_name(name_ro: str, name_en: str) -> str:
    """The name in the active language: the English one in English when there is one,
    else the Romanian (for rows read without their model, e.g. values_list)."""
    if (get_language() or "ro").startswith("en"):
        return name_en or name_ro
    return name_ro


class TranslatedNameMixin(models.Model):
    """Reference data named in both languages; `name` answers in the active one."""

    name_ro = models.CharField(_("name (Romanian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self):
        return translated_name(self.name_ro, self.name_en)


# --- Reference geography ----------------------------------------------------


class Region(models.Model):
    """One of Romania's 8 development regions (NUTS-2)."""

    code = models.CharField(_("NUTS-2 code"), max_length=4, unique=True)
    name = models.CharField(pgettext_lazy("legal entity", "name"), max_length=100)
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
    name = models.CharField(pgettext_lazy("legal entity", "name"), max_length=100)
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
        ordering = [by_name("name")]

    def __str__(self):
        return self.name


# --- Domains of activity ----------------------------------------------------


class Domain(TranslatedNameMixin):
    """A domain of activity (education, health, ...), shared by the whole platform.

    Coordinators keep the list; a domain no longer used is deactivated rather than
    deleted, so that the organisations and structures that named it keep it.
    """

    slug = models.SlugField(
        _("identifier"),
        max_length=60,
        unique=True,
        help_text=_("Used in addresses and in the API; lower-case letters, digits and hyphens."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive domains are no longer offered for new choices."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_("Lists show domains by position, then by name (e.g. “other” last)."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("domain of activity")
        verbose_name_plural = _("domains of activity")
        ordering = ["position", by_name("name_ro")]

    def __str__(self):
        return self.name


# --- Organisations ----------------------------------------------------------


def claim_proof_storage():
    # Issue 18: a claim's proof is private, served only to the coordinators by a view.
    from conect.core.storage import private_storage

    return private_storage()


class Organisation(models.Model):
    """A non-governmental organisation."""

    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("association")
        FOUNDATION = "foundation", _("foundation")
        FEDERATION = "federation", _("federation")
        UNION = "union", _("union")
        # Issue 18: the Ministry's register of foreign legal persons without patrimonial
        # purpose (branches of foreign associations and foundations).
        FOREIGN = "foreign", _("foreign legal person")

    class RegistryState(models.TextChoices):
        """The state the National NGO Registry gives ("Starea actuala"); never deleted."""

        ACTIVE = "active", _("active")
        IN_LIQUIDATION = "in_liquidation", _("in liquidation")
        DISSOLVED = "dissolved", _("dissolved")
        STRUCK_OFF = "struck_off", _("struck off")

    class Status(models.TextChoices):
        IMPORTED = "imported", _("imported")
        PENDING = "pending", _("pending verification")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")
        SUSPENDED = "suspended", _("suspended")

    class ActivityArea(models.TextChoices):
        LOCAL = "local", _("local")
        COUNTY = "county", _("county")
        REGIONAL = "regional", _("regional")
        NATIONAL = "national", _("national")

    # Statuses whose public fields anyone may see.
    PUBLIC_STATUSES = (Status.VERIFIED, Status.IMPORTED)

    name = models.CharField(pgettext_lazy("legal entity", "name"), max_length=300)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    # Unique when given. Organisations registered here always have one; records imported
    # from the National NGO Registry may not (its recent files carry no fiscal code).
    fiscal_code = models.CharField(
        _("fiscal code (CUI/CIF)"),
        max_length=12,
        blank=True,
        default="",
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
    website = SafeURLField(_("website"), blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    description = LimitedTextField(
        _("description"), blank=True, max_length=DESCRIPTION_MAX_LENGTH, html=True
    )
    domains = models.ManyToManyField(
        Domain, blank=True, related_name="organisations", verbose_name=_("domains of activity")
    )
    logo = models.ImageField(_("logo"), upload_to="logos/%Y/", blank=True)

    # --- Richer profile (issue 18): written by the organisation's administrators. ---
    activity_area = models.CharField(
        _("area of activity"), max_length=10, choices=ActivityArea.choices, blank=True
    )
    activity_counties = models.ManyToManyField(
        County,
        blank=True,
        related_name="active_organisations",
        verbose_name=_("counties where it works"),
    )
    activity_regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="active_organisations",
        verbose_name=_("development regions where it works"),
    )
    provides_social_services = models.BooleanField(
        _("provides accredited social services"), default=False
    )
    social_services_accreditation = models.CharField(
        _("accreditation certificate of the social services provider"),
        max_length=100,
        blank=True,
    )
    facebook_url = SafeURLField(_("Facebook page"), blank=True)
    instagram_url = SafeURLField(_("Instagram account"), blank=True)
    linkedin_url = SafeURLField(_("LinkedIn page"), blank=True)
    youtube_url = SafeURLField(_("YouTube channel"), blank=True)
    x_url = SafeURLField(_("X (Twitter) account"), blank=True)
    donation_url = SafeURLField(_("donation page"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_role = models.CharField(_("contact person's role"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact person's e-mail"), blank=True)
    contact_phone = models.CharField(_("contact person's phone"), max_length=30, blank=True)

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
    status_reason = LimitedTextField(
        _("reason for the status"), blank=True, max_length=REASON_MAX_LENGTH
    )
    # Who created the profile or claimed the imported record (shown to coordinators).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created or claimed by"),
    )
    # Set while a claim of an imported record waits for a coordinator.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # First verification: a suspended or wrongly claimed record returns to "verified"
    # when it has one, to "imported" otherwise.
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    # --- Issue 18: what the National NGO Registry says (the import writes these) ---
    registry_state = models.CharField(
        _("state in the National NGO Registry"),
        max_length=20,
        choices=RegistryState.choices,
        default=RegistryState.ACTIVE,
    )
    registration_year = models.PositiveSmallIntegerField(
        _("registration year"), null=True, blank=True
    )
    public_utility = models.BooleanField(_("recognised of public utility"), default=False)
    public_utility_decision = models.CharField(
        _("Government decision of public utility"), max_length=200, blank=True
    )
    public_utility_date = models.DateField(
        _("date of the public-utility decision"), null=True, blank=True
    )
    registry_country = models.CharField(_("country"), max_length=100, blank=True)
    # The name as the register writes it, folded: with the registry number, the key that
    # finds the record again in the next file, whatever its administrators renamed it to.
    registry_name_key = models.CharField(max_length=300, blank=True, editable=False)
    # A claim of a record without a fiscal code comes with a document that proves it (the
    # court's registration, the statute); the coordinators read it before verifying.
    claim_proof = models.FileField(
        _("proof of the claim"),
        upload_to="claims/%Y/%m/",
        storage=claim_proof_storage,
        blank=True,
        max_length=300,
    )
    # --- end of issue 18's fields ---

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

    history = HistoricalRecords(
        excluded_fields=["search_name", "search_vector", "updated_at"],
        m2m_fields=[domains, activity_counties, activity_regions],
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_code"],
                condition=~Q(fiscal_code=""),
                name="organisation_unique_fiscal_code",
                violation_error_message=_("An organisation with this fiscal code already exists."),
            ),
            # A registry number can be shared by several rows of the register (a row is a
            # filing): the number and the register's name together are one organisation.
            models.UniqueConstraint(
                fields=["registry_number", "registry_name_key"],
                condition=~Q(registry_number=""),
                name="organisation_unique_registry_number",
                violation_error_message=_(
                    "An organisation with this number in the National NGO Registry is "
                    "already registered."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "county"], name="org_status_county_idx"),
            models.Index(fields=["status", "created_at"], name="org_status_created_idx"),
            models.Index(fields=["updated_at"], name="org_updated_idx"),
            # The public list sorts by the folded name (diacritics do not change the order).
            models.Index(fields=["search_name", "id"], name="org_search_name_sort_idx"),
            # The verification queue, the longest waiting first (its ordering's expression).
            models.Index(
                F("status"),
                Coalesce("status_changed_at", "created_at"),
                F("id"),
                name="org_queue_waiting_idx",
            ),
            # Public lists filtered by county, legal form or both, by name; the API by id.
            models.Index(
                fields=["county", "search_name", "id"],
                condition=Q(status__in=["verified", "imported"]),
                name="org_public_county_name_idx",
            ),
            models.Index(
                fields=["legal_form", "search_name", "id"],
                condition=Q(status__in=["verified", "imported"]),
                name="org_public_form_name_idx",
            ),
            models.Index(
                fields=["county", "legal_form", "search_name", "id"],
                condition=Q(status__in=["verified", "imported"]),
                name="org_public_county_form_idx",
            ),
            models.Index(
                fields=["county", "id"],
                condition=Q(status__in=["verified", "imported"]),
                name="org_public_county_id_idx",
            ),
            # The home page's newest verified organisations.
            models.Index(
                F("verified_at").desc(),
                F("id").desc(),
                condition=Q(status="verified", verified_at__isnull=False),
                name="org_recently_verified_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:organisation-detail", args=[self.pk])

    @property
    def region(self):
        return self.county.region if self.county_id else None

    @property
    def is_public(self):
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_registry_active(self):
        return self.registry_state == self.RegistryState.ACTIVE

    @property
    def description_html(self):
        """The description with safe formatting only, ready for a template.

        Services already store it sanitised; sanitising again on display also covers rows
        written by other means (the import, the administration site)."""
        return mark_safe(sanitize_html(self.description))


class OrganisationMembership(models.Model):
    """A user who acts for an organisation."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("administrator")
        MEMBER = "member", _("member")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("member since"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="unique_org_member"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"


class OrganisationInvitation(models.Model):
    """An invitation, sent by e-mail, to join an organisation.

    The link in the e-mail carries a signed token made of the invitation's id and its
    `nonce`; sending the invitation again changes the nonce, which voids older links.
    Only a signed-in user with a verified e-mail address equal to `email` may accept.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=OrganisationMembership.Role.choices,
        default=OrganisationMembership.Role.MEMBER,
    )
    language = models.CharField(
        _("language of the e-mail"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    nonce = models.CharField(max_length=32, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation to an organisation")
        verbose_name_plural = _("invitations to organisations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True, declined_at__isnull=True)
                & Q(revoked_at__isnull=True),
                name="unique_open_org_invitation",
                violation_error_message=_("This address already has an open invitation."),
            ),
        ]
        indexes = [models.Index(fields=["email"], name="org_invitation_email_idx")]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        """Neither accepted, declined nor withdrawn (it may still have expired)."""
        return self.accepted_at is None and self.declined_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


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

    name = models.CharField(pgettext_lazy("legal entity", "name"), max_length=300)
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
    website = SafeURLField(_("website"), blank=True)
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
        ordering = [by_name("name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Kept here, not only in the services, so that every way in (import, admin,
        # fixtures) stays searchable.
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("registry:institution-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.level in (self.Level.COUNTY, self.Level.LOCAL) and not self.county_id:
            raise ValidationError(
                {"county": _("A county or local institution must have its county.")}
            )
        if self.parent_id and self.pk:
            # Walk up from the parent, as stored: meeting this institution would make a loop.
            seen, current = set(), self.parent_id
            while current is not None and current not in seen:
                if current == self.pk:
                    raise ValidationError(
                        {
                            "parent": _(
                                "An institution cannot be its own parent, directly or "
                                "through another institution."
                            )
                        }
                    )
                seen.add(current)
                current = (
                    Institution.objects.filter(pk=current)
                    .values_list("parent_id", flat=True)
                    .first()
                )

    @property
    def region(self):
        return self.county.region if self.county_id else None


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
        Institution,
        on_delete=models.CASCADE,
        related_name="staff_memberships",
        verbose_name=_("institution"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="institution_memberships",
        verbose_name=_("user"),
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
    decision_reason = LimitedTextField(_("reason"), blank=True, max_length=REASON_MAX_LENGTH)

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
    language = models.CharField(
        _("language of the e-mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # SHA-256 of the one-time links: the links themselves are only in the e-mails.
    consent_token = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    consent_expires_at = models.DateTimeField(
        _("agreement link valid until"), null=True, blank=True, editable=False
    )
    consent_requested_at = models.DateTimeField(
        _("agreement asked at"), null=True, blank=True, editable=False
    )
    consented_at = models.DateTimeField(_("agreed to publication at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined publication at"), null=True, blank=True)
    removal_token = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by_self = models.BooleanField(_("removed by the official"), default=False)
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

    history = HistoricalRecords(
        excluded_fields=["search_name", "updated_at", "consent_token", "removal_token"],
        m2m_fields=[domains, counties],
    )

    class Meta:
        verbose_name = _("relationship official")
        verbose_name_plural = _("relationship officials")
        ordering = [by_name("name")]

    def __str__(self):
        return f"{self.name} ({self.institution})"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("registry:official-detail", args=[self.pk])

    @property
    def is_published(self):
        return self.consented_at is not None and self.removed_at is None

    @property
    def consent_state(self) -> str:
        """removed, published, declined or awaiting: what the staff and the official see."""
        if self.removed_at is not None:
            return "removed"
        if self.consented_at is not None:
            return "published"
        if self.declined_at is not None:
            return "declined"
        return "awaiting"


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
    name = models.CharField(pgettext_lazy("legal entity", "name"), max_length=300)
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
    description = LimitedTextField(
        _("description"), blank=True, max_length=DESCRIPTION_MAX_LENGTH, html=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    search_name = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_name", "updated_at"], m2m_fields=[domains])

    class Meta:
        verbose_name = _("advisory structure")
        verbose_name_plural = _("advisory structures")
        ordering = [by_name("name")]
        indexes = [
            models.Index(fields=["status", "territorial_level"], name="structure_status_level_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("registry:structure-detail", args=[self.pk])

    def clean(self):
        super().clean()
        level = self.TerritorialLevel
        if self.territorial_level == level.NATIONAL:
            self.region, self.county = None, None
        elif self.territorial_level == level.REGIONAL:
            self.county = None
            if not self.region_id:
                raise ValidationError(
                    {"region": _("A regional structure must have its development region.")}
                )
        elif self.territorial_level in (level.COUNTY, level.LOCAL):
            if not self.county_id:
                raise ValidationError(
                    {"county": _("A county or local structure must have its county.")}
                )
            # The region always follows the county, so that filters by region find it.
            self.region_id = self.county.region_id

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


class Seat(models.Model):
    """A seat in an advisory structure, held by an organisation or an official."""

    class Role(models.TextChoices):
        PRESIDENT = "president", _("president")
        VICE_PRESIDENT = "vice_president", _("vice-president")
        SECRETARY = "secretary", _("secretary")
        MEMBER = "member", _("member")

    structure = models.ForeignKey(
        AdvisoryStructure,
        on_delete=models.CASCADE,
        related_name="seats",
        verbose_name=_("advisory structure"),
    )
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

    def clean(self):
        super().clean()
        errors = {}
        if bool(self.organisation_id) == bool(self.official_id):
            errors["__all__"] = _(
                "A seat is held by exactly one organisation or one official: choose one of them."
            )
        if self.mandate_start and self.mandate_end and self.mandate_end < self.mandate_start:
            errors["mandate_end"] = _("The mandate cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.mandate_start <= on and (self.mandate_end is None or self.mandate_end >= on)

    @property
    def holder(self):
        return self.organisation or self.official


class MembershipCall(models.Model):
    """A call for members of an advisory structure, which verified NGOs apply to."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        DECIDED = "decided", _("decided")

    structure = models.ForeignKey(
        AdvisoryStructure,
        on_delete=models.CASCADE,
        related_name="calls",
        verbose_name=_("advisory structure"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = LimitedTextField(
        _("description"), blank=True, max_length=DESCRIPTION_MAX_LENGTH, html=True
    )
    seats_available = models.PositiveSmallIntegerField(_("seats available"), default=1)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

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

    def get_absolute_url(self):
        return reverse("registry:call-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("The call cannot close before it opens.")})

    def is_open(self, on=None) -> bool:
        """Open to applications: not closed by the institution, and today within its dates."""
        on = on or timezone.localdate()
        return self.status == self.Status.OPEN and self.opens_on <= on <= self.closes_on


class MembershipApplication(models.Model):
    """An organisation's application to a call for members."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    call = models.ForeignKey(
        MembershipCall,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("call for members"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("organisation"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    motivation = LimitedTextField(_("motivation"), max_length=DESCRIPTION_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = LimitedTextField(_("reason"), blank=True, max_length=REASON_MAX_LENGTH)
    seat = models.OneToOneField(
        Seat,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("seat obtained"),
    )

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
        AdvisoryStructure,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("advisory structure"),
    )
    held_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_link = SafeURLField(_("online link"), blank=True)
    agenda = LimitedTextField(_("agenda"), max_length=RECOMMENDATION_MAX_LENGTH, html=True)
    minutes = LimitedTextField(_("minutes"), blank=True, max_length=DOCUMENT_MAX_LENGTH, html=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_at"]

    def __str__(self):
        return f"{self.structure} — {self.held_at:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if not self.location and not self.online_link:
            raise ValidationError(_("Give the place of the meeting, its online link, or both."))


# --- Imports of the National NGO Registry -----------------------------------


def _import_storage():
    # Uploaded registry files and error reports are served only through a view that checks
    # the permission, never from MEDIA_ROOT (which a web server may publish as it is).
    from conect.core.storage import private_storage

    return private_storage()


class ImportJob(models.Model):
    """One import of a National NGO Registry file, uploaded by a coordinator (or run from
    the command line), with its progress, its counts and its per-row error report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("finished")
        FAILED = "failed", _("failed")

    FINISHED_STATUSES = (Status.SUCCEEDED, Status.FAILED)

    source_file = models.FileField(
        _("registry file"), upload_to="imports/%Y/%m/", storage=_import_storage, max_length=300
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    dry_run = models.BooleanField(_("dry run (check only, change nothing)"), default=False)
    default_legal_form = models.CharField(
        _("legal form of rows that do not state one"),
        max_length=20,
        choices=Organisation.LegalForm.choices,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=5, blank=True)
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    error_report = models.FileField(
        _("error report"),
        upload_to="imports/errors/%Y/%m/",
        storage=_import_storage,
        blank=True,
        max_length=300,
    )
    failure_reason = models.TextField(_("reason of the failure"), blank=True)
    # Issue 18: the Ministry's XLSX files and the summary of what an import changed.
    file_format = models.CharField(_("file format"), max_length=10, blank=True)
    extract_date = models.DateField(_("date of the extract"), null=True, blank=True)
    missing_count = models.PositiveIntegerField(_("no longer in the file"), default=0)
    repeat_count = models.PositiveIntegerField(_("repeated registry numbers"), default=0)
    conflict_count = models.PositiveIntegerField(_("conflicts with claimed profiles"), default=0)
    summary_report = models.FileField(
        _("summary of the changes"),
        upload_to="imports/summaries/%Y/%m/",
        storage=_import_storage,
        blank=True,
        max_length=300,
    )

    class Meta:
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["-created_at"], name="importjob_created_idx")]

    def __str__(self):
        return f"{self.original_name} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("registry:import-detail", args=[self.pk])

    @property
    def is_finished(self):
        return self.status in self.FINISHED_STATUSES

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.processed_rows * 100 // self.total_rows)


class SetAsideRow(models.Model):
    """A row of a registry file set aside for a coordinator's review (its name is a court
    ruling's text): kept once per registry number and text, whatever the number of
    imports that meet it, until a coordinator dismisses it or imports it under a name."""

    class Status(models.TextChoices):
        PENDING = "pending", _("to review")
        DISMISSED = "dismissed", _("dismissed, nothing created")
        IMPORTED = "imported", _("imported as an organisation")

    job = models.ForeignKey(
        ImportJob,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="set_aside_rows",
        verbose_name=_("import"),
    )
    row = models.PositiveIntegerField(_("row"))
    registry_number = models.CharField(_("registry number"), max_length=50, blank=True)
    text = models.TextField(_("text in the name's column"))
    # sha256 of the folded text: with the number, what finds the row again in a later file.
    text_key = models.CharField(max_length=64, editable=False)
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=Organisation.LegalForm.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("set aside at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("row set aside for review")
        verbose_name_plural = _("rows set aside for review")
        constraints = [
            models.UniqueConstraint(
                fields=["registry_number", "text_key"], name="set_aside_row_once"
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="set_aside_status_idx")]

    def __str__(self):
        return f"{self.registry_number or '—'}: {self.text[:80]}"


# --- Richer profiles (issue 18) ---------------------------------------------


class ContentLanguage(models.TextChoices):
    """The language a text was written in: shown as written, never machine-translated
    (pages mark it with `lang` so that screen readers read it right)."""

    ROMANIAN = "ro", _("Romanian")
    ENGLISH = "en", _("English")
    HUNGARIAN = "hu", _("Hungarian")
    GERMAN = "de", _("German")


class OrganisationAffiliation(models.Model):
    """A federation, coalition or network the organisation belongs to: a linked record
    when that one is in the registry, else only its name."""

    class Kind(models.TextChoices):
        FEDERATION = "federation", _("federation")
        COALITION = "coalition", _("coalition")
        NETWORK = "network", _("network")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="affiliated_members",
        verbose_name=_("federation or coalition in the registry"),
    )
    name = models.CharField(_("name of the federation or coalition"), max_length=300, blank=True)
    website = SafeURLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("federation or coalition membership")
        verbose_name_plural = _("federation and coalition memberships")
        ordering = ["kind", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | ~Q(name=""),
                name="affiliation_parent_or_name",
            ),
            models.UniqueConstraint(
                fields=["organisation", "parent"],
                condition=Q(parent__isnull=False),
                name="affiliation_unique_parent",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.parent.name if self.parent_id else self.name


class OrganisationBranch(models.Model):
    """A branch (subsidiary or local office) of an organisation."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="branches",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name of the branch"), max_length=300)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("county"),
    )
    locality = models.CharField(_("locality"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class OrganisationActivity(models.Model):
    """A project, an event or a call for volunteers of an organisation: public when its
    organisation is, listed on its page and in the registry's lists, the map and the API.
    Written in one language, shown in it."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("project")
        EVENT = "event", _("event")
        VOLUNTEERING = "volunteering", _("call for volunteers")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = LimitedTextField(_("description"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    language = models.CharField(
        _("language of the text"),
        max_length=5,
        choices=ContentLanguage.choices,
        default=ContentLanguage.ROMANIAN,
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    domain = models.ForeignKey(
        Domain,
        on_delete=models.SET_NULL,
        null=True,
        related_name="activities",
        verbose_name=_("domain of activity"),
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("county"),
    )
    locality = models.CharField(_("locality"), max_length=120, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    link = SafeURLField(_("web page"), blank=True)
    volunteers_needed = models.PositiveSmallIntegerField(
        _("volunteers needed"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    # The title, locality and description folded (lower case, no diacritics).
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="activity_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "starts_on", "id"], name="activity_kind_start_idx"),
            models.Index(fields=["kind", "county", "starts_on"], name="activity_kind_county_idx"),
            models.Index(fields=["organisation", "kind"], name="activity_org_kind_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("registry:activity-detail", args=[self.pk])


# --- Representative selection (issue 18) ------------------------------------


class SelectionStage(models.TextChoices):
    """The steps of choosing NGO representatives through a call for members. The
    allowed moves between them are listed once, in registry/services/calls.py."""

    REGISTRATION = "registration", _("registration")
    EVALUATION = "evaluation", _("evaluation")
    APPEALS = "appeals", _("provisional results, appeals open")
    FINAL = "final", _("final results")
    VOTING = "voting", _("vote of the organisations")
    COMPLETED = "completed", _("vote results published")


class CallSelection(models.Model):
    """How a call for members chooses its representatives: eligibility criteria, the
    step it is at, the appeals window and whether the eligible organisations vote."""

    call = models.OneToOneField(
        MembershipCall,
        on_delete=models.CASCADE,
        related_name="selection",
        verbose_name=_("call for members"),
    )
    stage = models.CharField(
        _("step"),
        max_length=15,
        choices=SelectionStage.choices,
        default=SelectionStage.REGISTRATION,
    )
    eligibility_criteria = LimitedTextField(
        _("eligibility criteria"), blank=True, max_length=DESCRIPTION_MAX_LENGTH
    )
    has_vote = models.BooleanField(_("the eligible organisations vote for the candidates"))
    appeals_until = models.DateField(_("appeals accepted until"), null=True, blank=True)
    vote_until = models.DateField(_("vote open until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("selection of representatives")
        verbose_name_plural = _("selections of representatives")

    def __str__(self):
        return str(self.call)

    def get_absolute_url(self):
        return reverse("registry:call-selection", args=[self.call_id])


class ApplicationEvaluation(models.Model):
    """The institution's evaluation of one application: admitted or not, a score and/or
    the reasons."""

    application = models.OneToOneField(
        MembershipApplication,
        on_delete=models.CASCADE,
        related_name="evaluation",
        verbose_name=_("application"),
    )
    admitted = models.BooleanField(_("admitted"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    reasons = LimitedTextField(_("reasons"), blank=True, max_length=REASON_MAX_LENGTH)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("evaluated by"),
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return str(self.application)


class SelectionAppeal(models.Model):
    """An applicant's appeal against the provisional result, and its decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        UPHELD = "upheld", _("upheld")
        DISMISSED = "dismissed", _("dismissed")

    application = models.OneToOneField(
        MembershipApplication,
        on_delete=models.CASCADE,
        related_name="appeal",
        verbose_name=_("application"),
    )
    reasons = LimitedTextField(_("reasons of the appeal"), max_length=REASON_MAX_LENGTH)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decision_reasons = LimitedTextField(
        _("reasons of the decision"), blank=True, max_length=REASON_MAX_LENGTH
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self):
        return str(self.application)


class CandidateVote(models.Model):
    """One organisation's vote for a candidate of a call: one per organisation."""

    call = models.ForeignKey(
        MembershipCall,
        on_delete=models.CASCADE,
        related_name="votes",
        verbose_name=_("call for members"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="candidate_votes",
        verbose_name=_("voting organisation"),
    )
    candidate = models.ForeignKey(
        MembershipApplication,
        on_delete=models.CASCADE,
        related_name="votes",
        verbose_name=_("candidate"),
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("cast by"),
    )
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation"], name="one_vote_per_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.candidate.organisation}"


class SelectionEvent(models.Model):
    """A step of a selection, kept in its structure's history."""

    class Kind(models.TextChoices):
        SETUP = "setup", _("selection rules set")
        EXTENDED = "extended", _("registration extended")
        EVALUATION = "evaluation", _("registration closed, evaluation started")
        PROVISIONAL = "provisional", _("provisional results published")
        APPEAL_FILED = "appeal_filed", _("appeal filed")
        APPEAL_DECIDED = "appeal_decided", _("appeal decided")
        FINAL = "final", _("final results published")
        VOTE_OPENED = "vote_opened", _("vote opened")
        VOTE_RESULTS = "vote_results", _("vote results published")

    structure = models.ForeignKey(
        AdvisoryStructure,
        on_delete=models.CASCADE,
        related_name="selection_events",
        verbose_name=_("advisory structure"),
    )
    call = models.ForeignKey(
        MembershipCall,
        on_delete=models.CASCADE,
        related_name="selection_events",
        verbose_name=_("call for members"),
    )
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    detail = models.CharField(_("details"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("selection step")
        verbose_name_plural = _("selection steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.call}"
