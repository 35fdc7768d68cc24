"""Writes to the domains of activity, and the list CONECT starts with."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Domain
from ..selectors.reference import bump_domains_version
from ..stats import bump_stats_version

# (slug, Romanian name, English name, position). Lists show them by position, then by
# Romanian name; "other" comes last.
DEFAULT_DOMAINS = [
    ("education", "Educație", "Education", 0),
    ("health", "Sănătate", "Health", 0),
    ("social-services", "Servicii sociale", "Social services", 0),
    ("environment", "Mediu și schimbări climatice", "Environment and climate change", 0),
    ("culture", "Cultură și patrimoniu", "Culture and heritage", 0),
    ("human-rights", "Drepturile omului", "Human rights", 0),
    ("youth", "Tineret", "Youth", 0),
    ("sport", "Sport", "Sport", 0),
    ("community-development", "Dezvoltare comunitară", "Community development", 0),
    ("research", "Cercetare și inovare", "Research and innovation", 0),
    (
        "agriculture-rural-development",
        "Agricultură și dezvoltare rurală",
        "Agriculture and rural development",
        0,
    ),
    (
        "anti-corruption-good-governance",
        "Anticorupție și bună guvernare",
        "Anti-corruption and good governance",
        0,
    ),
    ("consumer-protection", "Protecția consumatorilor", "Consumer protection", 0),
    ("people-with-disabilities", "Persoane cu dizabilități", "People with disabilities", 0),
    ("elderly", "Persoane vârstnice", "Elderly people", 0),
    ("children", "Protecția copilului", "Children", 0),
    (
        "gender-equality",
        "Drepturile femeilor și egalitatea de gen",
        "Women's rights and gender equality",
        0,
    ),
    ("minorities", "Minorități", "Minorities", 0),
    ("religious", "Culte și activități religioase", "Religious activities", 0),
    ("professional-associations", "Asociații profesionale", "Professional associations", 0),
    (
        "emergency-civil-protection",
        "Situații de urgență și protecție civilă",
        "Emergencies and civil protection",
        0,
    ),
    ("international-cooperation", "Cooperare internațională", "International cooperation", 0),
    (
        "civic-participation",
        "Participare civică și voluntariat",
        "Civic participation and volunteering",
        0,
    ),
    ("labour-social-dialogue", "Muncă și dialog social", "Labour and social dialogue", 0),
    (
        "economic-development",
        "Dezvoltare economică și antreprenoriat",
        "Economic development and entrepreneurship",
        0,
    ),
    ("digital", "Digitalizare și tehnologie", "Digital and technology", 0),
    ("migrants-refugees", "Migranți și refugiați", "Migrants and refugees", 0),
    ("animal-welfare", "Protecția animalelor", "Animal welfare", 0),
    ("other", "Altele", "Other", 100),
]


def seed_default_domains(domain_model=Domain) -> int:
    """Create the default domains that are missing; never overwrite a coordinator's edits.

    Takes the model so that a data migration can pass its historical model. Returns the
    number of domains created.
    """
    existing = set(domain_model.objects.values_list("slug", flat=True))
    missing = [
        domain_model(slug=slug, name_ro=name_ro, name_en=name_en, position=position)
        for slug, name_ro, name_en, position in DEFAULT_DOMAINS
        if slug not in existing
    ]
    domain_model.objects.bulk_create(missing)
    return len(missing)


def _save(domain: Domain, *, actor) -> Domain:
    domain.slug = (domain.slug or "").strip().lower()
    domain.name_ro = " ".join((domain.name_ro or "").split())
    domain.name_en = " ".join((domain.name_en or "").split())
    duplicate = Domain.objects.filter(slug=domain.slug).exclude(pk=domain.pk).exists()
    if duplicate:
        raise ValidationError(
            {"slug": _("Another domain already uses this identifier.")}, code="duplicate_slug"
        )
    domain.full_clean()
    domain._history_user = actor
    with transaction.atomic():
        domain.save()
        # The domain lists are cached under their version, statistics under theirs.
        bump_domains_version()
        bump_stats_version()
    return domain


def domain_create(
    *, actor, slug: str, name_ro: str, name_en: str, is_active: bool = True, position: int = 0
) -> Domain:
    """Add a domain of activity (coordinators)."""
    domain = Domain(
        slug=slug, name_ro=name_ro, name_en=name_en, is_active=is_active, position=position
    )
    return _save(domain, actor=actor)


def domain_update(*, domain: Domain, actor, **fields) -> Domain:
    """Rename, reorder, activate or deactivate a domain (coordinators).

    Accepts slug, name_ro, name_en, is_active and position."""
    allowed = {"slug", "name_ro", "name_en", "is_active", "position"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"domain_update() got unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(domain, name, value)
    return _save(domain, actor=actor)
