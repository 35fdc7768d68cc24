"""Atom feeds of new consultations (all, per domain, per institution), the iCalendar file
of deadlines, and the map's count of open consultations per county."""

import datetime
import xml.etree.ElementTree as ET

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from consultations import dates, selectors
from consultations.models import Consultation, Debate
from registry.models import County

from .conftest import make_consultation

State = Consultation.State
ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]


def test_atom_feeds(client, institution, other_institution, domain, django_assert_max_num_queries):
    """New public consultations, newest first; drafts never; per domain and institution."""
    old = make_consultation(
        institution, title="Veche", published_at=timezone.now() - datetime.timedelta(days=3)
    )
    old.domains.add(domain)
    make_consultation(other_institution, title="Nouă", published_at=timezone.now())
    make_consultation(institution, state=State.DRAFT, title="Ciornă")
    with django_assert_max_num_queries(3):
        assert _entries(client.get(reverse("consultations:feed"))) == ["Nouă", "Veche"]
    assert _entries(client.get(reverse("consultations:feed-domain", args=[domain.slug]))) == [
        "Veche"
    ]
    assert _entries(
        client.get(reverse("consultations:feed-institution", args=[other_institution.pk]))
    ) == ["Nouă"]
    assert client.get(reverse("consultations:feed-domain", args=["nu-exista"])).status_code == 404


def test_icalendar_of_deadlines_with_the_list_filters(
    django_assert_max_num_queries, client, institution, other_institution, civil_servant
):
    today = dates.local_today()
    ours = make_consultation(
        institution, title="A noastră", closes_on=today + datetime.timedelta(days=4)
    )
    make_consultation(other_institution, title="A lor")
    make_consultation(institution, state=State.CLOSED, title="Închisă")
    Debate.objects.create(
        consultation=ours, starts_at=timezone.now() + datetime.timedelta(days=5), place="Sala 1"
    )
    # the institutions the filter offers, the consultations, their debates
    with django_assert_max_num_queries(3):
        response = client.get(reverse("consultations:calendar"), {"institution": institution.pk})
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    debate = Debate.objects.get()
    assert set(events) == {f"consultation-{ours.pk}-deadline@conect", f"debate-{debate.pk}@conect"}
    deadline = events[f"consultation-{ours.pk}-deadline@conect"]
    assert deadline.decoded("dtstart") == ours.closes_on
    assert str(deadline["url"]).endswith(ours.get_absolute_url())
    all_open = Calendar.from_ical(client.get(reverse("consultations:calendar")).content)
    assert len(all_open.walk("VEVENT")) == 3  # two deadlines and a debate


def test_icalendar_of_one_consultation(client, consultation, institution, citizen):
    response = client.get(reverse("consultations:calendar-consultation", args=[consultation.pk]))
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == consultation.closes_on
    draft = make_consultation(institution, state=State.DRAFT)
    url = reverse("consultations:calendar-consultation", args=[draft.pk])
    assert client.get(url).status_code == 302
    client.force_login(citizen)
    assert client.get(url).status_code == 403


def test_open_consultations_by_county(institution):
    """For the map: open consultations per county code, national ones under None; a
    region counts in each of its counties, and nothing counts twice."""
    cluj = County.objects.get(code="RO113")
    region_counties = set(
        County.objects.filter(region_id=cluj.region_id).values_list("code", flat=True)
    )
    make_consultation(institution, is_national=True)
    make_consultation(institution, is_national=True, state=State.CLOSED)
    local = make_consultation(institution, is_national=False)
    local.counties.add(cluj)
    regional = make_consultation(institution, is_national=False)
    regional.regions.add(cluj.region_id)
    regional.counties.add(cluj)
    draft = make_consultation(institution, is_national=False, state=State.DRAFT)
    draft.counties.add(cluj)
    counts = selectors.open_consultations_by_county()
    assert counts[None] == 1
    assert counts["RO113"] == 2
    for code in region_counties - {"RO113"}:
        assert counts[code] == 1
    assert set(counts) == region_counties | {None}
