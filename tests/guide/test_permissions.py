"""Who may do what in the guide app: every role against every state."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from guide.models import Practice, Registration, TrainingSession

from .conftest import make_session

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "citizen",
    "unverified_user",
    "ngo_member",
    "ngo_admin",
    "civil_servant",
    "other_civil_servant",
    "coordinator",
]


@pytest.fixture
def user_of(request):
    def get(role):
        if role == "anonymous":
            return AnonymousUser()
        return request.getfixturevalue(role)

    return get


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("citizen", False),
        ("unverified_user", False),
        ("ngo_member", False),
        ("ngo_admin", False),
        ("civil_servant", False),
        ("other_civil_servant", False),
        ("coordinator", True),
    ],
)
def test_edit_and_publish_the_guide(user_of, role, expected):
    """Only coordinators write the guide and publish editions."""
    user = user_of(role)
    assert user.has_perm("guide.edit_guide") is expected
    assert user.has_perm("guide.publish_edition") is expected
    assert user.has_perm("guide.view_monitoring") is expected


@pytest.mark.parametrize("state", ["upcoming", "full", "past", "cancelled"])
@pytest.mark.parametrize("role", ROLES)
def test_register_and_manage_sessions(user_of, institution, role, state):
    """Anyone verified registers for an announced session to come (the waiting list
    takes them when it is full); the organising institution's civil servants and the
    coordinators manage it, in every state."""
    session = make_session(
        capacity=1,
        days=-1 if state == "past" else 5,
        institution=institution,
        status=(
            TrainingSession.Status.CANCELLED
            if state == "cancelled"
            else TrainingSession.Status.ANNOUNCED
        ),
    )
    user = user_of(role)
    can_register = role not in ("anonymous", "unverified_user") and state in ("upcoming", "full")
    assert user.has_perm("guide.register_trainingsession", session) is can_register
    can_manage = role in ("civil_servant", "coordinator")
    assert user.has_perm("guide.change_trainingsession", session) is can_manage


@pytest.mark.parametrize("role", ROLES)
def test_announce_sessions(user_of, role):
    """Coordinators and civil servants announce sessions."""
    expected = role in ("civil_servant", "other_civil_servant", "coordinator")
    assert user_of(role).has_perm("guide.add_trainingsession") is expected


@pytest.mark.parametrize("attended", [True, False, None])
@pytest.mark.parametrize("role", ["owner", "other", "coordinator"])
def test_certificate_only_for_the_attendee(citizen, ngo_member, coordinator, role, attended):
    """The certificate and the feedback form belong to the person marked present."""
    session = make_session(days=-1)
    registration = Registration.objects.create(
        session=session, user=citizen, status="confirmed", attended=attended
    )
    user = {"owner": citizen, "other": ngo_member, "coordinator": coordinator}[role]
    expected = role == "owner" and attended is True
    assert user.has_perm("guide.get_certificate", registration) is expected
    assert user.has_perm("guide.give_training_feedback", registration) is expected


@pytest.mark.parametrize("status", Practice.Status.values)
@pytest.mark.parametrize("role", [*ROLES, "submitter"])
def test_view_and_publish_practices(user_of, institution, civil_servant, role, status):
    """A published practice is public; one waiting or declined is seen by who submitted
    it and the coordinators; only coordinators publish."""
    practice = Practice.objects.create(
        title="P",
        problem="p",
        what_was_done="w",
        results="r",
        contact="c",
        institution=institution,
        status=status,
        submitted_by=civil_servant,
    )
    user = civil_servant if role == "submitter" else user_of(role)
    # The civil servant fixture is the one who submitted it.
    expected = status == Practice.Status.PUBLISHED or role in (
        "coordinator",
        "submitter",
        "civil_servant",
    )
    assert user.has_perm("guide.view_practice", practice) is expected
    assert user.has_perm("guide.publish_practice", practice) is (role == "coordinator")
    can_add = role in (
        "ngo_member",
        "ngo_admin",
        "civil_servant",
        "other_civil_servant",
        "submitter",
    )
    assert user.has_perm("guide.add_practice") is can_add


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("guide:edit", []),
        ("guide:edit-chapter-create", []),
        ("guide:edit-section-create", []),
        ("guide:publish", []),
        ("guide:training-coverage", []),
    ],
)
def test_editing_pages_refuse_others(client, citizen, coordinator, name, args):
    """The writing pages send a visitor to sign in, refuse a citizen, open for a
    coordinator."""
    url = reverse(name, args=args)
    assert client.get(url).status_code == 302
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    assert client.get(url).status_code == 200


def test_session_pages_for_the_organiser_only(client, citizen, civil_servant, institution):
    """Attendance and editing are for the organising institution."""
    session = make_session(institution=institution)
    session.starts_at = timezone.now() - datetime.timedelta(hours=1)
    for name in ("guide:training-attendance", "guide:training-edit"):
        url = reverse(name, args=[session.pk])
        client.force_login(citizen)
        assert client.get(url).status_code == 403
        client.force_login(civil_servant)
        assert client.get(url).status_code == 200
