"""Fixtures shared by the tests of institutions, officials and advisory structures.

Import the ones a module needs: `from .test_institutions_fixtures import *`.
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from registry.models import (
    AdvisoryStructure,
    Domain,
    InstitutionStaff,
    MembershipCall,
    Organisation,
    OrganisationMembership,
    RelationshipOfficial,
)
from registry.services import officials as official_services
from tests.conftest import make_user

__all__ = [
    "closed_call",
    "consent_link",
    "dissolved_structure",
    "domain",
    "en_client",
    "official",
    "open_call",
    "pending_org_admin",
    "pending_organisation",
    "pending_staff",
    "published_official",
    "removed_official",
    "structure",
    "today",
]


@pytest.fixture
def en_client(client):
    """A test client in English, also for the users it signs in (whose stored preference
    would otherwise choose the language)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    force_login = client.force_login

    def force_login_in_english(user, backend=None):
        if user.preferred_language != "en":
            user.preferred_language = "en"
            user.save(update_fields=["preferred_language"])
        return force_login(user, backend)

    client.force_login = force_login_in_english
    return client


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def domain(db):
    return Domain.objects.get(slug="education")


@pytest.fixture
def pending_staff(db, institution):
    """A verified user whose request to join the institution waits for an answer."""
    user = make_user("asking@gov.example.ro", name="Dan Solicitant", preferred_language="ro")
    InstitutionStaff.objects.create(
        institution=institution, user=user, position="consilier", status="pending"
    )
    return user


@pytest.fixture
def official(db, institution):
    """An official who has not answered the request for agreement yet."""
    return RelationshipOfficial.objects.create(
        institution=institution,
        name="Ioana Popescu",
        search_name="ioana popescu",
        position="consilier",
        email="ioana.popescu@edu.gov.ro",
    )


@pytest.fixture
def published_official(db, institution, domain, county):
    official = RelationshipOfficial.objects.create(
        institution=institution,
        name="Mihai Ionescu",
        search_name="mihai ionescu",
        position="director",
        email="mihai.ionescu@edu.gov.ro",
        phone="0211234567",
        consented_at=timezone.now(),
    )
    official.domains.set([domain])
    official.counties.set([county])
    return official


@pytest.fixture
def removed_official(db, institution):
    return RelationshipOfficial.objects.create(
        institution=institution,
        name="Gheorghe Fost",
        search_name="gheorghe fost",
        position="fost consilier",
        email="gheorghe@edu.gov.ro",
        consented_at=timezone.now(),
        removed_at=timezone.now(),
    )


@pytest.fixture
def structure(db, institution, domain):
    structure = AdvisoryStructure.objects.create(
        institution=institution,
        name="Consiliul Consultativ pentru Educație",
        search_name="consiliul consultativ pentru educatie",
        kind=AdvisoryStructure.Kind.COUNCIL,
        territorial_level=AdvisoryStructure.TerritorialLevel.NATIONAL,
        legal_basis="Ordinul nr. 1/2024",
    )
    structure.domains.set([domain])
    return structure


@pytest.fixture
def dissolved_structure(db, institution):
    return AdvisoryStructure.objects.create(
        institution=institution,
        name="Grupul de lucru dizolvat",
        search_name="grupul de lucru dizolvat",
        kind=AdvisoryStructure.Kind.WORKING_GROUP,
        territorial_level=AdvisoryStructure.TerritorialLevel.NATIONAL,
        status=AdvisoryStructure.Status.DISSOLVED,
    )


@pytest.fixture
def open_call(db, structure, today):
    return MembershipCall.objects.create(
        structure=structure,
        title="Apel pentru membri 2025",
        seats_available=2,
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=10),
    )


@pytest.fixture
def closed_call(db, structure, today):
    return MembershipCall.objects.create(
        structure=structure,
        title="Apel încheiat",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today - datetime.timedelta(days=1),
    )


@pytest.fixture
def pending_organisation(db, county):
    return Organisation.objects.create(
        name="Fundația în Așteptare",
        legal_form=Organisation.LegalForm.FOUNDATION,
        fiscal_code="14399840",
        county=county,
        status=Organisation.Status.PENDING,
    )


@pytest.fixture
def pending_org_admin(db, pending_organisation):
    user = make_user("admin@pending.example.org", name="Paula Așteaptă")
    OrganisationMembership.objects.create(
        organisation=pending_organisation, user=user, role=OrganisationMembership.Role.ADMIN
    )
    return user


@pytest.fixture
def consent_link(django_capture_on_commit_callbacks):
    """consent_link(official) → the token of a fresh agreement e-mail sent to the official."""

    def make(official):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            official_services.official_request_consent_again(official=official, actor=None)
        (message,) = mail.outbox
        return re.search(r"/officials/agree/([^/\s]+)/", message.body).group(1)

    return make


def make_published_official(institution, name, *, domains=(), counties=()):
    """A relationship official who agreed to publication, covering `domains` and
    `counties` (none: every domain, the whole country)."""
    official = RelationshipOfficial.objects.create(
        institution=institution,
        name=name,
        position="consilier",
        email=f"{abs(hash(name))}@gov.example.ro",
        consented_at=timezone.now(),
    )
    official.domains.set(domains)
    official.counties.set(counties)
    return official
