"""Fixtures of the API tests: clients (anonymous, with a token, in a language), personal
tokens, and registry records in every state of visibility."""

import datetime
import itertools

import pytest
from django.test import Client
from django.utils import timezone
from stdnum.ro import cui

from conect.api.services import api_token_create
from conect.core.text import fold
from registry.models import (
    AdvisoryStructure,
    County,
    Domain,
    Institution,
    Organisation,
    OrganisationMembership,
    RelationshipOfficial,
    Seat,
)
from tests.conftest import make_user

# Valid Romanian fiscal codes (CUI with a correct check digit), one per organisation made.
_FISCAL_CODES = itertools.count(1)


def valid_fiscal_code(seed: int) -> str:
    """A CUI whose control digit is right."""
    body = str(20_000_000 + seed)
    return body + cui.calc_check_digit(body)


def make_organisation(name="Asociația Test", *, status=Organisation.Status.VERIFIED, **extra):
    extra.setdefault("legal_form", Organisation.LegalForm.ASSOCIATION)
    extra.setdefault("county", County.objects.get(code="RO113"))
    domains = extra.pop("domains", [])
    organisation = Organisation.objects.create(
        name=name,
        fiscal_code=valid_fiscal_code(1000 + next(_FISCAL_CODES)),
        status=status,
        search_name=fold(name),
        **extra,
    )
    if domains:
        organisation.domains.set(domains)
    return organisation


def make_official(institution, name="Dana Oficial", *, published=True, **extra):
    official = RelationshipOfficial.objects.create(
        institution=institution,
        name=name,
        position=extra.pop("position", "Consilier"),
        email=extra.pop("email", f"{name.split()[0].lower()}@gov.example.ro"),
        consented_at=timezone.now() if published else None,
        search_name=fold(name),
        **extra,
    )
    return official


def make_structure(institution, name="Consiliul consultativ", **extra):
    extra.setdefault("kind", AdvisoryStructure.Kind.COUNCIL)
    extra.setdefault("territorial_level", AdvisoryStructure.TerritorialLevel.NATIONAL)
    return AdvisoryStructure.objects.create(
        institution=institution, name=name, search_name=fold(name), **extra
    )


def make_seat(structure, *, organisation=None, official=None, **extra):
    extra.setdefault("mandate_start", datetime.date(2024, 1, 1))
    return Seat.objects.create(
        structure=structure, organisation=organisation, official=official, **extra
    )


@pytest.fixture
def api():
    """An anonymous API client that asks for English."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def make_token():
    """make_token(user, name="...") → the key of a new personal token of `user`."""

    def _make(user, name="Script"):
        _token, key = api_token_create(user=user, name=name)
        return key

    return _make


@pytest.fixture
def token_client(make_token):
    """token_client(user) → an API client (English) that sends a token of `user`."""

    def _client(user):
        key = make_token(user)
        return Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Token {key}")

    return _client


@pytest.fixture
def domains(db):
    return list(Domain.objects.filter(is_active=True).order_by("slug")[:3])


@pytest.fixture
def other_org_admin(db):
    other = make_organisation("Fundația Alta", legal_form=Organisation.LegalForm.FOUNDATION)
    user = make_user("admin@other-ngo.example.org", name="Olga Alta")
    OrganisationMembership.objects.create(
        organisation=other, user=user, role=OrganisationMembership.Role.ADMIN
    )
    return user


@pytest.fixture
def hidden_organisations(db):
    """One organisation in each status that the public never sees."""
    return [
        make_organisation(f"Ascunsă {status}", status=status)
        for status in (
            Organisation.Status.PENDING,
            Organisation.Status.REJECTED,
            Organisation.Status.SUSPENDED,
        )
    ]


@pytest.fixture
def central_institution(db):
    return Institution.objects.create(
        name="Secretariatul General al Guvernului",
        kind=Institution.Kind.CENTRAL_AGENCY,
        level=Institution.Level.CENTRAL,
        search_name="secretariatul general al guvernului",
    )


def results(response):
    return response.json()["results"]


def ids(response):
    return [row["id"] for row in results(response)]
