"""The profile page: name and preferred language."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_sign_in(client):
    """The profile needs a signed-in user."""
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('accounts:profile')}"


def test_user_changes_name_and_language(client, citizen):
    """Saving the profile stores both and the site switches to the chosen language."""
    client.force_login(citizen)
    response = client.post(
        reverse("accounts:profile"), {"name": "Ion Nou", "preferred_language": "en"}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.name, citizen.preferred_language) == ("Ion Nou", "en")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("accounts:profile"))
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert "Your profile was saved." in html


def test_bad_input_changes_nothing(client, citizen):
    """An empty name or an unknown language is refused with a message; nothing changes."""
    client.force_login(citizen)
    response = client.post(
        reverse("accounts:profile"),
        {"name": "", "preferred_language": "xx"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "preferred_language"}
    assert 'id="id_name_error"' in response.content.decode()
    citizen.refresh_from_db()
    assert (citizen.name, citizen.preferred_language) == ("Ion Cetățean", "ro")


def test_profile_page_query_count(client, citizen, django_assert_max_num_queries):
    """The profile page costs a handful of queries: session, user, the navigation's
    role lookups (each cached for the request) and its count of unread notifications."""
    client.force_login(citizen)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
