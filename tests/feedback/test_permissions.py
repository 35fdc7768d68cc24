"""Who may do what with the feedback: every role against an active and an inactive
service (and its answers)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from .conftest import give

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "citizen",
    "ngo_member",
    "ngo_admin",
    "city_hall_staff",
    "other_civil_servant",
    "coordinator",
]

# (permission, object: "service" | "answer" | None) -> roles allowed, for an active
# service; an inactive service is seen only by those who manage it.
GRID = {
    ("feedback.view_service", "service"): {"*"},
    ("feedback.manage_services", "service"): {"city_hall_staff", "coordinator"},
    ("feedback.view_answers", "institution"): {"city_hall_staff", "coordinator"},
    ("feedback.reply_answer", "answer"): {"city_hall_staff", "coordinator"},
    ("feedback.moderate_answer", "answer"): {"coordinator"},
    ("feedback.manage_catalogue", None): {"coordinator"},
    ("feedback.view_dashboard", None): {"coordinator"},
}


def _user(request, role):
    return AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)


@pytest.mark.parametrize("active", [True, False], ids=["active", "inactive"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("perm", "target"), list(GRID))
def test_role_grid(request, service, role, active, perm, target):
    """Each role gets exactly the permissions of the grid, for an active or an inactive
    service; only those who manage a service see it once it stops taking answers."""
    [answer] = give(service, comment="Bine.")
    service.is_active = active
    service.save()
    objects = {
        "service": service,
        "answer": answer,
        "institution": service.institution,
        None: None,
    }
    allowed = GRID[(perm, target)]
    if perm == "feedback.view_service" and not active:
        allowed = {"city_hall_staff", "coordinator"}
    expected = "*" in allowed or role in allowed
    assert _user(request, role).has_perm(perm, objects[target]) is expected
