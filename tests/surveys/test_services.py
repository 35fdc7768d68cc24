"""The services of questionnaires: the builder and its lock after the first answer, the
roster, invitations and reminders (each once, never to who answered), the deadline,
anonymity (no stored link to a person) and duplication."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from registry.models import Institution, InstitutionStaff, Organisation, OrganisationMembership
from surveys import services
from surveys.models import Invitation, Notice, Question, Response, Survey

from ..conftest import make_user
from .conftest import K, add_question, labels, make_survey, open_survey, texts

pytestmark = pytest.mark.django_db


def test_title_needs_romanian_and_english(author):
    """A questionnaire without its English title is refused and nothing is stored."""
    with pytest.raises(ValidationError):
        services.survey_create(actor=author, title={"ro": "Doar română"})
    assert not Survey.objects.exists()


def test_hungarian_is_kept_when_given(author):
    """A Hungarian title is stored beside the Romanian and English ones and shown to a
    Hungarian reader; others fall back to Romanian."""
    survey = services.survey_create(actor=author, title=texts("Titlu", "Title", "Cím"))
    from surveys.models import translated

    assert translated(survey.title, "hu") == "Cím"
    assert translated(survey.title, "de") == "Titlu"


def test_citizen_cannot_create(citizen):
    """A citizen cannot author questionnaires."""
    with pytest.raises(PermissionDenied):
        services.survey_create(actor=citizen, title=texts("T"))


def test_civil_servant_creates_for_the_institution(civil_servant, institution, other_civil_servant):
    """A civil servant's questionnaire belongs to their institution: its staff manage it,
    another institution's staff do not."""
    survey = make_survey(civil_servant)
    assert survey.institution_id == institution.pk
    assert civil_servant.has_perm("surveys.change_survey", survey)
    assert not other_civil_servant.has_perm("surveys.change_survey", survey)


def test_anonymous_only_for_public(author):
    """Only a questionnaire open to anyone can be anonymous."""
    with pytest.raises(ValidationError):
        make_survey(author, audience=Survey.Audience.SIGNED_IN, is_anonymous=True)


def test_lock_after_first_answer(survey, author, citizen):
    """Once someone has answered, texts can be corrected and choices added, but a choice
    cannot be removed, the type cannot change and no question can be added, moved or
    removed."""
    q = add_question(survey, author, K.SINGLE, choices=["A", "B"])
    survey.audience = Survey.Audience.SIGNED_IN
    survey.save()
    open_survey(survey, author)
    services.response_save(
        survey=survey, actor=citizen, answers={q.key: q.choices[0]["key"]}, submit=True
    )
    survey.refresh_from_db()
    assert survey.is_locked
    q.refresh_from_db()
    services.question_update(
        question=q, actor=author, text=texts("Corectat"), choice_labels=labels("A", "B", "C")
    )
    q.refresh_from_db()
    assert q.text["ro"] == "Corectat" and len(q.choices) == 3
    with pytest.raises(ValidationError):
        services.question_update(question=q, actor=author, choice_labels=labels("A"))
    with pytest.raises(ValidationError):
        services.question_update(
            question=q, actor=author, kind=K.MULTIPLE, choice_labels=labels("A", "B", "C")
        )
    with pytest.raises(ValidationError):
        add_question(survey, author, K.SHORT_TEXT)
    with pytest.raises(ValidationError):
        services.question_delete(question=q, actor=author)
    q.refresh_from_db()
    assert q.kind == K.SINGLE and len(q.choices) == 3


def test_lock_keeps_the_value_of_a_condition(survey, author, citizen):
    """Once someone has answered, the answer that shows a question cannot change (its
    choice may be written by its label or its key), but the question's text can."""
    first = add_question(survey, author, K.SINGLE, choices=["A", "B"])
    second = add_question(
        survey, author, K.SHORT_TEXT, condition_question=first, condition_value="A"
    )
    survey.audience = Survey.Audience.SIGNED_IN
    survey.save()
    open_survey(survey, author)
    services.response_save(
        survey=survey, actor=citizen, answers={first.key: first.choices[0]["key"]}, submit=True
    )
    second.refresh_from_db()
    with pytest.raises(ValidationError):
        services.question_update(
            question=second, actor=author, condition_question=first, condition_value="B"
        )
    services.question_update(
        question=second,
        actor=author,
        text=texts("Corectat"),
        condition_question=first,
        condition_value="A",
    )
    second.refresh_from_db()
    assert second.condition_value == first.choices[0]["key"]
    assert second.text["ro"] == "Corectat"


def test_choice_keys_survive_corrections(survey, author):
    """Correcting a choice's label keeps its key, so answers given keep their meaning."""
    q = add_question(survey, author, K.SINGLE, choices=["A", "B"])
    keys = [c["key"] for c in q.choices]
    services.question_update(question=q, actor=author, choice_labels=labels("Aa", "Bb"))
    q.refresh_from_db()
    assert [c["key"] for c in q.choices] == keys


def test_move_keeps_conditions_after_their_question(survey, author):
    """Moving a question above the question its condition is on is refused."""
    first = add_question(survey, author, K.YES_NO)
    second = add_question(
        survey, author, K.SHORT_TEXT, condition_question=first, condition_value="yes"
    )
    third = add_question(survey, author, K.SHORT_TEXT)
    with pytest.raises(ValidationError):
        services.question_move(question=second, actor=author, up=True)
    services.question_move(question=third, actor=author, up=True)
    order = list(survey.questions.order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, third.pk, second.pk]


def test_condition_must_name_a_choice(survey, author):
    """A condition on a choice that does not exist is refused."""
    q = add_question(survey, author, K.SINGLE, choices=["A", "B"])
    with pytest.raises(ValidationError):
        add_question(survey, author, K.SHORT_TEXT, condition_question=q, condition_value="Z")


def test_duplicate_copies_questions_and_conditions(survey, author):
    """A copy is a new draft with the same questions, its conditions pointing to its own
    questions, and no answers."""
    first = add_question(survey, author, K.YES_NO)
    add_question(survey, author, K.SHORT_TEXT, condition_question=first, condition_value="yes")
    copy = services.survey_duplicate(survey=survey, actor=author)
    copied = list(copy.questions.order_by("position"))
    assert len(copied) == 2
    assert copied[1].condition_question_id == copied[0].pk
    assert copy.status == Survey.Status.DRAFT and not copy.is_locked


def test_open_needs_questions_and_roster(author, organisation):
    """A questionnaire opens only with a question, and a roster's only with members."""
    survey = make_survey(author, audience=Survey.Audience.ROSTER)
    with pytest.raises(ValidationError):
        open_survey(survey, author)
    add_question(survey, author, K.YES_NO)
    with pytest.raises(ValidationError):
        open_survey(survey, author)
    Invitation.objects.create(survey=survey, organisation=organisation)
    open_survey(survey, author)
    assert survey.status == Survey.Status.OPEN


# --- Roster, invitations, reminders ---------------------------------------------------------


@pytest.fixture
def ngo_admins(organisation):
    admin = make_user("admin@ngo.example.org", name="Andrei Administrator")
    OrganisationMembership.objects.create(
        organisation=organisation, user=admin, role=OrganisationMembership.Role.ADMIN
    )
    member = make_user("member@ngo.example.org", name="Maria Membru")
    OrganisationMembership.objects.create(
        organisation=organisation, user=member, role=OrganisationMembership.Role.MEMBER
    )
    return admin, member


def test_open_invites_each_member_once(
    roster_survey, author, ngo_admins, django_capture_on_commit_callbacks
):
    """Opening sends each roster member's administrators a notice and an e-mail, once,
    even if the invitation task runs again."""
    admin, member = ngo_admins
    with django_capture_on_commit_callbacks(execute=True):
        open_survey(roster_survey, author)
    assert Notice.objects.filter(user=admin, kind=Notice.Kind.INVITED).count() == 1
    assert not Notice.objects.filter(user=member).exists()
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert "Questionnaire for you" in mail.outbox[0].subject
    invitation = roster_survey.invitations.get()
    assert services.invitation_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


def test_roster_of_ministries(author, institution, other_institution):
    """ "All ministries" adds every ministry, once, even when chosen twice."""
    Institution.objects.create(
        name="Prefectura Cluj", kind=Institution.Kind.PREFECTURE, level=Institution.Level.COUNTY
    )
    survey = make_survey(
        author, audience=Survey.Audience.ROSTER, roster_kind=Survey.RosterKind.INSTITUTIONS
    )
    institutions, _orgs = services.roster_candidates(
        survey=survey, institution_kind=Institution.Kind.MINISTRY
    )
    assert services.roster_add(survey=survey, actor=author, institutions=institutions) == 2
    assert services.roster_add(survey=survey, actor=author, institutions=institutions) == 0
    assert set(survey.invitations.values_list("institution_id", flat=True)) == {
        institution.pk,
        other_institution.pk,
    }


def test_roster_of_verified_ngos_of_a_county(author, organisation, county):
    """Organisations of a county: only the verified ones."""
    Organisation.objects.create(
        name="Neverificată",
        legal_form="association",
        fiscal_code="12345678",
        county=county,
        status=Organisation.Status.PENDING,
    )
    survey = make_survey(author, audience=Survey.Audience.ROSTER)
    _inst, organisations = services.roster_candidates(survey=survey, county=county)
    assert organisations == [organisation.pk]


def test_institution_invitation_goes_to_admins(
    author, institution, institution_admin, civil_servant, django_capture_on_commit_callbacks
):
    """An institution's invitation goes to its administrators (and relationship
    officials with an account), not to every civil servant."""
    survey = make_survey(
        author, audience=Survey.Audience.ROSTER, roster_kind=Survey.RosterKind.INSTITUTIONS
    )
    add_question(survey, author, K.YES_NO)
    services.roster_add(survey=survey, actor=author, institutions=[institution.pk])
    with django_capture_on_commit_callbacks(execute=True):
        open_survey(survey, author)
    assert list(Notice.objects.values_list("user_id", flat=True)) == [institution_admin.pk]


def _opened_roster(roster_survey, author, capture):
    with capture(execute=True):
        open_survey(roster_survey, author)
    mail.outbox.clear()
    return roster_survey.invitations.get()


def test_reminders_each_once_never_to_who_answered(
    roster_survey, author, ngo_admins, organisation, django_capture_on_commit_callbacks
):
    """The reminder of 7 days before is sent once when due; a second run sends nothing;
    the 2-day one comes later; once the member has submitted, nothing more."""
    admin, _member = ngo_admins
    invitation = _opened_roster(roster_survey, author, django_capture_on_commit_callbacks)
    deadline = roster_survey.deadline
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders(now=deadline - datetime.timedelta(days=8)) == 0
        assert services.send_due_reminders(now=deadline - datetime.timedelta(days=6)) == 1
        assert services.send_due_reminders(now=deadline - datetime.timedelta(days=6)) == 0
    assert len(mail.outbox) == 1 and "Reminder" in mail.outbox[0].subject
    invitation.refresh_from_db()
    assert invitation.reminders_sent == [7]
    q = roster_survey.questions.get()
    services.response_save(
        survey=roster_survey,
        actor=admin,
        answers={q.key: "yes"},
        submit=True,
        invitation=invitation,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders(now=deadline - datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_late_start_sends_only_the_closest_reminder(
    roster_survey, author, ngo_admins, django_capture_on_commit_callbacks
):
    """A member reached when both reminders are due gets one reminder, not two."""
    _opened_roster(roster_survey, author, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.send_due_reminders(now=roster_survey.deadline - datetime.timedelta(days=1))
            == 1
        )
        assert (
            services.send_due_reminders(now=roster_survey.deadline - datetime.timedelta(hours=1))
            == 0
        )
    assert len(mail.outbox) == 1


def test_manual_reminder_skips_who_answered(
    author, organisation, ngo_admins, county, django_capture_on_commit_callbacks
):
    """A manual reminder goes to every member that has not submitted, and to nobody else."""
    admin, _member = ngo_admins
    other = Organisation.objects.create(
        name="Alta",
        legal_form="association",
        fiscal_code="87654321",
        county=county,
        status="verified",
    )
    other_admin = make_user("admin@other.example.org")
    OrganisationMembership.objects.create(organisation=other, user=other_admin, role="admin")
    survey = make_survey(author, audience=Survey.Audience.ROSTER)
    q = add_question(survey, author, K.YES_NO)
    services.roster_add(survey=survey, actor=author, organisations=[organisation.pk, other.pk])
    with django_capture_on_commit_callbacks(execute=True):
        open_survey(survey, author)
    mail.outbox.clear()
    invitation = survey.invitations.get(organisation=organisation)
    services.response_save(
        survey=survey, actor=admin, answers={q.key: "no"}, submit=True, invitation=invitation
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_now(survey=survey, actor=author) == 1
    assert [m.to for m in mail.outbox] == [[other_admin.email]]


def test_deadline_extension(roster_survey, author, ngo_admins, django_capture_on_commit_callbacks):
    """Extending reopens a closed questionnaire and tells who has not answered; an earlier
    date is refused."""
    _opened_roster(roster_survey, author, django_capture_on_commit_callbacks)
    services.survey_transition(survey=roster_survey, actor=author, name="close")
    with pytest.raises(ValidationError):
        services.survey_extend_deadline(
            survey=roster_survey,
            actor=author,
            deadline=roster_survey.deadline - datetime.timedelta(days=1),
        )
    new = roster_survey.deadline + datetime.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_extend_deadline(survey=roster_survey, actor=author, deadline=new)
    roster_survey.refresh_from_db()
    assert roster_survey.status == Survey.Status.OPEN and roster_survey.deadline == new
    assert Notice.objects.filter(kind=Notice.Kind.EXTENDED).count() == 1
    assert "More time" in mail.outbox[0].subject


# --- Responses -------------------------------------------------------------------------------


def test_shared_draft_of_an_organisation(roster_survey, author, ngo_admins):
    """The organisation's staff share one draft; one of them submits it; it can be
    changed until the deadline, and not after."""
    admin, member = ngo_admins
    open_survey(roster_survey, author)
    invitation = roster_survey.invitations.get()
    q = roster_survey.questions.get()
    services.response_save(
        survey=roster_survey, actor=member, answers={}, submit=False, invitation=invitation
    )
    services.response_save(
        survey=roster_survey,
        actor=admin,
        answers={q.key: "yes"},
        submit=False,
        invitation=invitation,
    )
    response = Response.objects.get()
    assert response.status == Response.Status.DRAFT and response.answers == {q.key: "yes"}
    services.response_save(
        survey=roster_survey,
        actor=member,
        answers={q.key: "no"},
        submit=True,
        invitation=invitation,
    )
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED and response.submitted_by == member
    assert Response.objects.count() == 1
    Survey.objects.filter(pk=roster_survey.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    roster_survey.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.response_save(
            survey=roster_survey,
            actor=admin,
            answers={q.key: "yes"},
            submit=True,
            invitation=invitation,
        )


def test_outsider_cannot_answer_for_the_roster(roster_survey, author, citizen, other_civil_servant):
    """Someone outside the roster cannot answer it."""
    open_survey(roster_survey, author)
    invitation = roster_survey.invitations.get()
    for outsider in (citizen, other_civil_servant):
        with pytest.raises(PermissionDenied):
            services.response_save(
                survey=roster_survey,
                actor=outsider,
                answers={},
                submit=False,
                invitation=invitation,
            )


def test_required_answer_on_submission(roster_survey, author, ngo_admins):
    """A submission without a required answer is refused and stores nothing."""
    admin, _member = ngo_admins
    open_survey(roster_survey, author)
    with pytest.raises(ValidationError):
        services.response_save(
            survey=roster_survey,
            actor=admin,
            answers={},
            submit=True,
            invitation=roster_survey.invitations.get(),
        )
    assert not Response.objects.exists()


def test_anonymous_response_stores_no_link(author, citizen, county):
    """An anonymous answer, even from a signed-in user, is stored without user, invitation,
    institution, organisation, session or address: the row holds the answers, the county
    the respondent chose to give and the day."""
    survey = make_survey(author, is_anonymous=True)
    q = add_question(survey, author, K.SHORT_TEXT)
    open_survey(survey, author)
    services.response_save(
        survey=survey, actor=citizen, answers={q.key: "Părerea mea"}, submit=True, county=county
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM surveys_response")
        columns = [c[0] for c in cursor.description]
        (row,) = cursor.fetchall()
    stored = dict(zip(columns, row, strict=True))
    for column in (
        "user_id",
        "invitation_id",
        "institution_id",
        "organisation_id",
        "submitted_by_id",
        "started_at",
        "updated_at",
    ):
        assert stored[column] is None, column
    assert stored["county_id"] == county.pk
    submitted = stored["submitted_at"]
    assert (submitted.hour, submitted.minute, submitted.second, submitted.microsecond) == (
        0,
        0,
        0,
        0,
    )
    assert citizen.email not in str(stored) and str(citizen.pk) not in str(stored["answers"])
    assert set(columns) == {
        "id",
        "survey_id",
        "status",
        "answers",
        "invitation_id",
        "user_id",
        "institution_id",
        "organisation_id",
        "county_id",
        "submitted_by_id",
        "started_at",
        "updated_at",
        "submitted_at",
    }


def test_anonymous_has_no_draft(author, citizen):
    """An anonymous questionnaire keeps no draft (a draft would need to know whose it is)."""
    survey = make_survey(author, is_anonymous=True)
    add_question(survey, author, K.SHORT_TEXT)
    open_survey(survey, author)
    with pytest.raises(ValidationError):
        services.response_save(survey=survey, actor=citizen, answers={}, submit=False)
    assert not Response.objects.exists()


def test_signed_in_user_has_one_response(author, citizen):
    """A signed-in user's draft and submission are one response."""
    survey = make_survey(author, audience=Survey.Audience.SIGNED_IN)
    q = add_question(survey, author, K.SHORT_TEXT)
    open_survey(survey, author)
    services.response_save(survey=survey, actor=citizen, answers={q.key: "a"}, submit=False)
    services.response_save(survey=survey, actor=citizen, answers={q.key: "b"}, submit=True)
    assert list(Response.objects.values_list("answers", "status")) == [({q.key: "b"}, "submitted")]


def test_unverified_cannot_answer_a_signed_in_questionnaire(author, unverified_user):
    survey = make_survey(author, audience=Survey.Audience.SIGNED_IN)
    add_question(survey, author, K.SHORT_TEXT)
    open_survey(survey, author)
    assert not unverified_user.has_perm("surveys.answer_survey", survey)


def test_question_kinds_all_exist():
    """Every type the issue names is offered."""
    assert {k.value for k in Question.Kind} >= {
        "short_text",
        "long_text",
        "single",
        "multiple",
        "ranking",
        "scale",
        "matrix_single",
        "matrix_multiple",
        "number",
        "date",
        "yes_no",
        "file",
        "section",
    }


def test_staff_fixture_is_approved(institution_admin, institution):
    assert InstitutionStaff.objects.filter(user=institution_admin, institution=institution).exists()


def test_open_survey_texts_can_be_corrected_not_its_audience(author, survey):
    """An open questionnaire's title can be corrected (the deadline as the form shows it,
    to the minute, is not a change); who answers cannot change."""
    add_question(survey, author, K.YES_NO)
    open_survey(survey, author)
    services.survey_update(
        survey=survey,
        actor=author,
        title=texts("Titlu corectat", "Corrected title"),
        deadline=survey.deadline.replace(second=0, microsecond=0),
    )
    assert Survey.objects.get().title["en"] == "Corrected title"
    with pytest.raises(ValidationError):
        services.survey_update(survey=survey, actor=author, audience=Survey.Audience.SIGNED_IN)
