"""Writes to organisations (NGOs), their members and invitations.

Every function takes keyword arguments, the acting user as `actor` (recorded in the
history), validates with `full_clean()` and writes inside a transaction. Side effects
are written out here: the folded search name and search vector, the statistics version
(status or county changed) and the e-mails, sent after commit, once per idempotency key.

Services check the business rules (the last administrator, a claim of an organisation
that has one, transitions between statuses); the caller checks the permission
(`registry.change_organisation`, `registry.manage_members`, `registry.verify_organisation`).
"""

import io
import logging
import secrets
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from conect.accounts.models import User
from conect.accounts.rules import is_coordinator
from conect.core import outbox
from conect.core.emails import enqueue_email, render_email
from conect.core.models import SentEmail
from conect.core.site import absolute_url
from conect.core.text import fix_diacritics, fold, sanitize_html

from ..models import Organisation, OrganisationInvitation, OrganisationMembership
from ..rules.organisations import forget_organisation_roles
from ..search import update_organisation_vectors
from ..stats import bump_stats_version
from ..validators import normalize_fiscal_code, validate_fiscal_code
from .profiles import touch_organisations

logger = logging.getLogger(__name__)

Status = Organisation.Status
Role = OrganisationMembership.Role

# --- Statuses ----------------------------------------------------------------------

# Every change of status, in one place: action → (statuses it starts from, status it
# leads to). PUBLIC_AGAIN means "back to the record's public status": verified when it
# was ever verified, imported otherwise.
PUBLIC_AGAIN = "public-again"
TRANSITIONS: dict[str, tuple[frozenset, str]] = {
    # A user claims an imported record (or a verified one left without administrator).
    "claim": (frozenset({Status.IMPORTED, Status.VERIFIED}), Status.PENDING),
    # A coordinator verifies a pending profile, or reconsiders a rejected one.
    "verify": (frozenset({Status.PENDING, Status.REJECTED}), Status.VERIFIED),
    # A coordinator rejects a pending profile. A rejected *claim* does not hide the
    # imported record: it returns to its public status and the claimant loses the role.
    "reject": (frozenset({Status.PENDING}), Status.REJECTED),
    # A coordinator suspends an organisation that may act; it can no longer act.
    "suspend": (frozenset({Status.VERIFIED, Status.IMPORTED}), Status.SUSPENDED),
    # A coordinator lifts the suspension.
    "reinstate": (frozenset({Status.SUSPENDED}), PUBLIC_AGAIN),
}
COORDINATOR_ACTIONS = ("verify", "reject", "suspend", "reinstate")
REASON_REQUIRED = {"reject", "suspend"}


def allowed_actions(organisation: Organisation) -> list[str]:
    """The coordinator actions that the organisation's status allows, in display order."""
    return [a for a in COORDINATOR_ACTIONS if organisation.status in TRANSITIONS[a][0]]


def _transition_error(action: str) -> ValidationError:
    messages = {
        "claim": _("This organisation cannot be claimed in its current state."),
        "verify": _(
            "Only an organisation that is pending verification or was rejected can be verified."
        ),
        "reject": _("Only an organisation that is pending verification can be rejected."),
        "suspend": _("Only a verified or imported organisation can be suspended."),
        "reinstate": _("Only a suspended organisation can be reinstated."),
    }
    return ValidationError(messages[action], code="invalid_transition")


def _public_status(organisation: Organisation) -> str:
    return Status.VERIFIED if organisation.verified_at else Status.IMPORTED


# --- Profile fields ----------------------------------------------------------------

PROFILE_FIELDS = (
    "name",
    "legal_form",
    "fiscal_code",
    "registry_number",
    "registration_date",
    "county",
    "locality",
    "address",
    "latitude",
    "longitude",
    "website",
    "email",
    "phone",
    "description",
)
# Fields that say which legal entity the profile is. Once a coordinator has checked them
# (verified or imported records), only a coordinator changes them.
IDENTITY_FIELDS = ("name", "legal_form", "fiscal_code", "registry_number", "registration_date")
WRITABLE = (*PROFILE_FIELDS, "domains", "logo")
ATTNAMES = {"county": "county_id"}

# Romania's bounding box, generously: coordinates outside it are a typing mistake.
LATITUDE_RANGE = (Decimal("43.5"), Decimal("48.3"))
LONGITUDE_RANGE = (Decimal("20.2"), Decimal("29.8"))

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 40_000_000
LOGO_MAX_SIDE = 1024
# Pillow format → (format written, extension). GIF becomes PNG (first frame only).
LOGO_FORMATS = {
    "PNG": ("PNG", "png"),
    "JPEG": ("JPEG", "jpg"),
    "GIF": ("PNG", "png"),
    "WEBP": ("WEBP", "webp"),
}


def _check_fields(fields: dict, function: str) -> None:
    unknown = set(fields) - set(WRITABLE)
    if unknown:
        raise TypeError(f"{function}() got unexpected fields: {sorted(unknown)}")


def _clean_text(value) -> str:
    return " ".join(fix_diacritics(value or "").split())


def _normalise(organisation: Organisation) -> None:
    """Tidy what people type: spaces, cedilla diacritics, the RO prefix, a web address
    without its scheme, and HTML in the description."""
    org = organisation
    org.name = _clean_text(org.name)
    org.fiscal_code = normalize_fiscal_code(org.fiscal_code)
    org.registry_number = " ".join((org.registry_number or "").split())
    org.locality = _clean_text(org.locality)
    org.address = _clean_text(org.address)
    org.phone = " ".join((org.phone or "").split())
    org.email = (org.email or "").strip().lower()
    website = (org.website or "").strip()
    if website and "://" not in website:
        website = f"https://{website}"
    org.website = website
    org.description = sanitize_html(fix_diacritics(org.description or "")).strip()
    org.search_name = fold(org.name)[:300]


def _validate(organisation: Organisation) -> None:
    """Every check, with field-named messages, before anything is written."""
    org = organisation
    errors: dict[str, list] = {}
    try:
        validate_fiscal_code(org.fiscal_code)
    except ValidationError as exc:
        errors.setdefault("fiscal_code", []).extend(exc.messages)
    else:
        if Organisation.objects.filter(fiscal_code=org.fiscal_code).exclude(pk=org.pk).exists():
            errors.setdefault("fiscal_code", []).append(
                _(
                    "An organisation with this fiscal code is already registered. If it is "
                    "yours, claim it instead of creating a new profile."
                )
            )
    if (
        org.registry_number
        and Organisation.objects.filter(registry_number=org.registry_number)
        .exclude(pk=org.pk)
        .exists()
    ):
        errors.setdefault("registry_number", []).append(
            _(
                "An organisation with this number in the National NGO Registry is already "
                "registered."
            )
        )
    if org.registration_date and org.registration_date > date.today():
        errors.setdefault("registration_date", []).append(
            _("The registration date cannot be in the future.")
        )
    has_lat, has_lon = org.latitude is not None, org.longitude is not None
    if has_lat != has_lon:
        errors.setdefault("longitude" if has_lat else "latitude", []).append(
            _("Give both the latitude and the longitude, or neither.")
        )
    elif has_lat and not (
        LATITUDE_RANGE[0] <= Decimal(org.latitude) <= LATITUDE_RANGE[1]
        and LONGITUDE_RANGE[0] <= Decimal(org.longitude) <= LONGITUDE_RANGE[1]
    ):
        errors.setdefault("latitude", []).append(_("These coordinates are not in Romania."))
    if errors:
        raise ValidationError(errors)
    org.full_clean(validate_unique=False, validate_constraints=False)


def process_logo(upload) -> ContentFile:
    """Check that the upload is a real PNG, JPEG, GIF or WebP image of at most 2 MB, by its
    content (not its name), and re-encode it at most 1024 pixels wide or high. The
    re-encoding drops anything hidden in the file and its metadata (EXIF, location)."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > LOGO_MAX_BYTES:
        raise ValidationError(
            {
                "logo": _("The logo is too large (%(size)s MB): it may be at most %(max)s MB.")
                % {"size": f"{size / 1024 / 1024:.1f}", "max": LOGO_MAX_BYTES // 1024 // 1024}
            },
            code="logo_too_large",
        )
    not_an_image = ValidationError(
        {"logo": _("The logo must be a PNG, JPEG, GIF or WebP image; this file is not one.")},
        code="logo_not_image",
    )
    try:
        upload.seek(0)
        probe = Image.open(upload)
        probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in LOGO_FORMATS:
            raise not_an_image
        width, height = image.size
        if width * height > LOGO_MAX_PIXELS:
            raise ValidationError(
                {
                    "logo": _(
                        "The logo has too many pixels; use an image of at most 4000 by 4000 pixels."
                    )
                },
                code="logo_too_many_pixels",
            )
        image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    out_format, extension = LOGO_FORMATS[image.format]
    image = ImageOps.exif_transpose(image)
    image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    if out_format == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    buffer = io.BytesIO()
    image.save(buffer, format=out_format, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"logo-{secrets.token_hex(6)}.{extension}")


def _set_domains(organisation: Organisation, domains) -> None:
    # The history records the domains with the save that follows, as one version.
    organisation.skip_history_when_saving = True
    try:
        organisation.domains.set(list(domains))
    finally:
        del organisation.skip_history_when_saving


def _after_write(organisation: Organisation, *, stats_changed: bool) -> None:
    update_organisation_vectors([organisation.pk])
    if stats_changed:
        bump_stats_version()


def _save_unique(organisation: Organisation, **kwargs) -> None:
    """Save; a row written by someone else in the meantime gives the same message as
    the check before."""
    try:
        with transaction.atomic():
            organisation.save(**kwargs)
    except IntegrityError:
        _validate(organisation)  # names the duplicate field when it can
        raise


# --- Creating and editing ----------------------------------------------------------


def organisation_create(
    *, actor: User, name: str, legal_form: str, fiscal_code: str, **fields
) -> Organisation:
    """A verified user registers an organisation: its profile is pending verification
    and the user becomes its administrator.

    Optional fields: registry_number, registration_date, county, locality, address,
    latitude, longitude, website, email, phone, description, domains, logo.
    """
    _check_fields(fields, "organisation_create")
    domains = fields.pop("domains", ())
    logo = fields.pop("logo", None)
    now = timezone.now()
    organisation = Organisation(
        name=name,
        legal_form=legal_form,
        fiscal_code=fiscal_code,
        status=Status.PENDING,
        status_changed_at=now,
        status_changed_by=actor,
        created_by=actor,
        **fields,
    )
    _normalise(organisation)
    _validate(organisation)
    if logo:
        organisation.logo = process_logo(logo)
    organisation._history_user = actor
    with transaction.atomic():
        _save_unique(organisation)
        if domains:
            organisation.domains.set(list(domains))
        membership = OrganisationMembership(
            organisation=organisation, user=actor, role=Role.ADMIN, created_at=now
        )
        membership._history_user = actor
        membership.save()
        _after_write(organisation, stats_changed=True)
    forget_organisation_roles(actor)
    return organisation


def organisation_update(*, organisation: Organisation, actor: User, **fields) -> Organisation:
    """Change an organisation's profile (its administrators or a coordinator).

    Accepts the profile fields, `domains` (an iterable of Domain) and `logo` (an uploaded
    file, or None / False to remove it). Once the organisation is verified or imported,
    its identity (name, legal form, fiscal code, registry number and registration date)
    is changed only by a coordinator. On error nothing is saved and `organisation` keeps
    its values.
    """
    _check_fields(fields, "organisation_update")
    domains = fields.pop("domains", None)
    has_logo = "logo" in fields
    logo = fields.pop("logo", None)
    attnames = {name: ATTNAMES.get(name, name) for name in PROFILE_FIELDS}
    before = {attname: getattr(organisation, attname) for attname in attnames.values()}
    try:
        for name, value in fields.items():
            setattr(organisation, name, value)
        _normalise(organisation)
        changed = [n for n, a in attnames.items() if getattr(organisation, a) != before[a]]
        locked = [n for n in changed if n in IDENTITY_FIELDS]
        if locked and organisation.status != Status.PENDING and not is_coordinator(actor):
            raise ValidationError(
                {
                    n: _(
                        "Once the organisation is verified, only a coordinator can change "
                        "this field. Write to the coordinators if it is wrong."
                    )
                    for n in locked
                },
                code="identity_locked",
            )
        _validate(organisation)
        new_logo = process_logo(logo) if has_logo and logo else None
    except ValidationError:
        for name, value in before.items():
            setattr(organisation, name, value)
        raise
    if has_logo:
        organisation.logo = new_logo or ""
    organisation._history_user = actor
    with transaction.atomic():
        if domains is not None:
            _set_domains(organisation, domains)
        _save_unique(organisation)
        if "name" in changed:
            # Its members show the federation's name in the API.
            touch_organisations(affiliations__parent=organisation)
        _after_write(organisation, stats_changed="county" in changed)
    return organisation


# --- Claiming an imported record ---------------------------------------------------


# Issue 18: a proof of a claim by registry number: a scan or a PDF, checked by content.
CLAIM_PROOF_MAX_BYTES = 10 * 1024 * 1024
CLAIM_PROOF_TYPES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
)


def _field_error(field: str, message, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _claim_proof(upload) -> ContentFile:
    """The uploaded proof of a claim, checked: a PDF, PNG or JPEG file of at most 10 MB."""
    if upload is None:
        raise _field_error(
            "proof",
            _(
                "Add a document that proves you represent the organisation (the court's "
                "registration, its statute or a decision of its board), as PDF, PNG or "
                "JPEG."
            ),
            "proof_required",
        )
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > CLAIM_PROOF_MAX_BYTES:
        raise _field_error(
            "proof",
            _("The document is too large: it may be at most %(max)d MB.")
            % {"max": CLAIM_PROOF_MAX_BYTES // (1024 * 1024)},
            "proof_too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    extension = next((ext for magic, ext in CLAIM_PROOF_TYPES if head.startswith(magic)), None)
    if extension is None:
        raise _field_error(
            "proof",
            _("The document must be a PDF, PNG or JPEG file; this file is not one."),
            "proof_type",
        )
    upload.seek(0)
    return ContentFile(upload.read(), name=f"proof-{secrets.token_hex(8)}.{extension}")


def _claimed_by_registry_number(registry_number: str, organisation_id) -> Organisation:
    number = " ".join((registry_number or "").split())
    if not number:
        raise _field_error(
            "fiscal_code",
            _(
                "Give the fiscal code of the organisation or, when the registry has "
                "none, its number in the National NGO Registry."
            ),
            "required",
        )
    # The register's spelling of a number ("1039 / a / 2004" is "1039/A/2004").
    from ..importer.values import parse_registry_number

    number = parse_registry_number(number)
    candidates = Organisation.objects.select_for_update().filter(registry_number=number)
    if organisation_id:
        candidates = candidates.filter(pk=organisation_id)
    found = list(candidates.order_by("pk")[:2])
    if not found:
        raise _field_error(
            "registry_number",
            _(
                "No organisation with this number is in the registry. You can create "
                "its profile instead."
            ),
            "not_found",
        )
    if len(found) > 1:
        raise _field_error(
            "registry_number",
            _(
                "Several organisations of the register share this number: find yours "
                "in the list of organisations and claim it from its page."
            ),
            "ambiguous",
        )
    return found[0]


def organisation_claim(
    *,
    actor: User,
    fiscal_code: str = "",
    registry_number: str = "",
    organisation_id: int | None = None,
    proof=None,
) -> Organisation:
    """A verified user claims an organisation already in the registry (imported from the
    National NGO Registry) by its fiscal code or, for a record without one (the
    Ministry's files have none), by its registry number with a document that proves it,
    which the coordinators read before verifying. They become its administrator and the
    organisation is pending until a coordinator verifies the claim. Refused when the
    organisation already has an administrator."""
    by_number = not (fiscal_code or "").strip()
    if by_number:
        proof_file = _claim_proof(proof)
    else:
        code = normalize_fiscal_code(fiscal_code)
        try:
            validate_fiscal_code(code)
        except ValidationError as exc:
            raise ValidationError({"fiscal_code": exc.messages}) from None
    field = "registry_number" if by_number else "fiscal_code"
    with transaction.atomic():
        if by_number:
            organisation = _claimed_by_registry_number(registry_number, organisation_id)
        else:
            organisation = Organisation.objects.select_for_update().filter(fiscal_code=code).first()
        if organisation is None:
            raise ValidationError(
                {
                    "fiscal_code": _(
                        "No organisation with this fiscal code is in the registry. You can "
                        "create its profile instead."
                    )
                },
                code="not_found",
            )
        # An administrator whose account was closed does not block a claim.
        admins = list(
            organisation.memberships.filter(role=Role.ADMIN, user__is_active=True).values_list(
                "user_id", flat=True
            )
        )
        if actor.pk in admins:
            raise ValidationError(
                {field: _("You are already an administrator of this organisation.")},
                code="already_admin",
            )
        if admins:
            raise ValidationError(
                {
                    field: _(
                        "This organisation already has an administrator on CONECT. Ask them "
                        "to invite you."
                    )
                },
                code="has_admin",
            )
        if organisation.status not in TRANSITIONS["claim"][0]:
            raise ValidationError({field: _transition_error("claim").messages})
        now = timezone.now()
        organisation.status = Status.PENDING
        organisation.status_changed_at = now
        organisation.status_changed_by = actor
        organisation.status_reason = ""
        organisation.claimed_at = now
        organisation.created_by = actor
        organisation._history_user = actor
        update_fields = [
            "status",
            "status_changed_at",
            "status_changed_by",
            "status_reason",
            "claimed_at",
            "created_by",
            "updated_at",
        ]
        if by_number:
            organisation.claim_proof.save(proof_file.name, proof_file, save=False)
            update_fields.append("claim_proof")
        organisation.save(update_fields=update_fields)
        membership = organisation.memberships.filter(user=actor).first()
        if membership is None:
            membership = OrganisationMembership(organisation=organisation, user=actor)
        membership.role = Role.ADMIN
        membership._history_user = actor
        membership.save()
        bump_stats_version()
    forget_organisation_roles(actor)
    return organisation


# --- Verification, rejection, suspension -------------------------------------------


def _admins(organisation: Organisation) -> list[User]:
    return [
        m.user
        for m in organisation.memberships.filter(role=Role.ADMIN, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ]


def _notify(organisation: Organisation, recipients, *, template: str, reason: str = "") -> None:
    stamp = int(organisation.status_changed_at.timestamp() * 1_000_000)
    context = {
        "organisation_name": organisation.name,
        "organisation_path": organisation.get_absolute_url(),
        "reason": reason,
    }
    for user in recipients:
        enqueue_email(
            to_user=user,
            template=f"registry/emails/{template}",
            context=context,
            key=f"registry:{template}:{organisation.pk}:{stamp}:{user.pk}",
        )


def _change_status(*, organisation: Organisation, action: str, actor: User, reason: str = ""):
    """Apply one transition of TRANSITIONS; returns the locked, updated organisation and
    the status it had."""
    reason = (reason or "").strip()
    if action in REASON_REQUIRED and not reason:
        messages = {
            "reject": _("Give the reason for the rejection: the organisation will read it."),
            "suspend": _("Give the reason for the suspension: the organisation will read it."),
        }
        raise ValidationError({"reason": messages[action]}, code="reason_required")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    sources, target = TRANSITIONS[action]
    if organisation.status not in sources:
        raise _transition_error(action)
    previous = organisation.status
    now = timezone.now()
    organisation.status = _public_status(organisation) if target == PUBLIC_AGAIN else target
    organisation.status_changed_at = now
    organisation.status_changed_by = actor
    organisation.status_reason = reason
    return organisation, previous


def _save_status(organisation: Organisation, actor: User, *extra_fields: str) -> None:
    organisation._history_user = actor
    organisation.full_clean(validate_unique=False, validate_constraints=False)
    organisation.save(
        update_fields=[
            "status",
            "status_changed_at",
            "status_changed_by",
            "status_reason",
            "updated_at",
            *extra_fields,
        ]
    )
    bump_stats_version()


def organisation_verify(*, organisation: Organisation, actor: User) -> Organisation:
    """A coordinator verifies a pending organisation (or one rejected before): it may
    now act on the platform. Its administrators are told by e-mail."""
    with transaction.atomic():
        org, _previous = _change_status(organisation=organisation, action="verify", actor=actor)
        org.verified_at = org.verified_at or org.status_changed_at
        org.claimed_at = None
        _save_status(org, actor, "verified_at", "claimed_at")
        _notify(org, _admins(org), template="organisation_verified")
    return org


def organisation_reject(*, organisation: Organisation, actor: User, reason: str) -> Organisation:
    """A coordinator rejects a pending organisation, giving the reason, which its
    administrators receive by e-mail.

    A rejected *claim* of a record already in the registry does not hide the record:
    it returns to its public status (imported or verified) and the claimant loses the
    administrator role, so that the real organisation can still claim it.
    """
    with transaction.atomic():
        org, _previous = _change_status(
            organisation=organisation, action="reject", actor=actor, reason=reason
        )
        recipients = _admins(org)
        if org.claimed_at:
            org.status = _public_status(org)
            org.claimed_at = None
            _save_status(org, actor, "claimed_at")
            for membership in org.memberships.select_related("user"):
                membership._history_user = actor
                membership.delete()
                forget_organisation_roles(membership.user)
            _notify(
                org, recipients, template="organisation_claim_rejected", reason=org.status_reason
            )
        else:
            _save_status(org, actor)
            _notify(org, recipients, template="organisation_rejected", reason=org.status_reason)
    return org


def organisation_suspend(*, organisation: Organisation, actor: User, reason: str) -> Organisation:
    """A coordinator suspends an organisation: it stays in the registry for its members
    and the coordinators but no longer appears in public nor acts on the platform."""
    with transaction.atomic():
        org, _previous = _change_status(
            organisation=organisation, action="suspend", actor=actor, reason=reason
        )
        _save_status(org, actor)
        _notify(org, _admins(org), template="organisation_suspended", reason=org.status_reason)
    return org


def organisation_reinstate(
    *, organisation: Organisation, actor: User, reason: str = ""
) -> Organisation:
    """A coordinator lifts a suspension: the organisation is verified again (imported,
    for a record that was never verified)."""
    with transaction.atomic():
        org, _previous = _change_status(
            organisation=organisation, action="reinstate", actor=actor, reason=reason
        )
        _save_status(org, actor)
        _notify(org, _admins(org), template="organisation_reinstated", reason=org.status_reason)
    return org


def organisation_change_status(
    *, organisation: Organisation, action: str, actor: User, reason: str = ""
) -> Organisation:
    """One entry point for the coordinators' pages: verify, reject, suspend or reinstate."""
    if action == "verify":
        return organisation_verify(organisation=organisation, actor=actor)
    if action == "reject":
        return organisation_reject(organisation=organisation, actor=actor, reason=reason)
    if action == "suspend":
        return organisation_suspend(organisation=organisation, actor=actor, reason=reason)
    if action == "reinstate":
        return organisation_reinstate(organisation=organisation, actor=actor, reason=reason)
    raise ValidationError(_("Unknown action."), code="unknown_action")


# --- Members -----------------------------------------------------------------------


def _lock_admin_ids(organisation: Organisation) -> list[int]:
    return list(
        OrganisationMembership.objects.select_for_update()
        .filter(organisation=organisation, role=Role.ADMIN)
        .values_list("pk", flat=True)
    )


def _last_admin_error() -> ValidationError:
    return ValidationError(
        _(
            "An organisation needs at least one administrator: make another member an "
            "administrator first."
        ),
        code="last_admin",
    )


def organisation_member_set_role(
    *, membership: OrganisationMembership, role: str, actor: User
) -> OrganisationMembership:
    """Make a member an administrator, or an administrator a member (never the last one)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")}, code="invalid_role")
    with transaction.atomic():
        admin_ids = _lock_admin_ids(membership.organisation_id)
        if role == membership.role:
            return membership
        if membership.role == Role.ADMIN and admin_ids == [membership.pk]:
            raise _last_admin_error()
        membership.role = role
        membership._history_user = actor
        membership.full_clean(validate_unique=False, validate_constraints=False)
        membership.save(update_fields=["role"])
    forget_organisation_roles(membership.user)
    forget_organisation_roles(actor)
    return membership


def organisation_member_remove(*, membership: OrganisationMembership, actor: User) -> None:
    """Remove a member (an administrator's decision, or a member leaving). The last
    administrator cannot be removed."""
    with transaction.atomic():
        admin_ids = _lock_admin_ids(membership.organisation_id)
        if admin_ids == [membership.pk]:
            raise _last_admin_error()
        membership._history_user = actor
        membership.delete()
    forget_organisation_roles(membership.user)
    forget_organisation_roles(actor)


# --- Invitations -------------------------------------------------------------------

INVITATION_VALID_DAYS = 14
INVITATION_SALT = "registry.organisation-invitation"


def invitation_token(invitation: OrganisationInvitation) -> str:
    """The token in the invitation link: the invitation's id and nonce, signed."""
    return signing.Signer(salt=INVITATION_SALT).sign_object([invitation.pk, invitation.nonce])


def invitation_url(invitation: OrganisationInvitation) -> str:
    path = reverse("registry:invitation-accept", kwargs={"token": invitation_token(invitation)})
    return absolute_url(path)


def invitation_from_token(token: str) -> OrganisationInvitation:
    """The invitation a link points to, or a ValidationError saying why the link is void."""
    invalid = ValidationError(
        _("This invitation link is not valid. Ask the organisation to send you a new one."),
        code="invalid_token",
    )
    try:
        pk, nonce = signing.Signer(salt=INVITATION_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise invalid from None
    invitation = (
        OrganisationInvitation.objects.select_related("organisation", "invited_by")
        .filter(pk=pk)
        .first()
    )
    if invitation is None or not constant_time_compare(str(nonce), invitation.nonce):
        raise invalid
    return invitation


def _user_owns_address(user: User, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def _can_take_members(organisation: Organisation) -> bool:
    return organisation.status not in (Status.REJECTED, Status.SUSPENDED)


def organisation_invite(
    *, organisation: Organisation, actor: User, email: str, role: str = Role.MEMBER
) -> OrganisationInvitation:
    """Invite someone by e-mail to join the organisation. Inviting the same address again
    sends a fresh link (the old one stops working) and renews the invitation."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("Enter a valid e-mail address.")}, code="invalid_email"
        ) from None
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")}, code="invalid_role")
    if not _can_take_members(organisation):
        raise ValidationError(
            _("A rejected or suspended organisation cannot invite members."),
            code="organisation_inactive",
        )
    member_emails = {
        e.lower()
        for e in EmailAddress.objects.filter(
            user__organisation_memberships__organisation=organisation
        ).values_list("email", flat=True)
    } | {e.lower() for e in organisation.memberships.values_list("user__email", flat=True)}
    if email in member_emails:
        raise ValidationError(
            {"email": _("This person is already a member of the organisation.")},
            code="already_member",
        )
    now = timezone.now()
    with transaction.atomic():
        invitation = (
            OrganisationInvitation.objects.select_for_update()
            .filter(
                organisation=organisation,
                email=email,
                accepted_at__isnull=True,
                declined_at__isnull=True,
                revoked_at__isnull=True,
            )
            .first()
        ) or OrganisationInvitation(organisation=organisation, email=email)
        invitation.role = role
        invitation.nonce = secrets.token_urlsafe(16)
        invitation.invited_by = actor
        invitation.language = actor.preferred_language or settings.LANGUAGE_CODE
        invitation.created_at = now
        invitation.expires_at = now + timedelta(days=INVITATION_VALID_DAYS)
        invitation.full_clean(validate_unique=False, validate_constraints=False)
        invitation.save()
        _send_invitation(invitation)
    return invitation


def _send_invitation(invitation: OrganisationInvitation) -> None:
    key = f"registry:organisation_invitation:{invitation.pk}:{invitation.nonce}"
    recipient = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    if recipient is not None:
        enqueue_email(
            to_user=recipient,
            template="registry/emails/organisation_invitation",
            context=invitation_email_context(invitation, has_account=True),
            key=key,
        )
        return
    # No account yet: the e-mail goes to the address, in the inviter's language.
    from ..tasks import send_organisation_invitation

    outbox.enqueue(send_organisation_invitation, invitation_id=invitation.pk, key=key)


def invitation_email_context(invitation: OrganisationInvitation, *, has_account: bool) -> dict:
    """What the invitation e-mail says (JSON-serialisable, for the e-mail task)."""
    return {
        "organisation_name": invitation.organisation.name,
        "inviter_name": invitation.invited_by.name if invitation.invited_by else "",
        "role": invitation.role,
        "accept_url": invitation_url(invitation),
        "valid_days": INVITATION_VALID_DAYS,
        "has_account": has_account,
    }


def organisation_send_invitation_to_address(*, invitation_id: int, key: str) -> bool:
    """Send an invitation to an address that has no account yet, in the inviter's
    language, at most once per key. Returns True if sent. Called by the e-mail task."""
    invitation = (
        OrganisationInvitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open or invitation.is_expired:
        logger.info("Invitation %s not sent: it is gone, answered or expired", invitation_id)
        return False
    if SentEmail.objects.filter(key=key).exists():
        return False
    recipient = SimpleNamespace(
        pk=None, name="", email=invitation.email, preferred_language=invitation.language
    )
    template = "registry/emails/organisation_invitation"
    context = invitation_email_context(invitation, has_account=False)
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=key, recipient=None, template=template)
            render_email(user=recipient, template=template, context=context).send()
    except IntegrityError:  # sent by another worker in the meantime
        return False
    return True


def open_invitation_for(token: str, user: User) -> OrganisationInvitation:
    invitation = invitation_from_token(token)
    if invitation.accepted_at:
        raise ValidationError(_("This invitation has already been accepted."), code="accepted")
    if invitation.declined_at or invitation.revoked_at:
        raise ValidationError(
            _("This invitation was declined or withdrawn. Ask the organisation for a new one."),
            code="closed",
        )
    if invitation.is_expired:
        raise ValidationError(
            _("This invitation has expired. Ask the organisation to send it again."),
            code="expired",
        )
    if not _user_owns_address(user, invitation.email):
        raise ValidationError(
            _(
                "This invitation was sent to another e-mail address. Sign in with the account "
                "of the address that received it (and verify that address)."
            ),
            code="other_address",
        )
    return invitation


def organisation_invitation_accept(*, token: str, user: User) -> OrganisationMembership:
    """The invited person, signed in with the address the invitation was sent to, joins
    the organisation with the role they were invited to."""
    with transaction.atomic():
        invitation = open_invitation_for(token, user)
        organisation = Organisation.objects.select_for_update().get(pk=invitation.organisation_id)
        if not _can_take_members(organisation):
            raise ValidationError(
                _("This organisation cannot take new members at the moment."),
                code="organisation_inactive",
            )
        membership = organisation.memberships.filter(user=user).first()
        if membership is None:
            membership = OrganisationMembership(
                organisation=organisation, user=user, role=invitation.role
            )
        elif invitation.role == Role.ADMIN:
            membership.role = Role.ADMIN
        membership._history_user = user
        membership.save()
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_organisation_roles(user)
    return membership


def organisation_invitation_decline(*, token: str, user: User) -> OrganisationInvitation:
    """The invited person declines; the link stops working."""
    with transaction.atomic():
        invitation = open_invitation_for(token, user)
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at"])
    return invitation


def organisation_invitation_revoke(
    *, invitation: OrganisationInvitation, actor: User
) -> OrganisationInvitation:
    """An administrator withdraws an invitation that was not answered yet."""
    if not invitation.is_open:
        raise ValidationError(
            _("This invitation was already answered or withdrawn."), code="closed"
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation
