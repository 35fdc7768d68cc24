"""The administration site: coordinators look, superusers change; in both languages."""

import pytest
from django.urls import reverse

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

# +1 for a coordinator: their second factor, checked on every page
USER_LIST_QUERIES = 10  # session, user, 2 permission lookups, 2 counts, rows, date hierarchy (2)
ROLES = ["anonymous", "citizen", "ngo_member", "civil_servant", "coordinator", "superuser"]
# role: (index, user list, user change page, can save a change)
EXPECTED = {
    "anonymous": ("login", "login", "login", False),
    "citizen": (403, 403, 403, False),
    "ngo_member": (403, 403, 403, False),
    "civil_servant": (403, 403, 403, False),
    "coordinator": (200, 200, 200, False),
    "superuser": (200, 200, 200, True),
}


def _status(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return "login"
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_admin_role_matrix(client, request, role, citizen):
    """Anonymous visitors are sent to sign in, citizens, NGO members and civil servants
    are refused, coordinators may look at users but not change them, superusers may."""
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    index, changelist, change, can_save = EXPECTED[role]
    change_url = reverse("admin:accounts_user_change", args=[citizen.pk])

    assert _status(client.get(reverse("admin:index"))) == index
    assert _status(client.get(reverse("admin:accounts_user_changelist"))) == changelist
    page = client.get(change_url)
    assert _status(page) == change

    response = client.post(
        change_url,
        {
            "email": citizen.email,
            "name": "Changed Name",
            "preferred_language": "ro",
            "is_active": "on",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    citizen.refresh_from_db()
    assert (citizen.name == "Changed Name") is can_save
    if role == "coordinator":
        assert response.status_code == 403
        # The page is read-only: no save button.
        assert 'name="_save"' not in page.content.decode()


def test_anonymous_is_sent_to_the_sites_sign_in_page(client):
    """The admin's own login form is not used: the visitor goes to CONECT's sign-in and
    comes back to the admin afterwards."""
    response = client.get(reverse("admin:index"))
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('admin:index')}"
    response = client.get(reverse("admin:login"))
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('admin:index')}"


def test_user_list_search_and_filters(client, coordinator, citizen, ngo_member):
    """Coordinators find users by e-mail or name and filter by role and state."""
    client.force_login(coordinator)
    url = reverse("admin:accounts_user_changelist")
    response = client.get(url, {"q": "Cetățean"})
    assert list(response.context["cl"].result_list) == [citizen]
    response = client.get(url, {"q": "ngo.example.org"})
    assert list(response.context["cl"].result_list) == [ngo_member]
    response = client.get(url, {"is_coordinator__exact": "1"})
    assert list(response.context["cl"].result_list) == [coordinator]


def test_user_list_query_count(client, coordinator, citizen, ngo_member, django_assert_num_queries):
    """The user list costs the same number of queries however many users it shows."""
    client.force_login(coordinator)
    url = reverse("admin:accounts_user_changelist")
    with django_assert_num_queries(USER_LIST_QUERIES):
        client.get(url)
    for index in range(5):
        make_user(f"extra{index}@example.org")
    with django_assert_num_queries(USER_LIST_QUERIES):
        client.get(url)


def test_date_joined_is_read_only(client, superuser, citizen):
    """Even a superuser cannot rewrite when an account was created."""
    client.force_login(superuser)
    page = client.get(reverse("admin:accounts_user_change", args=[citizen.pk]))
    assert 'name="date_joined' not in page.content.decode()


@pytest.mark.parametrize(("language", "title"), [("en", "CONECT administration"), ("ro", None)])
def test_admin_in_both_languages(client, coordinator, language, title):
    """The admin follows the user's language."""
    coordinator.preferred_language = language
    coordinator.save(update_fields=["preferred_language"])
    client.force_login(coordinator)
    html = client.get(reverse("admin:index")).content.decode()
    assert f'<html lang="{language}"' in html
    if title:
        assert title in html
