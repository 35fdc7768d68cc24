"""The home page explains CONECT and leads each kind of user to its part."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from conect.core.selectors import home_totals
from consultations.models import Consultation
from registry.models import Organisation
from registry.stats import STATS_VERSION_KEY
from tests.consultations.conftest import make_consultation

pytestmark = pytest.mark.django_db

# Queries of an anonymous visit: the open consultations and the verified organisations,
# plus the totals when the statistics version changed (the map's layers, with the
# proposals' and the public services' feedback, and the count of institutions).
WARM = 2
COLD = 16


def _url(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def test_home_speaks_to_every_audience(client):
    """NGOs, civil servants, citizens, coordinators and API users each have a section."""
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "Non-governmental organisations",
        "Civil servants",
        "Citizens",
        "Coordinators of the General Secretariat",
        "Developers and researchers",
    ):
        assert heading in html
    assert reverse("api-v1:docs") in html
    assert html.count("<h1") == 1


def test_anonymous_visitor_is_invited_to_create_an_account(client):
    """A visitor is led to sign up, the way in for NGOs and citizens."""
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Create an account to register your organisation" in html
    assert f'href="{reverse("account_signup")}"' in html


def test_coordinator_is_led_to_the_verification_queue(client, coordinator, citizen):
    """Coordinators get their tools on the home page; citizens do not."""
    queue = _url("registry:verification-queue")
    if queue is None:
        pytest.skip("the verification queue is not installed yet")
    client.force_login(coordinator)
    main = client.get(reverse("home")).content.decode().split("<main", 1)[1]
    assert f'href="{queue}"' in main
    client.force_login(citizen)
    main = client.get(reverse("home")).content.decode().split("<main", 1)[1]
    assert f'href="{queue}"' not in main


def test_a_visitors_home_page_is_not_shown_to_a_signed_in_person(client, citizen):
    """A visitor's invitation to sign up is not shown to the citizen who comes next, nor
    the citizen's links to the next visitor."""
    invitation = "Create an account to register your organisation"
    register = f'href="{reverse("registry:organisation-create")}"'
    visitor = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").text
    assert invitation in visitor and register not in visitor
    client.force_login(citizen)
    signed_in = client.get(reverse("home")).text
    assert invitation not in signed_in and register in signed_in
    client.logout()
    again = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").text
    assert invitation in again and register not in again


def _records(n, institution, county):
    """`n` verified organisations and `n` open consultations."""
    now = timezone.now()
    for i in range(n):
        Organisation.objects.create(
            name=f"Asociația Nouă {i}",
            legal_form=Organisation.LegalForm.ASSOCIATION,
            county=county,
            locality="Cluj-Napoca",
            status=Organisation.Status.VERIFIED,
            verified_at=now - datetime.timedelta(days=i),
        )
        make_consultation(institution, title=f"Proiect deschis {i}")


def _bump():
    """What a service does after a change: the cached totals are stale."""
    try:
        cache.incr(STATS_VERSION_KEY)
    except ValueError:
        cache.set(STATS_VERSION_KEY, 2, timeout=None)


def test_home_shows_what_is_happening(client, institution, county):
    """The newest open consultations (with institution and closing date) and the newest
    verified organisations, linked, and the map's totals, each with its full list."""
    _records(2, institution, county)
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").text
    main = html.split("<main", 1)[1]
    consultation = Consultation.objects.order_by("pk").first()
    organisation = Organisation.objects.order_by("pk").first()
    assert f'href="{consultation.get_absolute_url()}"' in main
    assert "Proiect deschis 1" in main and "Ministerul Educației" in main
    assert "recommendations until" in main
    assert f'href="{organisation.get_absolute_url()}"' in main
    assert "Asociația Nouă 0" in main and "verified on" in main
    for label in ("Open consultations", "Recently verified organisations", "CONECT in figures"):
        assert label in main
    assert f'href="{reverse("consultations:list")}"' in main
    assert f'href="{reverse("registry:organisation-list")}"' in main
    totals = {total.key: total.count for total in home_totals()}
    assert totals == {
        "organisations": 2,
        "institutions": 1,
        "officials": 0,
        "structures": 0,
        "consultations": 2,
    }


def test_home_lists_only_the_newest_five(client, institution, county):
    """Each list shows the newest few, not the whole registry."""
    _records(7, institution, county)
    main = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").text.split("<main", 1)[1]
    assert "Asociația Nouă 4" in main and "Asociația Nouă 5" not in main
    assert main.count("Proiect deschis") == 5


def test_home_shows_empty_lists_plainly(client):
    """With nothing open and nothing verified, the home page says so."""
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").text
    assert "No consultation is open at the moment." in html
    assert "No organisation has been verified yet." in html


@pytest.mark.parametrize("n", [2, 10])
def test_home_costs_a_constant_number_of_queries(
    client, institution, county, n, django_assert_num_queries
):
    """The same queries with 2 and with 10 records of each kind: the two lists and, once
    per statistics version, the totals; none per row."""
    _records(n, institution, county)
    client.get(reverse("home"))  # the map's statistics, cached with the version
    _bump()
    with django_assert_num_queries(COLD):
        assert client.get(reverse("home")).status_code == 200
    with django_assert_num_queries(WARM):
        assert client.get(reverse("home")).status_code == 200


def test_home_totals_are_cached_per_language_until_the_version_changes(institution, county):
    """The totals come from the shared cache, in each language, and a bump of the
    statistics version (what every registry and consultation service does) refreshes
    them."""
    with translation.override("ro"):
        romanian = home_totals()
    english = home_totals()
    assert romanian[0].label != english[0].label
    assert english[0].count == 0
    _records(1, institution, county)
    assert home_totals()[0].count == 0  # still cached
    _bump()
    assert home_totals()[0].count == 1
