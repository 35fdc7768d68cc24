"""Choosing NGO representatives through a call (issue 18): registration that can be
extended, evaluation, provisional results, appeals, final results and the vote of the
verified organisations; each role's rights at each step; 200 concurrent votes."""

import datetime
import itertools
import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.urls import reverse

from registry.models import (
    CallSelection,
    CandidateVote,
    MembershipApplication,
    MembershipCall,
    Organisation,
    OrganisationMembership,
    SelectionAppeal,
    SelectionEvent,
    SelectionStage,
)
from registry.services import calls as services
from registry.services.calls import TRANSITIONS
from registry.services.structures import application_submit
from tests.conftest import make_user

from .test_institutions_fixtures import *  # noqa: F403

DAY = datetime.timedelta(days=1)
Stage = SelectionStage


def _verified_org(name, fiscal_code, county, admin_email):
    organisation = Organisation.objects.create(
        name=name,
        legal_form=Organisation.LegalForm.ASSOCIATION,
        fiscal_code=fiscal_code,
        county=county,
        status=Organisation.Status.VERIFIED,
    )
    admin = make_user(admin_email, name=f"Admin {name}")
    OrganisationMembership.objects.create(
        organisation=organisation, user=admin, role=OrganisationMembership.Role.ADMIN
    )
    return organisation, admin


def _apply(call, organisation, admin):
    return MembershipApplication.objects.create(
        call=call, organisation=organisation, submitted_by=admin, motivation="Experiență."
    )


def _end_registration(call):
    MembershipCall.objects.filter(pk=call.pk).update(
        opens_on=call.opens_on - 30 * DAY, closes_on=datetime.date.today() - DAY
    )
    call.refresh_from_db()


def _past(selection, field):
    CallSelection.objects.filter(pk=selection.pk).update(**{field: datetime.date.today() - DAY})


@pytest.fixture
def flow(open_call, organisation, ngo_admin, county, civil_servant, today):
    """A call with a vote and two applicants: the fixture organisation (admin ngo_admin)
    and a second verified one."""
    other, other_admin = _verified_org("Fundația Doi", "14837069", county, "doi@ngo.example.org")
    services.selection_set(
        call=open_call,
        actor=civil_servant,
        eligibility_criteria="Cel puțin 3 ani de activitate în educație.",
        has_vote=True,
    )
    first = _apply(open_call, organisation, ngo_admin)
    second = _apply(open_call, other, other_admin)
    return {"call": open_call, "first": first, "second": second, "other": other}


def _to_evaluation(flow, actor):
    _end_registration(flow["call"])
    return services.registration_close(call=flow["call"], actor=actor)


def _to_appeals(flow, actor, today):
    _to_evaluation(flow, actor)
    services.application_evaluate(
        application=flow["first"],
        actor=actor,
        admitted=False,
        score=Decimal("4.5"),
        reasons="Experiență insuficientă dovedită.",
    )
    services.application_evaluate(
        application=flow["second"], actor=actor, admitted=True, score=Decimal("9")
    )
    return services.provisional_publish(
        call=flow["call"], actor=actor, appeals_until=today + 3 * DAY
    )


def _to_final(flow, actor, today):
    selection = _to_appeals(flow, actor, today)
    _past(selection, "appeals_until")
    return services.final_publish(call=flow["call"], actor=actor)


def _to_voting(flow, actor, today):
    _to_final(flow, actor, today)
    return services.vote_open(call=flow["call"], actor=actor, vote_until=today + 5 * DAY)


# --- Transitions and registration ---------------------------------------------------


def test_transitions_are_listed_in_one_place_and_follow_the_steps():
    """Each step leads only to the next one; the last leads nowhere."""
    order = list(Stage)
    for here, there in itertools.pairwise(order):
        assert TRANSITIONS[here] == {there}
    assert TRANSITIONS[Stage.COMPLETED] == set()


def test_registration_can_be_extended_and_the_extension_is_in_the_history(
    flow, civil_servant, today, django_capture_on_commit_callbacks
):
    """Extending moves the closing date, tells both applicants and is a step of the
    structure's history; a date not later than the current one is refused."""
    call = flow["call"]
    old = call.closes_on
    with pytest.raises(ValidationError) as error:
        services.registration_extend(call=call, actor=civil_servant, closes_on=old)
    assert "closes_on" in error.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_extend(call=call, actor=civil_servant, closes_on=old + 7 * DAY)
    call.refresh_from_db()
    assert call.closes_on == old + 7 * DAY
    event = SelectionEvent.objects.get(kind=SelectionEvent.Kind.EXTENDED)
    assert event.structure_id == call.structure_id and event.actor == civil_servant
    assert len(mail.outbox) == 2
    assert "extended" in mail.outbox[0].body
    assert call.history.count() >= 2


def test_registration_cannot_close_before_its_period_ends(flow, civil_servant):
    """The evaluation starts only after the closing date."""
    with pytest.raises(ValidationError):
        services.registration_close(call=flow["call"], actor=civil_servant)
    assert flow["call"].selection.stage == Stage.REGISTRATION


# --- Evaluation, provisional results, appeals, final results ----------------------------


def test_not_admitted_needs_reasons_and_results_wait_for_every_evaluation(
    flow, civil_servant, today
):
    """An application not admitted without reasons is refused; the provisional results
    are refused while an application has no evaluation."""
    _to_evaluation(flow, civil_servant)
    with pytest.raises(ValidationError) as error:
        services.application_evaluate(
            application=flow["first"], actor=civil_servant, admitted=False, score=Decimal(3)
        )
    assert "reasons" in error.value.message_dict
    services.application_evaluate(
        application=flow["second"], actor=civil_servant, admitted=True, score=Decimal(8)
    )
    with pytest.raises(ValidationError, match="still without an evaluation"):
        services.provisional_publish(
            call=flow["call"], actor=civil_servant, appeals_until=today + 3 * DAY
        )
    assert CallSelection.objects.get(call=flow["call"]).stage == Stage.EVALUATION


def test_full_flow_with_an_upheld_appeal_notifies_each_step(
    flow, civil_servant, ngo_admin, today, django_capture_on_commit_callbacks
):
    """Provisional results open the appeals; the rejected applicant appeals, the
    institution upholds it with reasons, which admits it; the final results wait for
    the window to end. Every step is e-mailed and kept in the history."""
    with django_capture_on_commit_callbacks(execute=True):
        selection = _to_appeals(flow, civil_servant, today)
    assert selection.stage == Stage.APPEALS
    assert any("provisional results" in m.body for m in mail.outbox)
    appeal = services.appeal_file(
        application=flow["first"], user=ngo_admin, reasons="Avem 5 ani de activitate."
    )
    with pytest.raises(ValidationError, match="already been appealed"):
        services.appeal_file(application=flow["first"], user=ngo_admin, reasons="Din nou.")
    with pytest.raises(ValidationError, match="Appeals are accepted until"):
        services.final_publish(call=flow["call"], actor=civil_servant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_decide(
            appeal=appeal, actor=civil_servant, uphold=True, reasons="Dovezi noi depuse."
        )
    (message,) = mail.outbox
    assert message.to == [ngo_admin.email] and "upheld" in message.body
    flow["first"].evaluation.refresh_from_db()
    assert flow["first"].evaluation.admitted is True
    _past(selection, "appeals_until")
    services.final_publish(call=flow["call"], actor=civil_servant)
    kinds = list(
        SelectionEvent.objects.filter(structure=flow["call"].structure).values_list(
            "kind", flat=True
        )
    )
    assert kinds == [
        "setup",
        "evaluation",
        "provisional",
        "appeal_filed",
        "appeal_decided",
        "final",
    ]
    assert list(services.candidates(flow["call"])) == [flow["second"], flow["first"]] or set(
        services.candidates(flow["call"])
    ) == {flow["first"], flow["second"]}


def test_appeal_refused_after_the_window_and_for_a_stranger(flow, civil_servant, ngo_admin, today):
    """Only the applicant's administrator appeals, and only while the window is open."""
    selection = _to_appeals(flow, civil_servant, today)
    with pytest.raises(PermissionDenied):
        services.appeal_file(application=flow["second"], user=ngo_admin, reasons="Nu e a noastră.")
    _past(selection, "appeals_until")
    with pytest.raises(ValidationError, match="appeals window is closed"):
        services.appeal_file(application=flow["first"], user=ngo_admin, reasons="Târziu.")
    assert not SelectionAppeal.objects.exists()


def test_the_structures_history_tells_each_step_of_the_selection(
    flow, civil_servant, ngo_admin, coordinator, en_client, today, django_assert_num_queries
):
    """A coordinator reading the structure's history finds every step of the selection,
    newest first, with its call, its details and who took it; the page reads them in
    one query, however many there are."""
    structure_id = flow["call"].structure_id
    url = reverse("registry:history", kwargs={"model": "advisorystructure", "pk": structure_id})
    en_client.force_login(coordinator)
    en_client.get(url)  # the first page after signing in costs one query more
    with django_assert_num_queries(11):
        before = en_client.get(url)
    assert [s.kind for s in before.context["selection_steps"]] == ["setup"]

    _to_appeals(flow, civil_servant, today)
    services.appeal_file(application=flow["first"], user=ngo_admin, reasons="Avem experiență.")
    with django_assert_num_queries(11):
        response = en_client.get(url)

    steps = response.context["selection_steps"]
    assert [s.kind for s in steps] == ["appeal_filed", "provisional", "evaluation", "setup"]
    assert (steps[0].actor, steps[1].actor) == (ngo_admin, civil_servant)
    page = response.content.decode()
    assert "Selection of NGO representatives" in page
    assert "Provisional results published" in page and "Appeal filed" in page
    assert reverse("registry:call-selection", args=[flow["call"].pk]) in page


def test_a_call_without_a_vote_ends_with_the_final_results(flow, civil_servant, today):
    """Opening a vote is refused when the call does not provide for one."""
    CallSelection.objects.filter(call=flow["call"]).update(has_vote=False)
    _to_final(flow, civil_servant, today)
    with pytest.raises(ValidationError, match="does not provide for a vote"):
        services.vote_open(call=flow["call"], actor=civil_servant, vote_until=today + DAY)


# --- The vote ------------------------------------------------------------------------


def test_one_vote_per_organisation_and_results_with_turnout(
    flow, civil_servant, ngo_admin, organisation, ngo_member, today
):
    """An organisation votes once, through its administrator, for an admitted candidate;
    the results count each vote and give the turnout over the verified organisations."""
    _to_voting(flow, civil_servant, today)
    call = flow["call"]
    with pytest.raises(ValidationError) as error:
        services.vote_cast(
            call=call, organisation=organisation, user=ngo_admin, candidate=flow["first"]
        )
    assert "candidate" in error.value.message_dict  # not admitted
    with pytest.raises(PermissionDenied):
        services.vote_cast(
            call=call, organisation=organisation, user=ngo_member, candidate=flow["second"]
        )
    services.vote_cast(
        call=call, organisation=organisation, user=ngo_admin, candidate=flow["second"]
    )
    with pytest.raises(ValidationError, match="already voted"):
        services.vote_cast(
            call=call, organisation=organisation, user=ngo_admin, candidate=flow["second"]
        )
    results = services.vote_results(call)
    assert results["rows"] == [(flow["second"], 1)]
    assert (results["voted"], results["eligible"], results["turnout"]) == (1, 2, 50.0)
    with pytest.raises(ValidationError, match="open until"):
        services.vote_results_publish(call=call, actor=civil_servant)
    _past(call.selection, "vote_until")
    services.vote_results_publish(call=call, actor=civil_servant)
    event = SelectionEvent.objects.get(kind=SelectionEvent.Kind.VOTE_RESULTS)
    assert "1 out of 2 (50.0%)" in event.detail


def test_an_organisation_the_register_dissolved_neither_votes_nor_counts(
    flow, civil_servant, ngo_admin, organisation, county, en_client, today
):
    """A verified organisation that the National NGO Registry lists as dissolved is told
    why it cannot vote, is offered no ballot and does not count in the turnout; its vote
    is not recorded."""
    _to_voting(flow, civil_servant, today)
    call = flow["call"]
    _verified_org("Asociația Trei", "18519862", county, "trei@ngo.example.org")
    Organisation.objects.filter(pk=organisation.pk).update(
        registry_state=Organisation.RegistryState.DISSOLVED
    )
    organisation.refresh_from_db()

    with pytest.raises(ValidationError, match="dissolved in the National NGO Registry"):
        services.vote_cast(
            call=call, organisation=organisation, user=ngo_admin, candidate=flow["second"]
        )

    assert not CandidateVote.objects.exists()
    results = services.vote_results(call)
    assert (results["voted"], results["eligible"]) == (0, 2)  # "Fundația Doi" and "Trei"
    assert not ngo_admin.has_perm("registry.cast_vote", call)
    en_client.force_login(ngo_admin)
    page = en_client.get(reverse("registry:call-selection", args=[call.pk]))
    assert "Cast the vote" not in page.content.decode()
    response = en_client.post(
        reverse("registry:call-selection-act", args=[call.pk, "vote"]),
        {"organisation": organisation.pk, "candidate": flow["second"].pk},
    )
    assert response.status_code == 403
    assert not CandidateVote.objects.exists()


def test_an_organisation_in_liquidation_cannot_apply(open_call, organisation, ngo_admin):
    """A verified organisation in liquidation in the National NGO Registry is told why it
    cannot apply to a call, and no application is saved."""
    Organisation.objects.filter(pk=organisation.pk).update(
        registry_state=Organisation.RegistryState.IN_LIQUIDATION
    )
    organisation.refresh_from_db()

    assert not ngo_admin.has_perm("registry.apply_to_call", open_call)
    with pytest.raises(ValidationError, match="in liquidation in the National NGO Registry"):
        application_submit(
            call=open_call, organisation=organisation, user=ngo_admin, motivation="Experiență."
        )
    assert not MembershipApplication.objects.exists()


# --- Each role's rights at each step --------------------------------------------------

ROLES = (
    "anonymous",
    "citizen",
    "ngo_member",
    "ngo_admin",
    "civil_servant",
    "other_civil_servant",
    "coordinator",
)
RUNS = {"civil_servant", "coordinator"}
# step: (how far the selection goes, permission, on the call or an application, allowed)
GRID = {
    "registration": ("registration", "registry.extend_registration", "call", RUNS),
    "registration-apply": ("registration", "registry.apply_to_call", "call", {"ngo_admin"}),
    "evaluation": ("evaluation", "registry.evaluate_application", "application", RUNS),
    "provisional": ("evaluation", "registry.publish_provisional", "call", RUNS),
    "provisional-read": ("appeals", "registry.view_selection_results", "call", set(ROLES)),
    "appeals-file": ("appeals", "registry.file_appeal", "application", {"ngo_admin"}),
    "appeals-decide": ("appeals", "registry.decide_appeal", "call", RUNS),
    "final": ("appeals", "registry.publish_final", "call", RUNS),
    "vote-open": ("final", "registry.open_vote", "call", RUNS),
    "vote": ("voting", "registry.cast_vote", "call", {"ngo_admin"}),
    "vote-results": ("voting", "registry.publish_vote_results", "call", RUNS),
}
ADVANCE = {
    "registration": lambda flow, actor, today: None,
    "evaluation": lambda flow, actor, today: _to_evaluation(flow, actor),
    "appeals": _to_appeals,
    "final": _to_final,
    "voting": _to_voting,
}


@pytest.mark.parametrize("step", list(GRID))
def test_role_by_step_grid(step, flow, request, civil_servant, today):
    """At each step only the roles of the grid may act; every permission is refused at
    every other step (checked by the other rows: each is true at its step only)."""
    stage, perm, target, allowed = GRID[step]
    ADVANCE[stage](flow, civil_servant, today)
    call = flow["call"]
    obj = _fresh(target, flow)

    granted = set()
    for role in ROLES:
        user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
        if user.has_perm(perm, obj):
            granted.add(role)
    assert granted == allowed, (step, granted)
    # At every other step the same permission is refused to all of them (results,
    # once published, stay readable; before, only those who run the selection read them).
    published = {Stage.APPEALS, Stage.FINAL, Stage.VOTING, Stage.COMPLETED}
    if perm == "registry.apply_to_call":  # the end of the registration closes the call
        _to_evaluation(flow, civil_servant)
        obj = _fresh(target, flow)
        assert not any(request.getfixturevalue(role).has_perm(perm, obj) for role in ROLES[1:])
        return
    for other_stage in set(Stage) - {stage}:
        CallSelection.objects.filter(call=call).update(stage=other_stage)
        obj = _fresh(target, flow)
        expected = set()
        if perm == "registry.view_selection_results":
            expected = set(ROLES) if other_stage in published else RUNS
        for role in ROLES:
            user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
            assert user.has_perm(perm, obj) == (role in expected), (perm, other_stage, role)


def _fresh(target, flow):
    if target == "call":
        return MembershipCall.objects.select_related("structure", "selection").get(
            pk=flow["call"].pk
        )
    return MembershipApplication.objects.select_related("call__structure", "call__selection").get(
        pk=flow["first"].pk
    )


# --- 200 concurrent votes -------------------------------------------------------------

VOTERS = 200
WORKERS = 20


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_votes_none_lost_none_twice(
    structure, civil_servant, county, today, django_capture_on_commit_callbacks
):
    """200 organisations vote at the same time (20 threads, each with its own
    connection), each organisation sending its vote twice: every organisation is
    counted exactly once and the totals equal the votes stored."""
    if connection.vendor != "postgresql":
        pytest.fail("The concurrency test needs PostgreSQL (DATABASE_URL).")
    call = MembershipCall.objects.create(
        structure=structure,
        title="Reprezentanți ONG",
        opens_on=today - 40 * DAY,
        closes_on=today - DAY,
    )
    services.selection_set(call=call, actor=civil_servant, has_vote=True)
    a_org, a_admin = _verified_org("Candidat A", "18547290", county, "a@ngo.example.org")
    b_org, b_admin = _verified_org("Candidat B", "14837069", county, "b@ngo.example.org")
    first, second = _apply(call, a_org, a_admin), _apply(call, b_org, b_admin)
    services.registration_close(call=call, actor=civil_servant)
    for application in (first, second):
        services.application_evaluate(
            application=application, actor=civil_servant, admitted=True, score=Decimal(7)
        )
    selection = services.provisional_publish(call=call, actor=civil_servant, appeals_until=today)
    _past(selection, "appeals_until")
    services.final_publish(call=call, actor=civil_servant)
    services.vote_open(call=call, actor=civil_servant, vote_until=today + DAY)

    voters = []
    for index in range(VOTERS):
        organisation = Organisation.objects.create(
            name=f"Votant {index}",
            legal_form=Organisation.LegalForm.ASSOCIATION,
            county=county,
            status=Organisation.Status.VERIFIED,
        )
        user = make_user(f"v{index}@ngo.example.org")
        OrganisationMembership.objects.create(
            organisation=organisation, user=user, role=OrganisationMembership.Role.ADMIN
        )
        voters.append((organisation, user, first if index % 4 else second))
    ballots = voters + voters  # each organisation tries twice
    shares = [ballots[index::WORKERS] for index in range(WORKERS)]
    barrier = threading.Barrier(WORKERS)
    accepted, refused, errors = [], [], []

    def work(share):
        try:
            barrier.wait()
            for organisation, user, candidate in share:
                try:
                    services.vote_cast(
                        call=call, organisation=organisation, user=user, candidate=candidate
                    )
                    accepted.append(organisation.pk)
                except ValidationError:
                    refused.append(organisation.pk)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(accepted) == sorted(o.pk for o, _, _ in voters)
    assert len(refused) == VOTERS
    assert CandidateVote.objects.filter(call=call).count() == VOTERS
    results = services.vote_results(call)
    assert {c.pk: n for c, n in results["rows"]} == {first.pk: 150, second.pk: 50}
    assert results["voted"] == VOTERS and results["eligible"] == VOTERS + 2


# --- Pages ---------------------------------------------------------------------------


def _url(call, action=None):
    if action:
        return reverse("registry:call-selection-act", args=[call.pk, action])
    return reverse("registry:call-selection", args=[call.pk])


def test_staff_run_the_steps_through_the_page(
    flow, en_client, civil_servant, ngo_admin, today, django_capture_on_commit_callbacks
):
    """The institution extends, ends the registration, evaluates and publishes through
    the page; the applicant then appeals through it; a bad date is refused with a clear
    message and changes nothing."""
    call = flow["call"]
    en_client.force_login(civil_servant)
    page = en_client.get(_url(call))
    assert page.status_code == 200 and b"Extend the registration" in page.content
    response = en_client.post(
        _url(call, "extend"), {"closes_on": call.closes_on.isoformat()}, follow=True
    )
    assert b"The new closing date must be after" in response.content
    _end_registration(call)
    en_client.post(_url(call, "close"))
    for application, admitted, reasons in (
        (flow["first"], "0", "Fără dovezi."),
        (flow["second"], "1", ""),
    ):
        en_client.post(
            _url(call, "evaluate"),
            {"application": application.pk, "admitted": admitted, "score": "5", "reasons": reasons},
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = en_client.post(
            _url(call, "provisional"), {"appeals_until": (today + 2 * DAY).isoformat()}, follow=True
        )
    assert b"The provisional results were published" in response.content
    assert CallSelection.objects.get(call=call).stage == Stage.APPEALS
    en_client.force_login(ngo_admin)
    page = en_client.get(_url(call))
    assert b"File the appeal" in page.content and "Fără dovezi." in page.content.decode()
    en_client.post(
        _url(call, "appeal"), {"application": flow["first"].pk, "reasons": "Avem dovezi."}
    )
    assert SelectionAppeal.objects.get().filed_by == ngo_admin


def test_a_stranger_cannot_act_and_a_visitor_is_sent_to_sign_in(flow, en_client, citizen):
    """Actions are refused to those without the step's permission."""
    call = flow["call"]
    response = en_client.post(_url(call, "extend"), {"closes_on": "2099-01-01"})
    assert response.status_code == 302 and "login" in response["Location"]
    en_client.force_login(citizen)
    assert en_client.post(_url(call, "extend"), {"closes_on": "2099-01-01"}).status_code == 403
    assert en_client.post(_url(call, "unknown")).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "civil_servant"])
def test_selection_page_query_count_is_pinned(
    who,
    flow,
    en_client,
    request,
    civil_servant,
    organisation,
    ngo_admin,
    today,
    django_assert_num_queries,
):
    """The page of a completed selection, with its results and vote, reads a fixed
    number of queries, whatever the number of applications."""
    _to_voting(flow, civil_servant, today)
    services.vote_cast(
        call=flow["call"], organisation=organisation, user=ngo_admin, candidate=flow["second"]
    )
    _past(flow["call"].selection, "vote_until")
    services.vote_results_publish(call=flow["call"], actor=civil_servant)
    if who != "anonymous":
        en_client.force_login(request.getfixturevalue(who))
    expected = {"anonymous": 6, "civil_servant": 12}[who]
    with django_assert_num_queries(expected):
        response = en_client.get(_url(flow["call"]))
    assert response.status_code == 200
    assert b"Turnout: 1 out of 2 verified organisations (50.0%)." in response.content
