"""The home page explains CONECT and leads each kind of user to its part."""

import pytest
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db


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
