"""Calls and proposals in the public API: read-only, totals and decisions, never who
voted; query counts pinned; in the OpenAPI schema."""

import json

import pytest

from consultations.proposals import services
from consultations.proposals.models import ProposalCall

from .conftest import State, make_call, make_proposal, voters

pytestmark = pytest.mark.django_db
API = "/api/v1/"


@pytest.fixture
def api(client):
    client.defaults["HTTP_ACCEPT"] = "application/json"
    return client


def test_calls_list_hides_drafts(api, institution, structure, django_assert_num_queries):
    for index in range(3):
        make_call(institution, structure, title=f"Apel {index}")
    make_call(institution, structure, title="Ciornă", state=ProposalCall.State.DRAFT)
    # fingerprint, count, page, domains, counties
    with django_assert_num_queries(5):
        response = api.get(API + "proposal-calls/")
    body = response.json()
    assert body["count"] == 3
    assert {item["title"] for item in body["results"]} == {"Apel 0", "Apel 1", "Apel 2"}
    assert body["results"][0]["structure"]["name"] == structure.name


@pytest.mark.parametrize("count", [2, 8])
def test_proposals_with_totals_and_decisions_never_who_voted(
    count, api, call, author, civil_servant, django_assert_num_queries
):
    """Proposals come with their yes and no totals and their decision; the identity of a
    voter appears nowhere in the answer; the query count does not grow with the rows."""
    call.threshold = 100
    call.save()
    proposals = [make_proposal(call, author, title=f"P{index}") for index in range(count)]
    decided = make_proposal(call, author, State.DECIDED, title="Decisă")
    services.step_add(
        proposal=decided,
        actor=civil_servant,
        description="Pas",
        owner="Direcția",
        starts_on="2026-01-01",
        due_on="2026-02-01",
    )
    make_proposal(call, author, State.PENDING, title="Nemoderată")
    people = voters(3)
    for person in people:
        services.vote_cast(proposal=proposals[0], user=person, is_yes=True)
    # count, page, steps, evaluations
    with django_assert_num_queries(4):
        response = api.get(API + "proposals/")
    body = response.json()
    assert body["count"] == count + 1
    first = body["results"][0]
    assert (first["title"], first["yes_count"], first["no_count"]) == ("P0", 3, 0)
    assert first["reached_threshold"] is False
    found = next(item for item in body["results"] if item["title"] == "Decisă")
    assert found["decision"] == "accepted"
    assert found["implementation_steps"][0]["owner"] == "Direcția"
    text = json.dumps(body)
    for person in people:
        assert person.email not in text and person.name not in text
    assert "votes" not in first and "voters" not in first


def test_a_proposal_awaiting_moderation_is_not_in_the_api(api, call, author):
    pending = make_proposal(call, author, State.PENDING)
    assert api.get(f"{API}proposals/{pending.pk}/").status_code == 404


def test_the_api_is_read_only(api, call, author, citizen):
    proposal = make_proposal(call, author)
    api.force_login(citizen)
    response = api.post(f"{API}proposals/{proposal.pk}/", {"yes_count": 1000})
    assert response.status_code == 405


def test_the_schema_documents_the_endpoints(api):
    response = api.get(API + "schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    assert "/api/v1/proposals/" in schema["paths"]
    assert "/api/v1/proposal-calls/{id}/" in schema["paths"]


def test_the_api_root_links_the_collections(api):
    body = api.get(API).json()
    assert body["proposals"].endswith("/api/v1/proposals/")
    assert body["proposal_calls"].endswith("/api/v1/proposal-calls/")


@pytest.mark.parametrize("steps", [1, 4])
def test_a_proposals_detail_with_its_steps_and_ratings_in_fixed_queries(
    steps, api, call, author, civil_servant, evaluator, django_assert_num_queries
):
    """One proposal with its decision, steps and the evaluation group's ratings: the
    query count does not grow with the steps or the ratings."""
    proposal = make_proposal(call, author, State.IMPLEMENTED, title="Implementată")
    for index in range(steps):
        proposal.implementation_steps.create(
            description=f"Pas {index}",
            owner="Direcția",
            starts_on="2026-01-01",
            due_on="2026-02-01",
            status="done",
            done_on="2026-01-20",
        )
    services.evaluation_submit(proposal=proposal, actor=evaluator, rating=4, comment="Bine.")
    # proposal (with call, author, organisation, domain, county), steps, evaluations
    with django_assert_num_queries(3):
        response = api.get(f"{API}proposals/{proposal.pk}/")
    body = response.json()
    assert body["state"] == "implemented"
    assert len(body["implementation_steps"]) == steps
    assert "Bine." in json.dumps(body)


def test_a_calls_detail_in_fixed_queries(api, call, django_assert_num_queries):
    """A public call: the query count is pinned; a draft is not found."""
    draft = make_call(call.institution, call.structure, state=ProposalCall.State.DRAFT)
    # call (with institution and structure), domains, counties
    with django_assert_num_queries(3):
        response = api.get(f"{API}proposal-calls/{call.pk}/")
    assert response.json()["threshold"] == call.threshold
    assert api.get(f"{API}proposal-calls/{draft.pk}/").status_code == 404
