"""Fixtures of proposals: an advisory structure with seats and a meeting, a call, and
proposals in any state."""

import datetime

import pytest
from django.utils import timezone

from conect.core.text import fold
from consultations.proposals.models import CallEvaluator, Proposal, ProposalCall
from registry.models import (
    AdvisoryStructure,
    Meeting,
    Organisation,
    OrganisationMembership,
    RelationshipOfficial,
    Seat,
)
from tests.conftest import make_user

State = Proposal.State


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media-private"


@pytest.fixture
def quiet_nav(settings):
    """Render pages without a signed-in person's menus, which other parts of the platform
    own and grow: query counts pinned with it measure this app's pages alone."""
    engine = dict(settings.TEMPLATES[0])
    engine["APP_DIRS"] = False
    engine["OPTIONS"] = {
        **engine.get("OPTIONS", {}),
        "loaders": [
            (
                "django.template.loaders.cached.Loader",
                [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"includes/nav.html": "", "includes/nav_account.html": ""},
                    ),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            )
        ],
    }
    settings.TEMPLATES = [engine]


@pytest.fixture
def citizen(citizen):
    """Here the citizen reads the pages in English, the language the tests assert on."""
    citizen.preferred_language = "en"
    citizen.save(update_fields=["preferred_language"])
    return citizen


@pytest.fixture
def structure(institution):
    return AdvisoryStructure.objects.create(
        institution=institution,
        name="Consiliul consultativ pentru educație",
        kind=AdvisoryStructure.Kind.COUNCIL,
        territorial_level=AdvisoryStructure.TerritorialLevel.NATIONAL,
    )


@pytest.fixture
def structure_member(structure, county):
    """A member of an NGO that holds a seat in the structure."""
    seated = Organisation.objects.create(
        name="Federația Părinților",
        legal_form=Organisation.LegalForm.FEDERATION,
        county=county,
        status=Organisation.Status.VERIFIED,
    )
    user = make_user("seat@parents.example.org", name="Dana Consilier")
    OrganisationMembership.objects.create(organisation=seated, user=user)
    Seat.objects.create(
        structure=structure,
        organisation=seated,
        mandate_start=timezone.localdate() - datetime.timedelta(days=100),
    )
    return user


@pytest.fixture
def seated_official(structure, institution):
    user = make_user("official@gov.example.ro", name="Paul Oficial")
    official = RelationshipOfficial.objects.create(
        institution=institution,
        user=user,
        name="Paul Oficial",
        position="consilier",
        email="official@gov.example.ro",
    )
    Seat.objects.create(
        structure=structure,
        official=official,
        mandate_start=timezone.localdate() - datetime.timedelta(days=10),
    )
    return user


@pytest.fixture
def meeting(structure):
    return Meeting.objects.create(
        structure=structure,
        held_at=timezone.now() + datetime.timedelta(days=14),
        location="Sala mare",
        agenda="<p>Ordinea de zi</p>",
    )


def make_call(institution, structure, **extra) -> ProposalCall:
    values = {
        "title": "Idei pentru școli mai bune",
        "description": "<p>Trimiteți propuneri.</p>",
        "is_national": True,
        "is_permanent": True,
        "submissions_open_on": timezone.localdate() - datetime.timedelta(days=5),
        "vote_days": 30,
        "threshold": 3,
        "structure": structure,
        "answer_days": 60,
        "state": ProposalCall.State.OPEN,
        "published_at": timezone.now(),
    }
    values.update(extra)
    return ProposalCall.objects.create(institution=institution, **values)


@pytest.fixture
def call(institution, structure):
    return make_call(institution, structure)


def make_proposal(call, author, state=State.VOTING, **extra) -> Proposal:
    """A proposal in `state`, with the dates that fit it (voting: 10 days left)."""
    now = timezone.now()
    values = {
        "title": "Mese calde în toate școlile",
        "problem": "Mulți copii nu mănâncă la școală.",
        "body": "Un program național de masă caldă.",
        "expected_effect": "Mai puțin abandon școlar.",
        "state": state,
        "search_text": "mese calde in toate scolile",
    }
    if state != State.PENDING and state != State.CHANGES_REQUESTED:
        values["voting_opens_at"] = now - datetime.timedelta(days=20)
        values["voting_closes_at"] = now + datetime.timedelta(days=10)
    if state in (State.REFERRED, State.DECIDED, State.IMPLEMENTED):
        values["referred_at"] = now - datetime.timedelta(days=5)
        values["answer_due_on"] = timezone.localdate() + datetime.timedelta(days=55)
    if state in (State.DECIDED, State.IMPLEMENTED):
        values["decision"] = Proposal.Decision.ACCEPTED
        values["decision_reasons"] = "Bine argumentat."
        values["decided_at"] = now - datetime.timedelta(days=1)
    if state == State.IMPLEMENTED:
        values["implemented_at"] = now
    values.update(extra)
    if "title" in extra and "search_text" not in extra:
        values["search_text"] = fold(f"{values['title']} {values['problem']} {values['body']}")
    return Proposal.objects.create(call=call, author=author, **values)


@pytest.fixture
def author(db):
    return make_user("author@example.org", name="Irina Autoare")


@pytest.fixture
def proposal(call, author):
    return make_proposal(call, author)


@pytest.fixture
def evaluator(call):
    user = make_user("evaluator@example.org", name="Eva Evaluatoare")
    CallEvaluator.objects.create(call=call, user=user)
    return user


def voters(count: int, prefix: str = "voter"):
    return [
        make_user(f"{prefix}{index}@example.org", name=f"Votant {index}") for index in range(count)
    ]
