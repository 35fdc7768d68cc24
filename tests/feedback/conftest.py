"""Fixtures of the feedback on public services: a city hall in Cluj with one service,
and a way to give answers as people do (through the service, from distinct addresses)."""

import itertools

import pytest
from django.test import Client, TestCase

from registry.models import Institution, InstitutionStaff
from surveys.feedback import services
from surveys.feedback.models import Service
from tests.conftest import make_user

_addresses = itertools.count(1)


def next_address() -> str:
    n = next(_addresses)
    return f"198.51.{n // 250}.{n % 250 + 1}"


def give(service, n=1, **data):
    """`n` answers to `service`, each from its own client address, with what happens
    once each commits (the indices' versions bumped)."""
    data.setdefault("satisfaction", 5)
    data.setdefault("language", "ro")
    with TestCase.captureOnCommitCallbacks(execute=True):
        return [
            services.answer_submit(service=service, client_address=next_address(), **data)
            for _i in range(n)
        ]


@pytest.fixture
def city_hall(db, county):
    return Institution.objects.create(
        name="Primăria Municipiului Cluj-Napoca",
        kind=Institution.Kind.CITY_HALL,
        level=Institution.Level.LOCAL,
        county=county,
    )


@pytest.fixture
def city_hall_staff(db, city_hall):
    user = make_user("functionar@primaria.example.ro", name="Dana Funcționar")
    InstitutionStaff.objects.create(
        institution=city_hall,
        user=user,
        role=InstitutionStaff.Role.MEMBER,
        status=InstitutionStaff.Status.APPROVED,
    )
    return user


@pytest.fixture
def service(db, city_hall, county):
    return Service.objects.create(
        institution=city_hall,
        name="Eliberarea certificatului de urbanism",
        channel="counter",
        county=county,
        locality="Cluj-Napoca",
        responsible="Direcția Urbanism",
    )


@pytest.fixture
def other_service(db, other_institution):
    return Service.objects.create(institution=other_institution, name="Avizare")


@pytest.fixture
def client_en():
    return Client(HTTP_ACCEPT_LANGUAGE="en")
