"""The navigation shows each role what it can do, as the permission layer decides."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "ngo_member", "civil_servant", "coordinator", "superuser"]

# Links every visitor gets (when that part of the site is installed).
PUBLIC_LINKS = [
    "registry:organisation-list",
    "registry:institution-list",
    "registry:official-list",
    "registry:structure-list",
    "map:map",
    "consultations:list",
]
# Links behind a permission: (permission, route).
GATED_LINKS = [
    ("registry.add_organisation", "registry:organisation-create"),
    ("registry.add_organisation", "registry:my-organisations"),
    ("consultations.add_consultation", "consultations:create"),
    ("registry.view_verification_queue", "registry:verification-queue"),
    ("registry.view_dashboard", "map:dashboard"),
    ("registry.import_registry", "registry:import-upload"),
    ("conect.access_admin", "admin:index"),
]
# What each role must see among the links that exist today, whatever other parts add.
EXPECTED = {
    #                 profile, admin, sign in, sign up, sign out
    "anonymous": (False, False, True, True, False),
    "citizen": (True, False, False, False, True),
    "ngo_member": (True, False, False, False, True),
    "civil_servant": (True, False, False, False, True),
    "coordinator": (True, True, False, False, True),
    "superuser": (True, True, False, False, True),
}


def _route(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _nav_links(html: str) -> set[str]:
    header = html[html.index("<header") : html.index("</header>")]
    links = set(re.findall(r'href="([^"?#]+)', header))
    links |= {f"form:{action}" for action in re.findall(r'<form[^>]*action="([^"]+)"', header)}
    return links


@pytest.mark.parametrize("role", ROLES)
def test_navigation_role_matrix(client, request, role):
    """Each role sees the links it may use, and no other."""
    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    if role != "anonymous":
        client.force_login(user)
    links = _nav_links(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode())

    profile, admin, sign_in, sign_up, sign_out = EXPECTED[role]
    assert (reverse("accounts:profile") in links) is profile
    assert (reverse("admin:index") in links) is admin
    assert (reverse("account_login") in links) is sign_in
    assert (reverse("account_signup") in links) is sign_up
    assert (f"form:{reverse('account_logout')}" in links) is sign_out

    for name in PUBLIC_LINKS:
        url = _route(name)
        if url:
            assert url in links, name
    for permission, name in GATED_LINKS:
        url = _route(name)
        if url:
            assert (url in links) is user.has_perm(permission), (permission, name)


def test_the_navigation_asks_permissions_not_role_flags(client, citizen):
    """A user flagged as staff but without the coordinator role gets no admin link: the
    link follows the conect.access_admin rule."""
    citizen.is_staff = True
    citizen.save(update_fields=["is_staff"])
    client.force_login(citizen)
    links = _nav_links(client.get(reverse("home")).content.decode())
    assert reverse("admin:index") not in links


def test_anonymous_navigation_costs_no_query(client, django_assert_num_queries):
    """A page that shows no data (the accessibility statement) costs a visitor no query:
    the layout and its navigation read nothing."""
    with django_assert_num_queries(0):
        client.get(reverse("accessibility"))


def test_signed_in_navigation_query_count(client, coordinator, django_assert_max_num_queries):
    """Asking every permission of the navigation costs a few queries, not one per link:
    the session, the user, one per role predicate (kept on the request's user) and the
    count of unread notifications (then cached: the next page does not ask it)."""
    client.force_login(coordinator)
    with django_assert_max_num_queries(7):
        client.get(reverse("accessibility"))
    with django_assert_max_num_queries(6):
        client.get(reverse("accessibility"))


def test_menus_of_one_person_are_not_shown_to_another(request):
    """Served one after the other (a coordinator, a citizen, the coordinator again, in
    both languages), each person gets their own links, their own name and a sign-out
    form whose CSRF token works for their session only."""
    from django.test import Client

    from tests.conftest import make_user

    people = {
        role: request.getfixturevalue(role) for role in ["coordinator", "citizen", "civil_servant"]
    }
    names = ["Maria Ionescu", "Ioana Popescu", "Dan Pop"]
    for user, name in zip(people.values(), names, strict=True):
        user.name = name
        user.save(update_fields=["name"])
    clients = {}
    for role, user in people.items():
        clients[role] = Client(enforce_csrf_checks=True)
        clients[role].force_login(user)
    sequence = ["coordinator", "citizen", "coordinator", "civil_servant", "citizen"]
    for language in ("ro", "en"):
        for role in sequence:
            user = people[role]
            html = clients[role].get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language).text
            links = _nav_links(html)
            for permission, name in GATED_LINKS:
                url = _route(name)
                if url:
                    assert (url in links) is user.has_perm(permission), (role, permission)
            header = html[html.index('id="nav-account"') : html.index("</header>")]
            # The names a reader sees: the header's text, not its attributes (a random CSRF
            # token may well contain "Dan").
            shown = re.sub(r"<[^>]*>", " ", header)
            names = [p.get_short_name() for p in people.values()]
            assert [name for name in names if name in shown] == [user.get_short_name()]
    # Each page's sign-out form carries a token of its own session.
    stranger = make_user("stranger@example.org")
    stranger_client = Client(enforce_csrf_checks=True)
    stranger_client.force_login(stranger)
    stranger_page = stranger_client.get(reverse("home")).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', stranger_page).group(1)
    refused = clients["citizen"].post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert refused.status_code == 403
    own_page = clients["citizen"].get(reverse("home")).text
    own = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', own_page).group(1)
    signed_out = clients["citizen"].post(reverse("account_logout"), {"csrfmiddlewaretoken": own})
    assert signed_out.status_code == 302
    assert "_auth_user_id" not in clients["citizen"].session
