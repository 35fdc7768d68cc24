"""Who may do what, as a grid: every role against every state of a consultation.

Roles: anonymous, citizen, NGO member, NGO admin, civil servant of the owning
institution, civil servant of another institution, coordinator. States: the seven of the
workflow, plus an open consultation whose last day has passed (not yet closed by the beat).
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from consultations import dates
from consultations.models import Consultation, Recommendation

from .conftest import make_consultation, make_recommendation

State = Consultation.State
ROLES = [
    "anonymous",
    "citizen",
    "ngo_member",
    "ngo_admin",
    "civil_servant",
    "other_civil_servant",
    "coordinator",
]
STATES = [
    "draft",
    "open",
    "open_expired",
    "closed",
    "under_analysis",
    "synthesis_published",
    "adopted",
    "withdrawn",
]
ALL = set(STATES)
PUBLIC = ALL - {"draft"}
EVERYONE_BUT_OWNER = {"citizen", "ngo_member", "ngo_admin", "other_civil_servant", "coordinator"}


def owner(*states):
    return {"civil_servant": set(states)}


# perm → {role: states in which the role has it}; a missing role has it nowhere.
GRID = {
    "view_consultation": {
        **dict.fromkeys(ROLES, PUBLIC),
        "civil_servant": ALL,
        "coordinator": ALL,
    },
    "manage_consultation": owner(*STATES),
    "change_consultation": owner("draft", "open", "open_expired"),
    "delete_consultation": owner("draft"),
    "manage_documents": owner("draft", "open", "open_expired", "closed", "under_analysis"),
    "change_articles": owner("draft", "open", "open_expired"),
    "publish_consultation": owner("draft"),
    "close_consultation": owner("open_expired"),
    "analyse_consultation": owner("closed"),
    "synthesise_consultation": owner("under_analysis"),
    "adopt_consultation": owner("synthesis_published"),
    "withdraw_consultation": owner(
        "open", "open_expired", "closed", "under_analysis", "synthesis_published"
    ),
    "add_recommendation": {role: {"open"} for role in EVERYONE_BUT_OWNER},
    "moderate_consultation": owner(*(PUBLIC)),
    "answer_recommendations": owner("under_analysis"),
    # An association (its members) or another public authority (its civil servants).
    "request_debate": {
        "ngo_member": {"open"},
        "ngo_admin": {"open"},
        "other_civil_servant": {"open"},
    },
    # Recommendations and requests for a debate that came by e-mail, post, phone...
    "record_recommendation": owner("open", "open_expired", "closed", "under_analysis"),
    "record_debate_request": owner("open", "open_expired", "closed", "under_analysis"),
    "schedule_debate": owner("open", "open_expired", "closed", "under_analysis"),
}


@pytest.fixture
def users(citizen, ngo_member, ngo_admin, civil_servant, other_civil_servant, coordinator):
    return {
        "anonymous": AnonymousUser(),
        "citizen": citizen,
        "ngo_member": ngo_member,
        "ngo_admin": ngo_admin,
        "civil_servant": civil_servant,
        "other_civil_servant": other_civil_servant,
        "coordinator": coordinator,
    }


@pytest.fixture
def consultations(institution):
    today = dates.local_today()
    result = {state: make_consultation(institution, state=state) for state in State.values}
    result["open_expired"] = make_consultation(
        institution,
        state=State.OPEN,
        opens_on=today - datetime.timedelta(days=11),
        closes_on=today - datetime.timedelta(days=1),
    )
    return result


@pytest.mark.parametrize("perm", list(GRID))
def test_permission_grid(perm, users, consultations):
    """Each role has the permission exactly in the states the grid lists."""
    mismatches = []
    for role in ROLES:
        for state in STATES:
            expected = state in GRID[perm].get(role, set())
            actual = users[role].has_perm(f"consultations.{perm}", consultations[state])
            if actual != expected:
                mismatches.append((role, state, actual))
    assert mismatches == []


def test_who_may_open_consultations(users):
    """Only civil servants may open consultations (the navigation asks this permission)."""
    allowed = {role for role in ROLES if users[role].has_perm("consultations.add_consultation")}
    assert allowed == {"civil_servant", "other_civil_servant"}


def test_who_may_follow_and_register(users):
    """Any signed-in user with a verified e-mail may follow and register for debates."""
    for perm in ("follow", "register_debate"):
        allowed = {role for role in ROLES if users[role].has_perm(f"consultations.{perm}")}
        assert allowed == set(ROLES) - {"anonymous"}


def test_who_may_produce_the_annual_report(users, institution, other_institution):
    """Coordinators for any institution and for the whole country; civil servants for
    their own institution only."""
    perm = "consultations.produce_annual_report"
    assert {r for r in ROLES if users[r].has_perm(perm)} == {"coordinator"}
    assert {r for r in ROLES if users[r].has_perm(perm, institution)} == {
        "coordinator",
        "civil_servant",
    }
    assert {r for r in ROLES if users[r].has_perm(perm, other_institution)} == {
        "coordinator",
        "other_civil_servant",
    }


def test_recommendation_permissions(users, consultations, citizen):
    """The author edits while the window is open and never once hidden; anyone else signed
    in may report a published recommendation; the owning institution's staff and the
    coordinators see all."""
    Status = Recommendation.Status
    open_rec = make_recommendation(consultations["open"], citizen)
    hidden_rec = make_recommendation(consultations["open"], citizen, status=Status.HIDDEN)
    pending_rec = make_recommendation(consultations["open"], citizen, status=Status.PENDING)
    closed_rec = make_recommendation(consultations["closed"], citizen)

    def who(perm, rec):
        return {role for role in ROLES if users[role].has_perm(f"consultations.{perm}", rec)}

    assert who("change_recommendation", open_rec) == {"citizen"}
    assert who("change_recommendation", pending_rec) == {"citizen"}
    assert who("change_recommendation", hidden_rec) == set()
    assert who("change_recommendation", closed_rec) == set()
    assert who("report_recommendation", open_rec) == set(ROLES) - {"anonymous", "citizen"}
    assert who("report_recommendation", hidden_rec) == set()
    assert who("view_recommendation", open_rec) == set(ROLES)
    assert who("view_recommendation", hidden_rec) == {"citizen", "civil_servant", "coordinator"}
    assert who("view_recommendation", pending_rec) == {"citizen", "civil_servant", "coordinator"}


def test_an_unverified_user_cannot_recommend(unverified_user, consultation):
    assert not unverified_user.has_perm("consultations.add_recommendation", consultation)


def test_coordinators_read_the_administration(client, coordinator, consultation, citizen):
    """Coordinators read consultations and recommendations in the admin; they change
    nothing there (changes go through the pages and their services)."""
    rec = make_recommendation(consultation, citizen)
    client.force_login(coordinator)
    for url in (
        "/admin/consultations/consultation/",
        f"/admin/consultations/consultation/{consultation.pk}/change/",
        "/admin/consultations/recommendation/",
        f"/admin/consultations/recommendation/{rec.pk}/change/",
        "/admin/consultations/moderationlogentry/",
        "/admin/consultations/notification/",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        f"/admin/consultations/consultation/{consultation.pk}/change/", {"title": "Altul"}
    )
    assert response.status_code == 403
    consultation.refresh_from_db()
    assert consultation.title != "Altul"
