"""The query count of every page and API endpoint of the guide not pinned elsewhere: each
is measured with a few rows, then again with more, and must stay at its number."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guide import selectors, services
from guide.models import (
    Edition,
    Method,
    NetworkMember,
    Practice,
    Registration,
    TrainingSession,
)
from registry.models import Domain, Institution, Organisation
from tests.conftest import make_user

from .conftest import make_session

pytestmark = pytest.mark.django_db

# Readers.
EDITION_LIST = 1  # the editions
EDITION_DETAIL = 3  # the edition, its contents, the current edition
COMPARE = 5  # the editions of the form, the two editions, their sections
SEARCH = 2  # the current edition, the matching sections
PRACTICE_DETAIL = 6  # the practice, domains, methods, documents, consultations, proposals
NETWORK = 3  # the members, the coming and the past events
API_EDITIONS = 2  # count, page
API_SECTION = 2  # the current edition, the section
API_PRACTICE = 5  # the practice, domains, methods, consultations, proposals
# Organisers and coordinators (signed in: the session and the user's roles included).
ORGANISER_DETAIL = 11  # with the questionnaires attached to the session (issue 20)
ATTENDANCE = 7
COVERAGE = 10
EDIT_OVERVIEW = 8
API_SESSION = 4


def queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200, url
    return len(captured)


def assert_flat(client, url, grow, expected, data=None):
    """`url` costs `expected` queries, and still does after `grow()` added rows (after a
    first request, which also reads the signed-in user's session into the cache)."""
    address = url if callable(url) else (lambda: url)
    client.get(address(), data or {})
    before = queries(client, address(), data)
    grow()
    after = queries(client, address(), data)
    assert (before, after) == (expected, expected), url


def test_editions_compare_and_search(client, coordinator, edition):
    """The editions' list, an edition, the comparison and the search cost the same
    queries whatever the number of editions and sections."""
    services.edition_publish(actor=coordinator, note_ro="A doua ediție.")

    def more():
        chapter = selectors.working_copy()[0]
        for index in range(3):
            services.section_save(
                actor=coordinator,
                chapter=chapter,
                key=f"extra-{index}-{Edition.objects.count()}",
                position=10 + index,
                title_ro=f"Secțiunea {index}",
                body_ro="<p>O consultare publică în plus.</p>",
            )
        services.edition_publish(actor=coordinator, note_ro="Încă o ediție.")

    assert_flat(client, reverse("guide:edition-list"), more, EDITION_LIST)
    assert_flat(client, reverse("guide:edition", args=[1]), more, EDITION_DETAIL)
    assert_flat(client, reverse("guide:compare"), more, COMPARE, {"old": 1, "new": 2})
    assert_flat(client, reverse("guide:search"), more, SEARCH, {"q": "consultare"})
    assert_flat(client, reverse("api-v1:guide-edition-list"), more, API_EDITIONS)

    def current_section():
        current = selectors.current_edition().sections.get(key="consultations")
        return reverse("api-v1:guide-section-detail", args=[current.pk])

    assert_flat(client, current_section, more, API_SECTION)


def test_practice_and_network_pages(client, institution, county, citizen):
    """A practice's page (with its tags, documents and links) and the network's page
    cost the same queries whatever the number of tags, links, members and events."""
    practice = Practice.objects.create(
        title="Buget participativ",
        problem="p",
        what_was_done="w",
        results="r",
        contact="c",
        institution=institution,
        county=county,
        status=Practice.Status.PUBLISHED,
    )
    NetworkMember.objects.create(institution=institution)
    make_session(is_network_event=True)
    made = {"n": 0}

    def more():
        made["n"] += 1
        n = made["n"]
        practice.domains.add(*Domain.objects.all()[:3])
        practice.methods.add(*Method.objects.all()[:3])
        practice.documents.create(title=f"Raport {n}", file=f"guide/practices/r{n}.pdf")
        other = Institution.objects.create(
            name=f"Ministerul {n}",
            kind=Institution.Kind.MINISTRY,
            level=Institution.Level.CENTRAL,
            county=county,
        )
        NetworkMember.objects.create(institution=other)
        organisation = Organisation.objects.create(
            name=f"Asociația {n}",
            legal_form=Organisation.LegalForm.ASSOCIATION,
            county=county,
            status=Organisation.Status.VERIFIED,
        )
        NetworkMember.objects.create(organisation=organisation)
        make_session(is_network_event=True, topic=f"Eveniment {n}")
        make_session(is_network_event=True, days=-3, topic=f"Trecut {n}")

    assert_flat(client, practice.get_absolute_url(), more, PRACTICE_DETAIL)
    assert_flat(client, reverse("guide:network"), more, NETWORK)
    assert_flat(client, reverse("api-v1:practice-detail", args=[practice.pk]), more, API_PRACTICE)


def test_organiser_pages(client, coordinator, institution, county):
    """A session's page as its organiser, the attendance page, the coverage page and the
    editing overview cost the same queries whatever the number of people registered."""
    session = make_session(capacity=50)
    made = {"n": 0}

    def more():
        for _ in range(3):
            made["n"] += 1
            user = make_user(f"p{made['n']}@example.org", name=f"Persoana {made['n']}")
            Registration.objects.create(
                session=session,
                user=user,
                institution=institution,
                status=Registration.Status.CONFIRMED,
                attended=True,
            )

    client.force_login(coordinator)
    assert_flat(client, session.get_absolute_url(), more, ORGANISER_DETAIL)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert_flat(client, reverse("guide:training-attendance", args=[session.pk]), more, ATTENDANCE)
    assert_flat(client, reverse("guide:training-coverage"), more, COVERAGE)
    assert_flat(client, reverse("guide:edit"), more, EDIT_OVERVIEW)
    assert_flat(
        client, reverse("api-v1:training-session-detail", args=[session.pk]), more, API_SESSION
    )
