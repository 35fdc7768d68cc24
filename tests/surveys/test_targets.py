"""A questionnaire attached to a consultation, a training session or a call for proposals:
their pages link to it, their managers create it from there, and its follow-up asks their
participants to answer (a notice and an e-mail each, once)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations.models import Follow
from guide.models import Registration
from surveys import services
from surveys.models import Notice, Survey

from ..conftest import make_user
from .conftest import K, add_question, make_survey, open_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(institution):
    from tests.guide.conftest import make_session

    return make_session(institution=institution, capacity=5)


@pytest.fixture
def proposal_call(institution):
    from registry.models import AdvisoryStructure
    from tests.proposals.conftest import make_call

    structure = AdvisoryStructure.objects.create(
        institution=institution,
        name="Consiliul consultativ",
        kind=AdvisoryStructure.Kind.COUNCIL,
        territorial_level=AdvisoryStructure.TerritorialLevel.NATIONAL,
    )
    return make_call(institution, structure)


def _register(session, user, status=Registration.Status.CONFIRMED, **extra):
    return Registration.objects.create(session=session, user=user, status=status, **extra)


def _open_attached(author, target, **extra):
    survey = make_survey(author, target=target, **extra)
    add_question(survey, author, K.SCALE, "Cât de utilă a fost?")
    open_survey(survey, author)
    return survey


def test_organiser_creates_a_questionnaire_from_the_training_page(
    client, civil_servant, citizen, training
):
    """The organiser of a training session finds "Add a questionnaire" on its page; the
    questionnaire made from there is attached to the session, which links to it once
    open. A citizen sees the link to the questionnaire, not the button."""
    client.force_login(civil_servant)
    page = client.get(training.get_absolute_url()).content.decode()
    add_url = f"{reverse('surveys:create')}?training_session={training.pk}"
    assert add_url in page
    form = client.get(add_url).content.decode()
    assert training.topic in form and 'name="training_session"' in form
    response = client.post(
        add_url,
        {
            "title_ro": "Evaluarea instruirii",
            "title_en": "Training evaluation",
            "audience": Survey.Audience.SIGNED_IN,
            "training_session": training.pk,
        },
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert survey.target == training
    add_question(survey, civil_servant, K.YES_NO)
    open_survey(survey, civil_servant)
    client.force_login(citizen)
    page = client.get(training.get_absolute_url()).content.decode()
    assert survey.get_absolute_url() in page and add_url not in page


def test_call_page_links_to_its_questionnaire(client, civil_servant, citizen, proposal_call):
    """A call for proposals links to its open questionnaire; its staff get the button that
    attaches a new one."""
    survey = _open_attached(civil_servant, proposal_call)
    add_url = f"{reverse('surveys:create')}?call={proposal_call.pk}"
    client.force_login(citizen)
    page = client.get(proposal_call.get_absolute_url()).content.decode()
    assert survey.get_absolute_url() in page and add_url not in page
    client.force_login(civil_servant)
    assert add_url in client.get(proposal_call.get_absolute_url()).content.decode()


def test_a_record_one_does_not_manage_is_not_attached(client, other_civil_servant, training):
    """A civil servant of another institution cannot attach a questionnaire to this
    session: the questionnaire is made, attached to nothing."""
    client.force_login(other_civil_servant)
    url = f"{reverse('surveys:create')}?training_session={training.pk}"
    assert training.topic not in client.get(url).content.decode()
    client.post(
        url,
        {
            "title_ro": "Evaluare",
            "title_en": "Evaluation",
            "audience": Survey.Audience.PUBLIC,
            "training_session": training.pk,
        },
    )
    survey = Survey.objects.get()
    assert survey.target_id is None


def test_follow_up_asks_who_attended_once(
    civil_servant, citizen, training, django_capture_on_commit_callbacks
):
    """Asking the participants of a training session sends a notice and an e-mail to each
    person confirmed and not marked absent, not to the waiting list; a second request
    is refused and a re-delivered task sends nothing more."""
    came = make_user("came@example.org")
    absent = make_user("absent@example.org")
    waiting = make_user("waiting@example.org")
    _register(training, came, attended=True)
    _register(training, citizen)
    _register(training, absent, attended=False)
    _register(training, waiting, status=Registration.Status.WAITING)
    survey = _open_attached(civil_servant, training)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_ask_participants(survey=survey, actor=civil_servant)
    asked = set(Notice.objects.filter(survey=survey).values_list("user__email", flat=True))
    assert asked == {came.email, citizen.email}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(asked)
    assert training.topic in mail.outbox[0].subject
    assert reverse("surveys:answer", args=[survey.pk]) in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.survey_ask_participants(survey=survey, actor=civil_servant)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.participants_notify(survey_id=survey.pk) == 0
    assert len(mail.outbox) == 2


def test_consultation_follow_up_reaches_followers_and_authors(
    civil_servant, citizen, institution, organisation, ngo_admin
):
    """The participants of a consultation are its followers (people, and the
    administrators of the organisations following it) and the authors of its
    recommendations; someone following another consultation is not asked."""
    from tests.consultations.conftest import make_consultation, make_recommendation

    consultation = make_consultation(institution)
    other = make_consultation(institution)
    follower = make_user("follower@example.org")
    author = make_user("author@example.org")
    elsewhere = make_user("elsewhere@example.org")
    Follow.objects.create(user=follower, consultation=consultation)
    Follow.objects.create(organisation=organisation, consultation=consultation)
    Follow.objects.create(user=elsewhere, consultation=other)
    make_recommendation(consultation, author)
    survey = _open_attached(civil_servant, consultation)
    services.survey_ask_participants(survey=survey, actor=civil_servant)
    services.participants_notify(survey_id=survey.pk)
    asked = set(Notice.objects.filter(survey=survey).values_list("user_id", flat=True))
    assert asked == {follower.pk, author.pk, ngo_admin.pk}


def test_call_follow_up_reaches_the_authors_of_proposals(civil_servant, proposal_call):
    """The participants of a call for proposals are the authors of its proposals."""
    from tests.proposals.conftest import make_proposal

    proposer = make_user("proposer@example.org")
    make_proposal(proposal_call, proposer)
    survey = _open_attached(civil_servant, proposal_call)
    services.survey_ask_participants(survey=survey, actor=civil_servant)
    assert services.participants_notify(survey_id=survey.pk) == 1
    assert Notice.objects.get(survey=survey).user == proposer


@pytest.mark.parametrize("case", ["detached", "roster", "draft", "closed"])
def test_follow_up_refused_and_nothing_changes(civil_servant, organisation, training, case):
    """The follow-up is refused, and nothing is recorded, for a questionnaire attached to
    nothing, one with a roster, a draft or a closed one."""
    _register(training, make_user("came@example.org"))
    target = None if case == "detached" else training
    extra = {"audience": Survey.Audience.ROSTER} if case == "roster" else {}
    survey = make_survey(civil_servant, target=target, **extra)
    add_question(survey, civil_servant, K.YES_NO)
    if case == "roster":
        from surveys.models import Invitation

        Invitation.objects.create(survey=survey, organisation=organisation)
    if case != "draft":
        open_survey(survey, civil_servant)
    if case == "closed":
        services.survey_transition(survey=survey, actor=civil_servant, name="close")
    with pytest.raises(ValidationError):
        services.survey_ask_participants(survey=survey, actor=civil_servant)
    survey.refresh_from_db()
    assert survey.participants_asked_at is None
    assert not Notice.objects.exists()


def test_follow_up_button_and_notice(
    client, civil_servant, citizen, other_civil_servant, training,
    django_capture_on_commit_callbacks, django_assert_num_queries,
):  # fmt: skip
    """The author asks the participants from the questionnaire's page (another
    institution's civil servant cannot); the participant finds the notice among theirs,
    linked to the answer page, and the page then says when they were asked."""
    _register(training, citizen)
    survey = _open_attached(civil_servant, training, audience=Survey.Audience.SIGNED_IN)
    url = reverse("surveys:ask-participants", args=[survey.pk])
    client.force_login(other_civil_servant)
    assert client.post(url).status_code == 403
    client.force_login(civil_servant)
    assert url in client.get(survey.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    page = client.get(survey.get_absolute_url()).content.decode()
    assert url not in page and "participants were asked" in page
    client.force_login(citizen)
    with django_assert_num_queries(7):
        notices = client.get(reverse("surveys:notices")).content.decode()
    assert reverse("surveys:answer", args=[survey.pk]) in notices
    assert survey.title_text in notices
