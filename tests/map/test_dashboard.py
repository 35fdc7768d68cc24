"""The coordinators' dashboard: who may see it, its numbers, its query count and CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registry.map import selectors
from registry.models import Institution, Organisation
from registry.stats import bump_stats_version

from .conftest import make_official, make_org

pytestmark = pytest.mark.django_db

ROLES_DENIED = [
    "citizen",
    "unverified_user",
    "ngo_member",
    "ngo_admin",
    "civil_servant",
    "institution_admin",
]
ROLES_ALLOWED = ["coordinator", "superuser"]


@pytest.fixture
def dashboard_data(registry_data, geo):
    """On top of the registry data: registrations in three months, three more NGOs
    waiting (3, 20 and 100 days, in Bihor, created earlier) and two institutions without an
    official."""
    bihor, cluj = geo["county"]["RO111"], geo["county"]["RO113"]
    now = timezone.now()
    starts = selectors._month_starts(now, 12)
    make_org(cluj, created_at=starts[0] + timedelta(days=3))  # 11 months ago
    make_org(bihor, created_at=starts[9] + timedelta(days=3))
    make_org(None, created_at=starts[9] + timedelta(days=4))
    make_org(cluj, created_at=starts[0] - timedelta(days=3))  # too old: not counted
    make_org(cluj, status=Organisation.Status.IMPORTED)  # imported: not a registration
    # Created before the twelve months counted, whatever today's date: their wait starts
    # when they became pending.
    for days in (3, 20, 100):
        make_org(
            bihor,
            status=Organisation.Status.PENDING,
            name=f"Asteaptă {days}",
            created_at=starts[0] - timedelta(days=days),
            status_changed_at=now - timedelta(days=days),
        )
    Institution.objects.create(
        name="Primăria Test",
        kind=Institution.Kind.CITY_HALL,
        level=Institution.Level.LOCAL,
        county=cluj,
    )
    council = Institution.objects.create(
        name="Consiliul Județean Test",
        kind=Institution.Kind.COUNTY_COUNCIL,
        level=Institution.Level.COUNTY,
        county=cluj,
    )
    make_official(council, counties=[cluj], published=False)
    return {"starts": starts}


@pytest.mark.parametrize("role", ROLES_DENIED)
@pytest.mark.parametrize("url_name", ["map:dashboard", "map:dashboard-csv"])
def test_other_users_are_refused(role, url_name, request, client):
    """Signed-in users who are not coordinators get 403, on the page and the CSV."""
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", ["map:dashboard", "map:dashboard-csv"])
def test_anonymous_is_sent_to_sign_in(url_name, client, db):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ROLES_ALLOWED)
def test_coordinators_and_superusers_see_it(role, request, client, registry_data):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("map:dashboard")).status_code == 200
    assert client.get(reverse("map:dashboard-csv")).status_code == 200


def test_permission_rule():
    """The named permission the views and templates ask."""
    import rules

    assert rules.perm_exists("registry.view_dashboard")


def test_registrations_per_month_by_region(dashboard_data):
    """Registrations of the last 12 months by region; imported records and older ones are
    left out; a registration with no county shows as unknown location."""
    data = selectors.registrations_by_month()
    starts = dashboard_data["starts"]
    assert data["months"] == [s.strftime("%Y-%m") for s in starts]
    nord_vest = data["series"]["RO11"]
    assert nord_vest[0] == 1 and nord_vest[9] == 1
    # The registry data's NGOs created now: in Nord-Vest 4 verified, 1 pending, 1 rejected.
    assert nord_vest[11] == 6
    assert data["series"][None][9] == 1
    assert data["series"]["RO42"][11] == 2


def test_verification_queue_age(dashboard_data):
    """Pending NGOs: how many, the oldest, the median wait in days, by age band."""
    queue = selectors.verification_queue_age()
    assert queue["pending"] == 4  # one from the registry data (waiting since now) + three
    assert queue["oldest"]["name"] == "Asteaptă 100"
    assert queue["oldest_days"] == 100
    assert queue["median_days"] == pytest.approx(11.5, abs=0.1)
    assert [b["count"] for b in queue["buckets"]] == [2, 1, 0, 1]


def test_institutions_without_official(dashboard_data):
    """An official awaiting agreement does not count: the county council has none."""
    result = selectors.institutions_without_official()
    assert result["total"] == 2
    by_kind = {row["kind"]: row["count"] for row in result["by_kind"]}
    assert by_kind["city_hall"] == 1 and by_kind["county_council"] == 1
    assert by_kind["ministry"] == 0
    assert [i.name for i in result["first"]] == ["Consiliul Județean Test", "Primăria Test"]


def test_structures_by_institution_and_domain(dashboard_data, domain_a):
    by_institution = selectors.structures_by_institution()
    assert [(r["name"], r["count"]) for r in by_institution["rows"]] == [
        ("Ministerul Test", 3),
        ("Prefectura Cluj", 1),
    ]
    assert by_institution["structures"] == 4 and by_institution["institutions"] == 2
    by_domain = selectors.structures_by_domain()
    assert by_domain["rows"][0]["slug"] == domain_a.slug and by_domain["rows"][0]["count"] == 1
    assert by_domain["without_domain"] == 3


def test_region_summary(dashboard_data):
    summary = selectors.region_summary()
    nord_vest = next(r for r in summary["rows"] if r["code"] == "RO11")
    assert nord_vest["organisations"] == 7  # 4 + the three added by dashboard_data
    assert nord_vest["organisations_all"] == 9
    assert nord_vest["pending"] == 4
    assert nord_vest["officials"] == 2
    assert nord_vest["institutions"] == 3
    assert nord_vest["institutions_without_official"] == 2
    assert summary["national"]["institutions"] == 1
    assert summary["national"]["officials"] == 1
    assert summary["unknown"]["organisations"] == 2
    assert summary["total"]["pending"] == 4
    assert summary["total"]["institutions"] == 4
    assert summary["total"]["organisations"] == 11


def test_dashboard_numbers_in_constant_queries(dashboard_data, django_assert_num_queries):
    """Everything the dashboard shows: its own queries plus the map's (one of them for
    the NGOs' projects, events and calls for volunteers, one for the proposals, one for
    the public services' feedback)."""
    with django_assert_num_queries(23):
        selectors.dashboard_data()


def test_dashboard_page_numbers_and_query_count(
    dashboard_data, coordinator, django_assert_num_queries
):
    """The page shows every table beside its chart, in a constant number of queries: the
    dashboard's 19 and 5 for the session, the user, the roles the navigation's rules read
    and its unread notifications."""
    coordinator.preferred_language = "en"  # a signed-in user's preference wins
    coordinator.save(update_fields=["preferred_language"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    # +1: the coordinator's second factor, checked on every page
    # +8: the feedback section (the map's feedback layer, then 7 of its own, cached)
    # +10: the guide's practices layer of the map, and the guide's monitoring and training
    with django_assert_num_queries(48):  # unread notifications; projects (1); proposals (1 + 3)
        response = client.get(reverse("map:dashboard"))
    html = response.content.decode()
    for chart in ("registrations", "queue", "without_official", "by_institution", "by_domain"):
        assert f'data-chart="{chart}"' in html
    for table in ("registrations", "queue", "without-kind", "by-institution", "by-domain"):
        assert f'id="table-{table}"' in html
    assert "vendor/chart.js/chart.umd.js" in html and "js/dashboard.js" in html
    assert "Asteaptă 100, since" in html and "(100 days)" in html
    assert "2 public institutions have no published relationship official." in html
    assert response.context["charts"]["registrations"]["stacked"] is True
    assert len(response.context["charts"]["registrations"]["datasets"]) == 9  # 8 + unknown
    # More records, same number of queries.
    for _i in range(5):
        make_org(None, status=Organisation.Status.PENDING)
    cache.clear()  # the map's numbers (and the unread notifications) computed again too
    with django_assert_num_queries(48):
        client.get(reverse("map:dashboard"))


def test_dashboard_is_kept_until_what_it_counts_changes(
    dashboard_data, coordinator, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """A second visit reads the dashboard from the shared cache; a new registration (a new
    statistics version) shows at once."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    first = client.get(reverse("map:dashboard")).context["data"]
    with django_assert_max_num_queries(7):  # session, user, roles, second factor
        again = client.get(reverse("map:dashboard")).context["data"]
    assert again["queue"] == first["queue"]
    with django_capture_on_commit_callbacks(execute=True):
        make_org(None, status=Organisation.Status.PENDING)
        bump_stats_version()
    after = client.get(reverse("map:dashboard")).context["data"]
    assert after["queue"] != first["queue"]


def test_dashboard_csv(dashboard_data, coordinator):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    coordinator.preferred_language = "en"
    coordinator.save()
    client.force_login(coordinator)
    response = client.get(reverse("map:dashboard-csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "conect-summary-by-region.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0][:4] == ["Code", "Region", "Population", "Verified NGOs"]
    assert len(rows) == 1 + 8 + 3
    nord_vest = next(r for r in rows if r[0] == "RO11")
    assert nord_vest[1:5] == ["Nord-Vest", "2521793", "7", "9"]
    assert rows[-1][1] == "Total"
