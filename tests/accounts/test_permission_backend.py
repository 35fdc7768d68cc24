"""A named rule's answer is final: Django's model permissions cannot widen it, and a
signed-in page does not read Django's permission tables."""

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


def test_the_rules_answer_as_django_asking_each_backend_would(
    citizen, ngo_admin, coordinator, superuser, organisation
):
    """User.has_perm asks a named rule directly; the answer is the one Django's loop over
    the backends gives (NamedRuleBackend first), for people of every kind."""
    from django.contrib.auth.models import _user_has_perm

    names = [
        ("registry.add_organisation", None),
        ("registry.view_verification_queue", None),
        ("registry.import_registry", None),
        ("conect.access_admin", None),
        ("registry.change_organisation", organisation),
        ("registry.verify_organisation", organisation),
        ("sessions.view_session", None),
    ]
    for person in (citizen, ngo_admin, coordinator):
        for name, obj in names:
            assert person.has_perm(name, obj) == _user_has_perm(person, name, obj), (person, name)
    assert all(superuser.has_perm(name, obj) for name, obj in names)


def test_without_the_rules_backend_first_django_answers(settings, ngo_admin, organisation):
    """Settings that put another backend first (a test's, say) are Django's to answer."""
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    assert not ngo_admin.has_perm("registry.change_organisation", organisation)


def test_a_visitor_is_answered_as_djangos_anonymous_user_is(organisation, client):
    """A visitor who is not signed in (models.Visitor, on every request and on the API's)
    gets, for every named rule and for a permission no rule names, the answer Django's
    AnonymousUser gets through the loop over the backends."""
    import rules
    from django.contrib.auth.models import AnonymousUser

    from conect.accounts.models import Visitor

    visitor, anonymous = Visitor(), AnonymousUser()
    names = sorted(rules.permissions.permissions)
    assert len(names) > 30
    for name in names:
        for obj in (None, organisation):
            try:
                expected = anonymous.has_perm(name, obj)
            except Exception as error:  # a rule that needs its object fails alike
                with pytest.raises(type(error)):
                    visitor.has_perm(name, obj)
            else:
                assert visitor.has_perm(name, obj) == expected, (name, obj)
    assert not visitor.has_perm("sessions.view_session")
    assert visitor.is_anonymous and not visitor.is_authenticated

    response = client.get(reverse("registry:organisation-detail", args=[organisation.pk]))
    assert type(response.wsgi_request.user._wrapped) is Visitor


def test_the_apis_anonymous_caller_is_a_visitor(rf):
    from rest_framework.request import Request

    from conect.accounts.models import Visitor

    assert type(Request(rf.get("/api/v1/")).user) is Visitor


def test_a_person_signed_out_is_a_visitor_on_the_next_page(client, citizen, organisation):
    client.force_login(citizen)
    client.logout()
    response = client.get(reverse("registry:organisation-detail", args=[organisation.pk]))
    assert type(response.wsgi_request.user._wrapped).__name__ == "Visitor"
