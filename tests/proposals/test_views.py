"""The pages of calls and proposals: what each shows, what each lets a person do, and
their query counts, pinned (they do not grow with the rows)."""

import datetime

import pytest
from django.contrib.sites.models import Site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consultations.proposals import notifications, services
from consultations.proposals.models import (
    ATTACHMENTS_MAX,
    CallEvaluator,
    Proposal,
    ProposalCall,
    ProposalFollow,
    Vote,
)
from tests.conftest import make_user

from .conftest import State, make_call, make_proposal, voters

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def en_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _many(call, author, count):
    return [
        make_proposal(call, author, title=f"Propunerea {index}", yes_count=index)
        for index in range(count)
    ]


# --- Lists ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 12])
def test_call_list_query_count_is_constant(
    count, quiet_nav, en_client, institution, structure, django_assert_num_queries
):
    """The calls' list costs the same queries for 2 or 12 calls."""
    for index in range(count):
        make_call(institution, structure, title=f"Apel {index}")
    make_call(institution, structure, title="Ciornă", state=ProposalCall.State.DRAFT)
    # count, page (with institution, structure and proposals' count)
    with django_assert_num_queries(2):
        response = en_client.get(reverse("proposals:call-list"))
    assert response.status_code == 200
    assert b"Ciorn" not in response.content  # a draft is not public


@pytest.mark.parametrize("count", [3, 25])
def test_call_page_lists_proposals_by_votes(
    count, quiet_nav, en_client, call, author, django_assert_num_queries
):
    """The call's page lists its proposals put to the vote, most yes votes first, and
    costs the same queries for 3 or 25 (20 a page)."""
    _many(call, author, count)
    make_proposal(call, author, State.PENDING, title="Încă nemoderată")
    CallEvaluator.objects.create(call=call, user=author)
    # call, its domains, its counties, its evaluation group, count, page, attached
    # questionnaires
    with django_assert_num_queries(7):
        response = en_client.get(call.get_absolute_url())
    assert response.status_code == 200
    # The evaluation group is public, by name (never by e-mail address).
    assert author.name in response.content.decode()
    assert author.email not in response.content.decode()
    titles = [p.title for p in response.context["page"].object_list]
    assert titles[0] == f"Propunerea {count - 1}"
    assert "Încă nemoderată" not in titles
    assert len(titles) == min(count, 20)


def test_the_list_of_every_proposal_filters_by_county_and_threshold(
    en_client, call, author, county
):
    make_proposal(call, author, title="La Cluj", county=county)
    make_proposal(call, author, State.REFERRED, title="Trimisă", county=county)
    make_proposal(call, author, title="Fără județ")
    response = en_client.get(reverse("proposals:proposal-list"), {"county": county.code})
    titles = {p.title for p in response.context["page"].object_list}
    assert titles == {"La Cluj", "Trimisă"}
    response = en_client.get(
        reverse("proposals:proposal-list"), {"county": county.code, "reached": "1"}
    )
    assert [p.title for p in response.context["page"].object_list] == ["Trimisă"]


def test_searching_every_proposal_ignores_diacritics_and_keeps_the_search_on_page_two(
    quiet_nav, en_client, call, author, county, django_assert_num_queries
):
    """The search of every proposal finds words of the title or the text whatever their
    diacritics, costs the same queries for any number of results, and its second page
    is still the search (with the county and the threshold filter), not every proposal."""
    for index in range(25):
        make_proposal(call, author, title=f"Școli curate {index}", county=county, yes_count=index)
    make_proposal(call, author, title="Parcuri", county=county)
    make_proposal(call, author, title="Școli în alt județ")
    url = reverse("proposals:proposal-list")
    # count, page (with call, domain, county)
    with django_assert_num_queries(2):
        response = en_client.get(url, {"q": "scoli CURATE", "county": county.code})
    titles = [p.title for p in response.context["page"].object_list]
    assert len(titles) == 20 and titles[0] == "Școli curate 24"
    body = response.content.decode()
    assert f"?q=scoli+CURATE&amp;county={county.code}&amp;sort=votes&amp;page=2" in body
    assert f'name="county" value="{county.code}"' in body

    response = en_client.get(url, {"q": "scoli CURATE", "county": county.code, "page": 2})
    titles = {p.title for p in response.context["page"].object_list}
    assert titles == {f"Școli curate {index}" for index in range(5)}

    response = en_client.get(url, {"q": "nimic asemanator"})
    assert "No proposal matches." in response.content.decode()


# --- The proposal's page ------------------------------------------------------------


@pytest.mark.parametrize("votes", [1, 6])
def test_proposal_page_query_count_is_constant(
    votes, quiet_nav, en_client, call, author, django_assert_num_queries
):
    """A proposal's page costs the same queries for 1 or 6 votes, comments and steps."""
    proposal = make_proposal(call, author)
    call.threshold = 100
    call.save()
    for person in voters(votes):
        services.vote_cast(proposal=proposal, user=person, is_yes=True)
        services.comment_add(proposal=proposal, author=person, text="De acord.")
    # proposal (with call, institution, structure, author...), 5 prefetches
    with django_assert_num_queries(6):
        response = en_client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{votes} yes, 0 no; threshold: 100" in body
    assert "Time left" in body
    # Who voted is not on the public page.
    assert "Votant 0" in body  # as the author of a comment, which is public
    assert "voter0@example.org" not in body


def test_proposal_page_for_a_signed_in_voter(
    quiet_nav, en_client, proposal, citizen, django_assert_num_queries
):
    en_client.force_login(citizen)
    """A signed-in voter sees their own vote and can change it; the page's queries are
    pinned for them too."""
    services.vote_cast(proposal=proposal, user=citizen, is_yes=False)
    # session, user, proposal, 5 prefetches, institution roles, confirmed address,
    # own vote
    with django_assert_num_queries(11):
        response = en_client.get(proposal.get_absolute_url())
    assert "You voted no" in response.content.decode()


def test_following_then_stopping_from_the_proposal_page(en_client, proposal, citizen):
    """A signed-in person follows a proposal from its page, sees that they follow it, and
    can stop following it there: after that they hear of no further step."""
    en_client.force_login(citizen)
    url = reverse("proposals:proposal-follow", args=[proposal.pk])
    body = en_client.get(proposal.get_absolute_url()).content.decode()
    assert "Follow this proposal" in body and "Stop following" not in body

    en_client.post(url)
    body = en_client.get(proposal.get_absolute_url()).content.decode()
    assert "You follow this proposal" in body
    assert "Stop following this proposal" in body
    assert ProposalFollow.objects.filter(proposal=proposal, user=citizen).exists()

    en_client.post(url, {"unfollow": "1"})
    body = en_client.get(proposal.get_absolute_url()).content.decode()
    assert "Follow this proposal" in body and "Stop following" not in body
    assert not ProposalFollow.objects.filter(proposal=proposal, user=citizen).exists()
    assert citizen.pk not in notifications.supporters_user_ids(proposal)


def test_the_author_follows_their_proposal_from_the_start(en_client, call, citizen, civil_servant):
    """Whoever proposes follows their proposal at once, and its page says so once it is
    public."""
    proposal = services.proposal_submit(
        call=call,
        author=citizen,
        title="Bănci în parcuri",
        problem="Nu sunt bănci.",
        body="Montarea de bănci.",
        expected_effect="Mai mulți oameni în parcuri.",
    )
    services.proposal_moderate(proposal=proposal, actor=civil_servant, action="accept")
    en_client.force_login(citizen)
    assert (
        "Stop following this proposal"
        in en_client.get(proposal.get_absolute_url()).content.decode()
    )


def test_a_pending_proposal_is_seen_by_its_author_and_the_institution_only(
    en_client, call, author, citizen, civil_servant
):
    proposal = make_proposal(call, author, State.PENDING)
    en_client.force_login(citizen)
    assert en_client.get(proposal.get_absolute_url()).status_code == 403
    en_client.force_login(author)
    assert en_client.get(proposal.get_absolute_url()).status_code == 200
    en_client.force_login(civil_servant)
    response = en_client.get(proposal.get_absolute_url())
    assert "Moderate the proposal" in response.content.decode()


# --- Proposing ----------------------------------------------------------------------


def test_proposing_through_the_form_with_an_attachment(en_client, call, citizen):
    en_client.force_login(citizen)
    url = reverse("proposals:proposal-create", args=[call.pk])
    assert en_client.get(url).status_code == 200
    response = en_client.post(
        url,
        {
            "title": "Biblioteci deschise seara",
            "problem": "Programul e scurt.",
            "body": "Deschidere până la 22.",
            "expected_effect": "Mai mulți cititori.",
            "attachments": SimpleUploadedFile("studiu.pdf", PDF, "application/pdf"),
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    assert proposal.state == State.PENDING and proposal.author == citizen
    attachment = proposal.attachments.get()
    # The author may download it; a stranger may not while it is pending.
    assert en_client.get(reverse("proposals:attachment", args=[attachment.pk])).status_code == 200
    en_client.logout()
    assert en_client.get(reverse("proposals:attachment", args=[attachment.pk])).status_code == 302


def test_several_attachments_at_once_up_to_the_limit(en_client, call, citizen):
    """A proposal takes several files at once; past the limit (counting those already
    attached) the form says so and nothing is saved."""
    en_client.force_login(citizen)
    fields = {
        "title": "Biblioteci deschise seara",
        "problem": "Programul e scurt.",
        "body": "Deschidere până la 22.",
        "expected_effect": "Mai mulți cititori.",
    }

    def files(count):
        return [
            SimpleUploadedFile(f"studiu{index}.pdf", PDF, "application/pdf")
            for index in range(count)
        ]

    url = reverse("proposals:proposal-create", args=[call.pk])
    response = en_client.post(url, {**fields, "attachments": files(ATTACHMENTS_MAX + 1)})
    assert "at most 5 files in all" in response.content.decode()
    assert not Proposal.objects.exists()

    en_client.post(url, {**fields, "attachments": files(3)})
    proposal = Proposal.objects.get()
    assert sorted(proposal.attachments.values_list("name", flat=True)) == [
        "studiu0.pdf",
        "studiu1.pdf",
        "studiu2.pdf",
    ]
    edit = reverse("proposals:proposal-edit", args=[proposal.pk])
    response = en_client.post(edit, {**fields, "attachments": files(3)})
    assert "it has 3 already" in response.content.decode()
    assert proposal.attachments.count() == 3
    en_client.post(edit, {**fields, "attachments": files(2)})
    assert proposal.attachments.count() == ATTACHMENTS_MAX


def test_a_form_with_errors_saves_nothing(en_client, call, citizen):
    en_client.force_login(citizen)
    response = en_client.post(
        reverse("proposals:proposal-create", args=[call.pk]), {"title": "Doar titlu"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Proposal.objects.exists()


def test_similar_proposals_are_suggested_while_typing(
    en_client, call, author, django_assert_num_queries
):
    make_proposal(call, author, title="Mese calde în toate școlile")
    make_proposal(call, author, title="Piste de biciclete")
    make_proposal(call, author, State.PENDING, title="Mese calde la grădinițe")
    # call, similar proposals
    with django_assert_num_queries(2):
        response = en_client.get(reverse("proposals:similar", args=[call.pk]), {"q": "mese calde"})
    titles = [item["title"] for item in response.json()["results"]]
    assert titles == ["Mese calde în toate școlile"]


# --- Voting -------------------------------------------------------------------------


def test_voting_and_changing_the_vote_through_the_page(en_client, proposal, citizen):
    en_client.force_login(citizen)
    url = reverse("proposals:proposal-vote", args=[proposal.pk])
    en_client.post(url, {"vote": "yes"})
    en_client.post(url, {"vote": "no"})
    proposal.refresh_from_db()
    assert (proposal.yes_count, proposal.no_count) == (0, 1)
    assert Vote.objects.get(proposal=proposal, user=citizen).is_yes is False


def test_a_visitor_is_sent_to_sign_in_to_vote_and_nothing_is_counted(client, proposal):
    response = client.post(reverse("proposals:proposal-vote", args=[proposal.pk]), {"vote": "yes"})
    assert response.status_code == 302 and "login" in response.url
    assert not Vote.objects.exists()


def test_an_unconfirmed_address_cannot_vote(client, proposal, unverified_user):
    client.force_login(unverified_user)
    response = client.post(reverse("proposals:proposal-vote", args=[proposal.pk]), {"vote": "yes"})
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_the_audit_trail_of_votes_is_for_coordinators_only(
    quiet_nav, client, proposal, citizen, civil_servant, author, coordinator,
    django_assert_num_queries,
):  # fmt: skip
    services.vote_cast(proposal=proposal, user=citizen, is_yes=True, ip_address="192.0.2.1")
    url = reverse("proposals:proposal-votes", args=[proposal.pk])
    for user in (citizen, civil_servant, author):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(coordinator)
    # session, user, authenticator (second factor), proposal, count, page
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    assert citizen.email in response.content.decode()


# --- The institution's work ---------------------------------------------------------


def test_moderation_page_and_accepting(en_client, call, author, civil_servant):
    proposal = make_proposal(call, author, State.PENDING)
    en_client.force_login(civil_servant)
    response = en_client.get(reverse("proposals:call-moderation", args=[call.pk]))
    assert proposal.title in response.content.decode()
    en_client.post(reverse("proposals:proposal-moderate", args=[proposal.pk]), {"action": "accept"})
    proposal.refresh_from_db()
    assert proposal.state == State.VOTING
    response = en_client.get(reverse("proposals:call-moderation", args=[call.pk]))
    assert "acceptance" in response.content.decode()


def test_a_proposal_whose_author_did_not_answer_can_be_rejected_but_not_accepted(
    en_client, call, author, civil_servant
):
    """When the author was asked for changes, the moderators may still reject or merge
    it (the queue links to it), but not accept it before the author sends it back."""
    proposal = make_proposal(call, author, State.CHANGES_REQUESTED, title="Fără răspuns")
    en_client.force_login(civil_servant)
    queue = en_client.get(reverse("proposals:call-moderation", args=[call.pk]))
    url = reverse("proposals:proposal-moderate", args=[proposal.pk])
    assert url in queue.content.decode()
    form = en_client.get(url).context["form"]
    assert [name for name, _label in form.fields["action"].choices] == ["reject", "merge"]

    response = en_client.post(url, {"action": "accept"})
    assert response.status_code == 200 and response.context["form"].errors["action"]
    proposal.refresh_from_db()
    assert proposal.state == State.CHANGES_REQUESTED

    en_client.post(url, {"action": "reject", "reason": "Autorul nu a răspuns."})
    proposal.refresh_from_db()
    assert proposal.state == State.REJECTED
    assert proposal.moderation_log.get().reason == "Autorul nu a răspuns."


def test_merging_chooses_the_other_proposal_among_suggestions(
    en_client, institution, structure, call, author, civil_servant, other_civil_servant
):
    """The proposal to merge into is suggested as the moderator types words of its title
    or its number (not a list of every proposal of the call); a proposal of another call
    is refused with a message and nothing changes; another institution gets nothing."""
    proposal = make_proposal(call, author, State.PENDING, title="Piste de biciclete")
    target = make_proposal(call, author, title="Piste pentru biciclete în oraș")
    make_proposal(call, author, title="Parcuri noi")
    elsewhere = make_proposal(make_call(institution, structure), author, title="Piste altundeva")
    options = reverse("proposals:merge-options", args=[proposal.pk])
    url = reverse("proposals:proposal-moderate", args=[proposal.pk])

    en_client.force_login(other_civil_servant)
    assert en_client.get(options, {"q": "piste"}).status_code == 403

    en_client.force_login(civil_servant)
    page = en_client.get(url).content.decode()
    assert f'data-autocomplete-url="{options}"' in page
    assert "Parcuri noi" not in page  # no list of every proposal
    found = en_client.get(options, {"q": "PISTE biciclete"}).json()
    assert found == [{"id": target.pk, "label": f"#{target.pk} {target.title}"}]
    assert en_client.get(options, {"q": f"#{target.pk}"}).json()[0]["id"] == target.pk
    assert en_client.get(options, {"q": str(elsewhere.pk)}).json() == []

    response = en_client.post(url, {"action": "merge", "merge_into": elsewhere.pk})
    assert "from the suggestions" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == State.PENDING

    en_client.post(url, {"action": "merge", "merge_into": target.pk})
    proposal.refresh_from_db()
    assert (proposal.state, proposal.merged_into) == (State.MERGED, target)


def test_a_refusal_without_reason_shows_the_error_and_changes_nothing(
    en_client, call, author, civil_servant
):
    proposal = make_proposal(call, author, State.PENDING)
    en_client.force_login(civil_servant)
    response = en_client.post(
        reverse("proposals:proposal-moderate", args=[proposal.pk]), {"action": "reject"}
    )
    assert response.status_code == 200
    assert "Give a reason" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == State.PENDING


def test_schedule_decide_and_follow_up_through_the_pages(
    en_client, call, author, civil_servant, meeting
):
    proposal = make_proposal(call, author, State.REFERRED)
    en_client.force_login(civil_servant)
    en_client.post(
        reverse("proposals:proposal-schedule", args=[proposal.pk]), {"meeting": meeting.pk}
    )
    en_client.post(
        reverse("proposals:proposal-decide", args=[proposal.pk]),
        {"decision": "accepted", "reasons": "Util.", "minutes": "PV"},
    )
    today = timezone.localdate()
    en_client.post(
        reverse("proposals:step-add", args=[proposal.pk]),
        {
            "description": "Ordin de ministru",
            "owner": "Cabinetul ministrului",
            "starts_on": today.isoformat(),
            "due_on": (today + datetime.timedelta(days=20)).isoformat(),
        },
    )
    step = proposal.implementation_steps.get()
    en_client.post(reverse("proposals:step-update", args=[step.pk]), {"status": "done"})
    proposal.refresh_from_db()
    assert proposal.meeting == meeting
    assert proposal.state == State.IMPLEMENTED
    en_client.logout()
    body = en_client.get(proposal.get_absolute_url()).content.decode()
    assert "Ordin de ministru" in body and "Cabinetul ministrului" in body
    assert "accepted" in body


def test_opening_a_call_through_the_form(en_client, civil_servant, institution, structure):
    en_client.force_login(civil_servant)
    response = en_client.post(
        reverse("proposals:call-create"),
        {
            "institution": institution.pk,
            "title": "Idei pentru sănătate",
            "description": "Descriere",
            "is_national": "on",
            "is_permanent": "on",
            "submissions_open_on": timezone.localdate().isoformat(),
            "vote_days": 30,
            "threshold": 500,
            "structure": structure.pk,
            "answer_days": 60,
        },
    )
    call = ProposalCall.objects.get()
    assert response.status_code == 302
    en_client.post(reverse("proposals:call-transition", args=[call.pk, "publish"]))
    call.refresh_from_db()
    assert call.state == ProposalCall.State.OPEN


def test_choosing_the_evaluation_group(en_client, call, civil_servant, citizen, organisation):
    en_client.force_login(civil_servant)
    en_client.post(
        reverse("proposals:call-evaluators", args=[call.pk]),
        {"emails": citizen.email, "organisations": organisation.fiscal_code},
    )
    assert call.evaluators.count() == 2
    response = en_client.post(
        reverse("proposals:call-evaluators", args=[call.pk]), {"emails": "nobody@example.org"}
    )
    assert "nobody@example.org" in response.content.decode()
    assert call.evaluators.count() == 2


def test_adding_to_the_evaluation_group_keeps_its_members(
    en_client, call, civil_servant, citizen, organisation
):
    """The group's form starts with its current members: the institution adds a citizen
    by adding a line, and the members already chosen stay; removing a line removes one."""
    url = reverse("proposals:call-evaluators", args=[call.pk])
    newcomer = make_user("nou@example.org", name="Nou Evaluator")
    en_client.force_login(civil_servant)
    en_client.post(url, {"emails": citizen.email, "organisations": organisation.fiscal_code})
    form = en_client.get(url).context["form"]
    assert form["emails"].value() == citizen.email
    assert form["organisations"].value() == organisation.fiscal_code

    en_client.post(
        url,
        {
            "emails": f"{form['emails'].value()}\n{newcomer.email}",
            "organisations": form["organisations"].value(),
        },
    )
    members = set(call.evaluators.values_list("user__email", "organisation__fiscal_code"))
    assert members == {
        (citizen.email, None),
        (newcomer.email, None),
        (None, organisation.fiscal_code),
    }
    en_client.post(url, {"emails": newcomer.email, "organisations": ""})
    assert list(call.evaluators.values_list("user__email", flat=True)) == [newcomer.email]


# --- Elsewhere ----------------------------------------------------------------------


def test_notifications_page_lists_the_steps(en_client, proposal, citizen):
    services.proposal_follow(proposal=proposal, user=citizen)
    for person in voters(3):
        services.vote_cast(proposal=proposal, user=person, is_yes=True)
    en_client.force_login(citizen)
    response = en_client.get(reverse("proposals:notifications"))
    assert "reached its threshold" in response.content.decode()


@pytest.mark.parametrize("count", [1, 6])
def test_the_atom_feeds(count, en_client, call, author, django_assert_num_queries):
    """The feeds list the proposals put to the vote, in a fixed number of queries."""
    for index in range(count):
        make_proposal(call, author, title=f"Propunerea {index}")
    make_proposal(call, author, State.PENDING, title="Nemoderată")
    Site.objects.clear_cache()
    # the site (for the feed's links, then kept in memory), proposals (with their call)
    with django_assert_num_queries(2):
        response = en_client.get(reverse("proposals:feed"))
    body = response.content.decode()
    assert response.status_code == 200 and body.count("<entry>") == count
    assert "Nemoderată" not in body
    # call, proposals (with their call)
    with django_assert_num_queries(2):
        response = en_client.get(reverse("proposals:call-feed", args=[call.pk]))
    assert response.content.decode().count("<entry>") == count


def test_the_map_layer_counts_proposals_and_those_that_reached_the_threshold(call, author, county):
    from registry.map.selectors import compute_map_statistics

    make_proposal(call, author, county=county)
    make_proposal(call, author, State.REFERRED, county=county)
    make_proposal(call, author, State.PENDING, county=county)
    stats = compute_map_statistics()
    cluj = next(c for c in stats["counties"] if c["code"] == county.code)
    assert cluj["counts"]["proposals"] == 2
    assert cluj["counts"]["proposals_reached"] == 1
    assert "county=" in cluj["links"]["proposals_reached"]


def test_the_coordinators_dashboard_shows_proposals(en_client, coordinator, call, author):
    make_proposal(call, author, State.DECIDED)
    en_client.force_login(coordinator)
    response = en_client.get(reverse("map:dashboard"))
    body = response.content.decode()
    assert "Citizens&#x27; proposals" in body or "Citizens' proposals" in body
    assert 'id="proposals-summary"' in body


# --- Query counts of the remaining pages -----------------------------------------------


@pytest.mark.parametrize("count", [1, 5])
def test_moderation_page_query_count_is_constant(
    count, quiet_nav, en_client, call, civil_servant, django_assert_num_queries
):
    """The moderation queue and log cost the same queries for 1 or 5 proposals."""
    for index in range(count):
        author = make_user(f"autor{index}@example.org", name=f"Autor {index}")
        waiting = make_proposal(call, author, State.PENDING, title=f"În așteptare {index}")
        done = make_proposal(call, author, State.PENDING, title=f"Moderată {index}")
        services.proposal_moderate(
            proposal=done, actor=civil_servant, action="reject", reason="Nu e clar."
        )
    en_client.force_login(civil_servant)
    # session, user, call, its domains, its counties, institution roles, queue's count,
    # queue, log's count, log
    with django_assert_num_queries(10):
        response = en_client.get(reverse("proposals:call-moderation", args=[call.pk]))
    body = response.content.decode()
    assert waiting.title in body and "Nu e clar." in body


def test_the_moderation_queue_and_log_have_their_own_pages(en_client, call, author, civil_servant):
    """A call with many proposals: the queue (oldest first) and the log are in pages of
    50, each paged on its own, so nothing waiting is out of the moderators' reach."""
    now = timezone.now()
    for index in range(55):
        make_proposal(
            call,
            author,
            State.PENDING,
            title=f"Așteaptă {index:02d}",
            created_at=now - datetime.timedelta(minutes=100 - index),
        )
    en_client.force_login(civil_servant)
    url = reverse("proposals:call-moderation", args=[call.pk])
    response = en_client.get(url)
    assert [p.title for p in response.context["queue"]][:2] == ["Așteaptă 00", "Așteaptă 01"]
    assert "?queue=2&amp;log=1" in response.content.decode()
    response = en_client.get(url, {"queue": 2})
    assert [p.title for p in response.context["queue"]] == [
        f"Așteaptă {index}" for index in range(50, 55)
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_notifications_page_query_count_is_constant(
    count, quiet_nav, en_client, call, citizen, civil_servant, django_assert_num_queries
):
    """A person's news of proposals costs the same queries for 1 or 5 proposals."""
    for index in range(count):
        proposal = make_proposal(call, citizen, State.PENDING, title=f"Propunerea {index}")
        services.proposal_moderate(proposal=proposal, actor=civil_servant, action="accept")
    en_client.force_login(citizen)
    # session, user, notifications (with their proposals)
    with django_assert_num_queries(3):
        response = en_client.get(reverse("proposals:notifications"))
    assert response.content.decode().count("was accepted and is open for votes") == count


@pytest.mark.parametrize("count", [1, 5])
def test_vote_audit_page_query_count_is_constant(
    count, quiet_nav, en_client, proposal, coordinator, django_assert_num_queries
):
    """The coordinators' audit trail of votes costs the same queries for 1 or 5 votes."""
    call = proposal.call
    call.threshold = 100
    call.save()
    for person in voters(count):
        services.vote_cast(proposal=proposal, user=person, is_yes=True)
    en_client.force_login(coordinator)
    # session, user, second factor (a coordinator's), proposal (with call), count,
    # page of entries (with users)
    with django_assert_num_queries(6):
        response = en_client.get(reverse("proposals:proposal-votes", args=[proposal.pk]))
    assert response.content.decode().count("voter") >= count


def test_the_call_page_gives_its_answer_date(en_client, call):
    call.answer_by = datetime.date(2030, 3, 15)
    call.save()
    html = en_client.get(call.get_absolute_url()).content.decode()
    assert "within 60 days of reaching the threshold, and by" in html
    assert "15 March 2030" in html or "March 15, 2030" in html


def test_a_decision_links_to_the_meetings_minutes_in_the_registry(en_client, call, author, meeting):
    """The decision is published with the minutes typed by the institution, and the
    meeting that decided is linked: its page in the registry carries its minutes."""
    proposal = make_proposal(
        call,
        author,
        State.DECIDED,
        meeting=meeting,
        decision="accepted",
        decision_reasons="Bună idee.",
        decided_at=timezone.now(),
    )
    html = en_client.get(proposal.get_absolute_url()).content.decode()
    assert reverse("registry:meeting-detail", args=[meeting.pk]) in html
    assert "The meeting in the registry, with its agenda and minutes" in html


@pytest.mark.parametrize("count", [1, 25])
def test_merge_suggestions_cost_the_same_queries_however_many_match(
    count, en_client, call, author, civil_servant, django_assert_num_queries
):
    """The moderator's suggestions: the session, the user, the proposal, the staff role
    and the matches, whether one proposal matches or many (at most 20 are given)."""
    proposal = make_proposal(call, author, State.PENDING, title="Piste de biciclete")
    for index in range(count):
        make_proposal(call, author, title=f"Piste noi {index}")
    en_client.force_login(civil_servant)
    options = reverse("proposals:merge-options", args=[proposal.pk])
    with django_assert_num_queries(5):
        found = en_client.get(options, {"q": "piste noi"}).json()
    assert len(found) == min(count, 20)
