"""The whole journey of a citizens' proposal in Chromium: proposed (with similar
proposals suggested while typing), moderated, voted to its threshold, put on a meeting's
agenda, decided by the structure, and followed up until implemented, as the public sees
it; the pages pass axe's WCAG 2.1 AA checks and break no Content-Security-Policy."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.proposals import services
from consultations.proposals.models import Proposal
from registry.models import AdvisoryStructure, Meeting
from tests.conftest import make_user
from tests.e2e.test_accessibility import violations
from tests.proposals.conftest import make_call, make_proposal

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_propose_moderate_vote_decide_and_follow_up(page_for, page, institution, civil_servant):
    citizen = make_user("cetatean@example.org", name="Ion Cetățean")
    structure = AdvisoryStructure.objects.create(
        institution=institution,
        name="Consiliul consultativ pentru educație",
        kind=AdvisoryStructure.Kind.COUNCIL,
        territorial_level=AdvisoryStructure.TerritorialLevel.NATIONAL,
    )
    meeting = Meeting.objects.create(
        structure=structure,
        held_at=timezone.now() + datetime.timedelta(days=10),
        location="Sala mare",
        agenda="<p>Ordinea de zi</p>",
    )
    call = make_call(institution, structure, threshold=3)
    make_proposal(call, make_user("alt@example.org"), title="Mese calde în toate școlile")

    # The public pages and the form pass axe's checks.
    as_citizen = page_for(citizen)
    for path in (
        reverse("proposals:call-list"),
        call.get_absolute_url(),
        reverse("proposals:proposal-create", args=[call.pk]),
    ):
        assert violations(as_citizen, path) == []

    # The citizen proposes; a similar proposal is suggested while they type.
    as_citizen.goto(call.get_absolute_url())
    as_citizen.get_by_role("link", name="Make a proposal").click()
    as_citizen.get_by_label("Title").fill("Mese calde pentru toți elevii")
    as_citizen.get_by_role("link", name="Mese calde în toate școlile").wait_for()
    as_citizen.get_by_label("The problem").fill("Copiii nu mănâncă la școală.")
    as_citizen.locator("#id_body").fill("Masă caldă zilnică.")
    as_citizen.get_by_label("The expected effect").fill("Mai puțin abandon.")
    as_citizen.get_by_role("button", name="Send the proposal").click()
    as_citizen.get_by_text("awaiting moderation").first.wait_for()
    proposal = Proposal.objects.get(title="Mese calde pentru toți elevii")

    # The institution accepts it: the vote opens.
    as_servant = page_for(civil_servant)
    as_servant.goto(proposal.get_absolute_url())
    as_servant.get_by_role("link", name="Moderate the proposal").click()
    as_servant.get_by_label("Accept: open the vote").check()
    as_servant.get_by_role("button", name="Save").click()
    as_servant.get_by_text("open for votes").first.wait_for()

    # Two people voted already; the citizen's yes is the one that reaches the threshold.
    for index in range(2):
        voter = make_user(f"votant{index}@example.org")
        services.vote_cast(proposal=Proposal.objects.get(pk=proposal.pk), user=voter, is_yes=True)
    as_citizen.goto(proposal.get_absolute_url())
    assert violations(as_citizen, proposal.get_absolute_url()) == []
    as_citizen.get_by_role("button", name="Yes", exact=True).click()
    as_citizen.get_by_text("it was the one that reached the threshold").wait_for()
    as_citizen.get_by_text("sent to the advisory structure").first.wait_for()

    # The institution puts it on the agenda, publishes the decision and its follow-up.
    as_servant.goto(proposal.get_absolute_url())
    as_servant.get_by_role("link", name="Put the proposal on an agenda").click()
    as_servant.get_by_label("Meeting").select_option(str(meeting.pk))
    as_servant.get_by_role("button", name="Save").click()
    as_servant.get_by_text("the author is invited to present it").wait_for()
    as_servant.get_by_role("link", name="Publish the structure's decision").click()
    as_servant.get_by_label("accepted", exact=True).check()
    as_servant.get_by_label("Reasons").fill("Propunerea este fezabilă din 2027.")
    as_servant.get_by_role("button", name="Save").click()
    as_servant.get_by_role("link", name="Add an implementation step").click()
    today = timezone.localdate()
    as_servant.get_by_label("Step").fill("Ordin privind masa caldă")
    as_servant.get_by_label("Owner").fill("Direcția programe sociale")
    as_servant.get_by_label("Starts on").fill(today.isoformat())
    as_servant.get_by_label("Due on").fill((today + datetime.timedelta(days=30)).isoformat())
    as_servant.get_by_role("button", name="Save").click()
    as_servant.get_by_role("link", name="Update Ordin privind masa caldă").click()
    as_servant.get_by_label("Status").select_option("done")
    as_servant.get_by_role("button", name="Save").click()

    # The public sees the decision, the steps and the history.
    page.goto(proposal.get_absolute_url())
    page.get_by_text("Propunerea este fezabilă din 2027.").wait_for()
    page.get_by_role("cell", name="Direcția programe sociale").wait_for()
    assert page.locator("#proposal-state").inner_text() == "implemented"
    assert violations(page, proposal.get_absolute_url()) == []
    for browser_page in (page, as_citizen, as_servant):
        assert browser_page.problems == []


def test_a_moderator_merges_into_a_proposal_chosen_from_suggestions(
    page_for, institution, civil_servant
):
    """The proposal to merge into is chosen with the keyboard among suggestions (the
    form passes axe's checks); the merged proposal's page then points to it."""
    structure = AdvisoryStructure.objects.create(
        institution=institution,
        name="Consiliul pentru mobilitate",
        kind=AdvisoryStructure.Kind.COUNCIL,
        territorial_level=AdvisoryStructure.TerritorialLevel.NATIONAL,
    )
    call = make_call(institution, structure)
    author = make_user("autor@example.org", name="Ana Autoare")
    duplicate = make_proposal(call, author, Proposal.State.PENDING, title="Piste de biciclete")
    target = make_proposal(call, author, title="Piste pentru biciclete în oraș")
    make_proposal(call, author, title="Parcuri noi")
    page = page_for(civil_servant)
    path = reverse("proposals:proposal-moderate", args=[duplicate.pk])
    assert violations(page, path) == []
    page.get_by_label("Merge into another proposal").check()
    box = page.get_by_role("combobox", name="Merge into")
    box.fill("piste oras")
    option = page.get_by_role("option", name=f"#{target.pk} {target.title}")
    option.wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    assert page.locator('input[type=hidden][name="merge_into"]').input_value() == str(target.pk)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("This proposal was merged into:").wait_for()
    assert page.get_by_role("link", name=target.title).count() == 1
    assert page.problems == []
