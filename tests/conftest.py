"""Shared fixtures: a user of every role, and the objects that give them their role."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.utils import translation

from conect.accounts.models import User
from registry.geography import load_reference_geography
from registry.models import (
    County,
    Domain,
    Institution,
    InstitutionStaff,
    Organisation,
    OrganisationMembership,
    Region,
)
from registry.services.domains import seed_default_domains
from tests.browser import browser, page, page_for  # noqa: F401  (fixtures)

PASSWORD = "correct-horse-battery-staple-42"


def make_user(email: str, *, name: str = "Test User", verified: bool = True, **extra) -> User:
    """A user; they read the site in English (the tests' language) unless told otherwise,
    since a signed-in user's preferred language wins over Accept-Language."""
    extra.setdefault("preferred_language", "en")
    user = User.objects.create_user(email=email, password=PASSWORD, name=name, **extra)
    if verified:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The reference data that migrations load (regions, counties, domains) is there for
    every database test, even after a transactional test (a browser test) flushed it."""
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    ):
        request.getfixturevalue("_django_db_helper")
        ensure_reference_data()
    yield


def ensure_reference_data():
    if Region.objects.count() != 8 or not Domain.objects.exists():
        load_reference_geography(Region, County)
        seed_default_domains(Domain)


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called outside a request (services, tasks, selectors) answers in English in
    every test, whatever language the test before left active: a request still chooses
    its own language (user preference, cookie, Accept-Language, then Romanian)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def county(db):
    ensure_reference_data()  # also for tests that ask for the database only lazily
    return County.objects.get(code="RO113")  # Cluj, in Nord-Vest


@pytest.fixture
def organisation(db, county):
    return Organisation.objects.create(
        name="Asociația Exemplu",
        legal_form=Organisation.LegalForm.ASSOCIATION,
        fiscal_code="18547290",
        county=county,
        status=Organisation.Status.VERIFIED,
    )


@pytest.fixture
def institution(db):
    return Institution.objects.create(
        name="Ministerul Educației",
        kind=Institution.Kind.MINISTRY,
        level=Institution.Level.CENTRAL,
    )


@pytest.fixture
def other_institution(db):
    return Institution.objects.create(
        name="Ministerul Sănătății",
        kind=Institution.Kind.MINISTRY,
        level=Institution.Level.CENTRAL,
    )


@pytest.fixture
def citizen(db):
    # The one fixture user who reads the site in Romanian, the platform's default.
    return make_user("citizen@example.org", name="Ion Cetățean", preferred_language="ro")


@pytest.fixture
def unverified_user(db):
    return make_user("unverified@example.org", name="Ana Neverificată", verified=False)


@pytest.fixture
def ngo_member(db, organisation):
    user = make_user("member@ngo.example.org", name="Maria Membru")
    OrganisationMembership.objects.create(
        organisation=organisation, user=user, role=OrganisationMembership.Role.MEMBER
    )
    return user


@pytest.fixture
def ngo_admin(db, organisation):
    user = make_user("admin@ngo.example.org", name="Andrei Administrator")
    OrganisationMembership.objects.create(
        organisation=organisation, user=user, role=OrganisationMembership.Role.ADMIN
    )
    return user


@pytest.fixture
def civil_servant(db, institution):
    user = make_user("servant@gov.example.ro", name="Elena Funcționar")
    InstitutionStaff.objects.create(
        institution=institution,
        user=user,
        role=InstitutionStaff.Role.MEMBER,
        status=InstitutionStaff.Status.APPROVED,
    )
    return user


@pytest.fixture
def institution_admin(db, institution):
    user = make_user("head@gov.example.ro", name="Radu Șef")
    InstitutionStaff.objects.create(
        institution=institution,
        user=user,
        role=InstitutionStaff.Role.ADMIN,
        status=InstitutionStaff.Status.APPROVED,
    )
    return user


@pytest.fixture
def other_civil_servant(db, other_institution):
    user = make_user("servant@other.example.ro", name="Vlad Altul")
    InstitutionStaff.objects.create(
        institution=other_institution,
        user=user,
        role=InstitutionStaff.Role.MEMBER,
        status=InstitutionStaff.Status.APPROVED,
    )
    return user


@pytest.fixture
def coordinator(db):
    """A coordinator, with the authenticator app every coordinator must have."""
    user = make_user("coordinator@sgg.example.ro", name="Ioana Coordonator", is_coordinator=True)
    with_second_factor(user)
    return user


def with_second_factor(user):
    """Give `user` an activated authenticator app (TOTP), as a coordinator must have."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def superuser(db):
    user = User.objects.create_superuser(
        email="root@sgg.example.ro", password=PASSWORD, name="Root"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return with_second_factor(user)
