"""A named rule's answer is final (conect.accounts.backends.NamedRuleBackend): Django's model
permissions cannot widen it, and asking a rule does not read Django's permission tables."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _model_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="registry", codename=codename)


def test_a_model_permission_granted_in_the_admin_does_not_open_a_rule(
    client, citizen, organisation
):
    """Given Django's `registry.change_organisation` directly and through a group, a citizen
    who does not administer the organisation still may not edit it, nor open its form."""
    citizen.user_permissions.add(_model_permission("change_organisation"))
    group = Group.objects.create(name="Editors")
    group.permissions.add(_model_permission("change_organisation"))
    citizen.groups.add(group)
    citizen = type(citizen).objects.get(pk=citizen.pk)  # no cached permissions

    assert citizen.get_all_permissions() == {"registry.change_organisation"}
    assert not citizen.has_perm("registry.change_organisation", organisation)
    client.force_login(citizen)
    response = client.get(reverse("registry:organisation-edit", args=[organisation.pk]))
    assert response.status_code == 403


def test_the_rule_still_grants(ngo_admin, organisation):
    assert ngo_admin.has_perm("registry.change_organisation", organisation)


def test_a_permission_no_rule_names_goes_to_django(citizen):
    """The administration site's own permissions (here: reading sessions) come from
    Django's tables, as before."""
    assert not citizen.has_perm("sessions.view_session")
    citizen.user_permissions.add(
        Permission.objects.get(content_type__app_label="sessions", codename="view_session")
    )
    citizen = type(citizen).objects.get(pk=citizen.pk)
    assert citizen.has_perm("sessions.view_session")


def test_a_superuser_has_every_permission(superuser, organisation):
    assert superuser.has_perm("registry.change_organisation", organisation)
    assert superuser.has_perm("sessions.view_session")


def test_asking_named_rules_reads_no_permission_table(
    citizen, organisation, django_assert_num_queries
):
    """The navigation's rules and an organisation's, asked in a row: only the verified
    e-mail and the roles are read, whatever the answers."""
    names = [
        "registry.add_organisation",
        "registry.join_institution",
        "registry.view_verification_queue",
        "registry.view_dashboard",
        "registry.import_registry",
        "conect.access_admin",
    ]
    with django_assert_num_queries(2):  # the verified e-mail, the organisation roles
        answers = [citizen.has_perm(name) for name in names]
        answers.append(citizen.has_perm("registry.change_organisation", organisation))
    assert answers == [True, True, False, False, False, False, False]


def test_a_visitor_is_djangos_anonymous_user_answered_by_the_rules(client, organisation):
    """A visitor who is not signed in is Django's AnonymousUser; the named rules answer
    for them (a public organisation is open to read, not to edit)."""
    from django.contrib.auth.models import AnonymousUser

    visitor = client.get(reverse("home")).wsgi_request.user
    assert isinstance(visitor, AnonymousUser)
    assert visitor.has_perm("registry.view_organisation", organisation)
    assert not visitor.has_perm("registry.change_organisation", organisation)
