"""Writes to the richer profile of an organisation (issue 18): its area of activity, the
counties and regions where it works, its social services, its social and donation links,
its contact person, the federations and coalitions it belongs to, its branches, and its
projects, events and calls for volunteers.

Every function takes keyword arguments and the acting user as `actor` (recorded in the
history), validates with `full_clean()` and writes inside a transaction. What users write
is kept in the language they wrote it in: nothing here translates. The caller checks the
permission (`registry.change_organisation` for the profile, affiliations and branches;
`registry.add_activity` / `registry.change_activity` for activities); the services check
the business rules (an organisation cannot belong to itself, an activity ends after it
starts, a linked federation must be a public record).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conect.accounts.models import User
from conect.core.text import fix_diacritics, fold

from ..models import (
    Organisation,
    OrganisationActivity,
    OrganisationAffiliation,
    OrganisationBranch,
)
from ..stats import bump_stats_version

Area = Organisation.ActivityArea

# The profile fields of issue 18 that organisation_update_profile takes.
RICH_PROFILE_FIELDS = (
    "activity_area",
    "provides_social_services",
    "social_services_accreditation",
    "public_utility",
    "public_utility_decision",
    "public_utility_date",
    "facebook_url",
    "instagram_url",
    "linkedin_url",
    "youtube_url",
    "x_url",
    "donation_url",
    "contact_name",
    "contact_role",
    "contact_email",
    "contact_phone",
)
RICH_PROFILE_M2M = ("activity_counties", "activity_regions")

ATTNAMES = {"domain": "domain_id", "county": "county_id"}
ACTIVITY_FIELDS = (
    "title",
    "description",
    "language",
    "starts_on",
    "ends_on",
    "domain",
    "county",
    "locality",
    "is_online",
    "link",
    "volunteers_needed",
)


def _clean_line(value) -> str:
    return " ".join(fix_diacritics(value or "").split())


def _clean_text(value) -> str:
    """Keep the paragraphs people wrote, tidy the spaces and cedilla diacritics."""
    lines = [" ".join(line.split()) for line in fix_diacritics(value or "").splitlines()]
    return "\n".join(lines).strip()


def _check_fields(fields: dict, allowed, function: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{function}() got unexpected fields: {sorted(unknown)}")


# --- The profile -------------------------------------------------------------------


def organisation_update_profile(
    *, organisation: Organisation, actor: User, **fields
) -> Organisation:
    """Change the richer profile: area of activity with its counties and regions, the
    accredited social services, the public-utility status, the social and donation links,
    the contact person.

    The public-utility status names the Government decision that granted it; the
    National NGO Registry is its source, so the next import replaces what is written here
    by what the register says (when it says something).

    A local or county organisation names at least one county, a regional one at least one
    region; a national one names none (both lists are emptied). On error nothing is saved
    and `organisation` keeps its values."""
    _check_fields(fields, (*RICH_PROFILE_FIELDS, *RICH_PROFILE_M2M), "organisation_update_profile")
    counties = fields.pop("activity_counties", None)
    regions = fields.pop("activity_regions", None)
    before = {name: getattr(organisation, name) for name in RICH_PROFILE_FIELDS}
    try:
        for name, value in fields.items():
            setattr(organisation, name, value)
        org = organisation
        org.social_services_accreditation = _clean_line(org.social_services_accreditation)
        org.contact_name = _clean_line(org.contact_name)
        org.contact_role = _clean_line(org.contact_role)
        org.contact_email = (org.contact_email or "").strip().lower()
        org.contact_phone = " ".join((org.contact_phone or "").split())
        org.public_utility_decision = _clean_line(org.public_utility_decision)
        if counties is None:
            counties = list(org.activity_counties.all()) if org.pk else []
        if regions is None:
            regions = list(org.activity_regions.all()) if org.pk else []
        counties, regions = list(counties), list(regions)
        errors: dict[str, list] = {}
        if org.activity_area == Area.NATIONAL:
            counties, regions = [], []
        elif org.activity_area in (Area.LOCAL, Area.COUNTY) and not counties:
            errors["activity_counties"] = [_("Choose the counties where the organisation works.")]
        elif org.activity_area == Area.REGIONAL and not regions:
            errors["activity_regions"] = [
                _("Choose the development regions where the organisation works.")
            ]
        if not org.activity_area and (counties or regions):
            errors["activity_area"] = [
                _("Choose the area of activity for the counties and regions you named.")
            ]
        if org.social_services_accreditation and not org.provides_social_services:
            errors["provides_social_services"] = [
                _(
                    "Tick that the organisation provides accredited social services, or "
                    "leave the accreditation certificate empty."
                )
            ]
        if org.public_utility and not org.public_utility_decision:
            errors["public_utility_decision"] = [
                _(
                    "Write the Government decision that recognised the organisation of "
                    "public utility, for example HG nr. 1234/2010."
                )
            ]
        if not org.public_utility and (org.public_utility_decision or org.public_utility_date):
            errors["public_utility"] = [
                _(
                    "Tick that the organisation is recognised of public utility, or leave "
                    "the decision and its date empty."
                )
            ]
        if org.public_utility_date and org.public_utility_date > timezone.localdate():
            errors["public_utility_date"] = [
                _("The date of the public-utility decision cannot be in the future.")
            ]
        if errors:
            raise ValidationError(errors)
        org.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError:
        for name, value in before.items():
            setattr(organisation, name, value)
        raise
    counties_changed = {c.pk for c in counties} != set(
        organisation.activity_counties.values_list("pk", flat=True)
    )
    organisation._history_user = actor
    with transaction.atomic():
        # The history records the lists with the save that follows, as one version.
        organisation.skip_history_when_saving = True
        try:
            organisation.activity_counties.set(counties)
            organisation.activity_regions.set(regions)
        finally:
            del organisation.skip_history_when_saving
        organisation.save(update_fields=[*RICH_PROFILE_FIELDS, "updated_at"])
        if counties_changed:
            bump_stats_version()
    return organisation


def touch_organisations(**lookups) -> None:
    """Mark the organisations matching `lookups` as changed now: what the API shows of
    them (their affiliations, branches, a federation's name) changed without their own
    row, and their `updated_at` is what the API's ETags and cached pages follow."""
    Organisation.objects.filter(**lookups).update(updated_at=timezone.now())


# --- Federations and coalitions ------------------------------------------------------


def affiliation_add(
    *,
    organisation: Organisation,
    actor: User,
    kind: str,
    parent: Organisation | None = None,
    name: str = "",
    website: str = "",
) -> OrganisationAffiliation:
    """Record that the organisation belongs to a federation, coalition or network: a
    public record of the registry (`parent`), or one that is not in the registry (`name`)."""
    name = _clean_line(name)
    errors: dict[str, list] = {}
    if parent is None and not name:
        errors["name"] = [
            _("Choose the federation or coalition from the registry, or write its name.")
        ]
    if parent is not None:
        if parent.pk == organisation.pk:
            errors["parent"] = [_("An organisation cannot belong to itself.")]
        elif parent.status not in Organisation.PUBLIC_STATUSES:
            errors["parent"] = [_("Choose an organisation that is public in the registry.")]
        elif organisation.affiliations.filter(parent=parent).exists():
            errors["parent"] = [_("This membership is already on the profile.")]
        name = ""  # the linked record's own name is shown
    if errors:
        raise ValidationError(errors)
    affiliation = OrganisationAffiliation(
        organisation=organisation, kind=kind, parent=parent, name=name, website=website
    )
    affiliation.full_clean(validate_constraints=False)
    affiliation._history_user = actor
    try:
        with transaction.atomic():
            affiliation.save()
            touch_organisations(pk=organisation.pk)
    except IntegrityError:
        raise ValidationError(
            {"parent": [_("This membership is already on the profile.")]}
        ) from None
    return affiliation


def affiliation_remove(*, affiliation: OrganisationAffiliation, actor: User) -> None:
    """Take a federation or coalition off the profile (kept in the history)."""
    affiliation._history_user = actor
    with transaction.atomic():
        affiliation.delete()
        touch_organisations(pk=affiliation.organisation_id)


# --- Branches ----------------------------------------------------------------------


def branch_add(*, organisation: Organisation, actor: User, **fields) -> OrganisationBranch:
    """Add a branch (name and county required; locality, address, e-mail, phone)."""
    _check_fields(fields, ("name", "county", "locality", "address", "email", "phone"), "branch_add")
    branch = OrganisationBranch(organisation=organisation, **fields)
    branch.name = _clean_line(branch.name)
    branch.locality = _clean_line(branch.locality)
    branch.address = _clean_line(branch.address)
    branch.email = (branch.email or "").strip().lower()
    branch.phone = " ".join((branch.phone or "").split())
    branch.full_clean()
    branch._history_user = actor
    with transaction.atomic():
        branch.save()
        touch_organisations(pk=organisation.pk)
    return branch


def branch_remove(*, branch: OrganisationBranch, actor: User) -> None:
    """Take a branch off the profile (kept in the history)."""
    branch._history_user = actor
    with transaction.atomic():
        branch.delete()
        touch_organisations(pk=branch.organisation_id)


# --- Projects, events and calls for volunteers -------------------------------------


def _normalise_activity(activity: OrganisationActivity) -> None:
    activity.title = _clean_line(activity.title)
    activity.locality = _clean_line(activity.locality)
    activity.description = _clean_text(activity.description)
    if activity.kind != OrganisationActivity.Kind.VOLUNTEERING:
        activity.volunteers_needed = None
    activity.search_text = fold(" ".join((activity.title, activity.locality, activity.description)))


def _validate_activity(activity: OrganisationActivity) -> None:
    errors: dict[str, list] = {}
    if activity.ends_on and activity.starts_on and activity.ends_on < activity.starts_on:
        errors["ends_on"] = [_("The end date cannot be before the start date.")]
    # A retired domain may be kept by an activity that has it, not chosen anew.
    if (
        activity.domain_id
        and not activity.domain.is_active
        and not OrganisationActivity.objects.filter(
            pk=activity.pk, domain_id=activity.domain_id
        ).exists()
    ):
        errors["domain"] = [_("This domain of activity is no longer offered.")]
    if not activity.county_id and not activity.is_online:
        errors["county"] = [_("Choose the county where it takes place, or tick “online”.")]
    if errors:
        raise ValidationError(errors)
    activity.full_clean(validate_constraints=False)


def activity_create(
    *, organisation: Organisation, actor: User, kind: str, **fields
) -> OrganisationActivity:
    """Add a project, event or call for volunteers to the organisation's profile.

    Fields: title, description, language (what it is written in; never translated),
    starts_on, ends_on, domain, county, locality, is_online, link, volunteers_needed (calls
    for volunteers only)."""
    _check_fields(fields, ACTIVITY_FIELDS, "activity_create")
    activity = OrganisationActivity(
        organisation=organisation, kind=kind, created_by=actor, **fields
    )
    _normalise_activity(activity)
    _validate_activity(activity)
    activity._history_user = actor
    with transaction.atomic():
        activity.save()
        bump_stats_version()
    return activity


def activity_update(
    *, activity: OrganisationActivity, actor: User, **fields
) -> OrganisationActivity:
    """Change a project, event or call for volunteers (its kind stays). On error nothing
    is saved and `activity` keeps its values."""
    _check_fields(fields, ACTIVITY_FIELDS, "activity_update")
    attnames = [ATTNAMES.get(name, name) for name in ACTIVITY_FIELDS]
    before = {name: getattr(activity, name) for name in (*attnames, "search_text")}
    try:
        for name, value in fields.items():
            setattr(activity, name, value)
        _normalise_activity(activity)
        _validate_activity(activity)
    except ValidationError:
        for name, value in before.items():
            setattr(activity, name, value)
        raise
    activity._history_user = actor
    with transaction.atomic():
        activity.save()
        bump_stats_version()
    return activity


def activity_delete(*, activity: OrganisationActivity, actor: User) -> None:
    """Remove a project, event or call for volunteers (kept in the history)."""
    activity._history_user = actor
    with transaction.atomic():
        activity.delete()
        bump_stats_version()
