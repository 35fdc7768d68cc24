"""The pages of questionnaires: who may see and do what (a role-by-state grid), the
builder's buttons, answering with a draft and a submission, the roster page, and the
query count of each page."""

import pytest
from django.urls import reverse

from registry.models import OrganisationMembership
from surveys import services
from surveys.models import Invitation, Question, Response, Survey

from ..conftest import make_user
from .conftest import K, add_question, make_survey, open_survey

pytestmark = pytest.mark.django_db


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def roles(citizen, ngo_admin, civil_servant, other_civil_servant, coordinator):
    return {
        "anonymous": None,
        "citizen": citizen,
        "ngo_admin": ngo_admin,
        "author": civil_servant,
        "other_servant": other_civil_servant,
        "coordinator": coordinator,
    }


# Who may open the builder (the settings page) of a questionnaire, in any state.
MANAGE = {
    "author": 200,
    "coordinator": 200,
    "anonymous": 302,
    "citizen": 403,
    "ngo_admin": 403,
    "other_servant": 403,
}


@pytest.mark.parametrize("state", ["draft", "open", "closed"])
@pytest.mark.parametrize("role", list(MANAGE))
def test_settings_page_grid(client, roles, role, state, civil_servant):
    """Only the author's institution and the coordinators change a questionnaire."""
    survey = make_survey(civil_servant)
    Survey.objects.filter(pk=survey.pk).update(status=state)
    response = client_for(client, roles[role]).get(reverse("surveys:edit", args=[survey.pk]))
    assert response.status_code == MANAGE[role]


# Who may answer a roster questionnaire of the NGO, by state.
ANSWER = {
    "draft": {
        "anonymous": 302,
        "citizen": 403,
        "ngo_admin": 403,
        "author": 403,
        "other_servant": 403,
        "coordinator": 403,
    },
    "open": {
        "anonymous": 302,
        "citizen": 403,
        "ngo_admin": 200,
        "author": 403,
        "other_servant": 403,
        "coordinator": 403,
    },
    "closed": {
        "anonymous": 302,
        "citizen": 403,
        "ngo_admin": 403,
        "author": 403,
        "other_servant": 403,
        "coordinator": 403,
    },
}


@pytest.mark.parametrize("state", list(ANSWER))
@pytest.mark.parametrize("role", list(MANAGE))
def test_answer_page_grid(client, roles, role, state, civil_servant, organisation):
    """Only a member of an invited organisation answers a roster questionnaire, and only
    while it is open."""
    survey = make_survey(civil_servant, audience=Survey.Audience.ROSTER)
    add_question(survey, civil_servant, K.SHORT_TEXT)
    Invitation.objects.create(survey=survey, organisation=organisation)
    Survey.objects.filter(pk=survey.pk).update(status=state)
    response = client_for(client, roles[role]).get(reverse("surveys:answer", args=[survey.pk]))
    assert response.status_code == ANSWER[state][role]


@pytest.mark.parametrize("role", list(MANAGE))
def test_results_grid(client, roles, role, civil_servant):
    """Results are for the managers until the author publishes them; then for everyone."""
    survey = make_survey(civil_servant)
    add_question(survey, civil_servant, K.YES_NO)
    open_survey(survey, civil_servant)
    url = reverse("surveys:results", args=[survey.pk])
    c = client_for(client, roles[role])
    assert c.get(url).status_code == MANAGE[role]
    Survey.objects.filter(pk=survey.pk).update(results_public=True)
    assert c.get(url).status_code == 200
    export = c.get(reverse("surveys:export-csv", args=[survey.pk]))
    assert export.status_code == MANAGE[role]


def test_builder_adds_reorders_and_previews(client, civil_servant):
    """An author creates a questionnaire, adds questions with a condition, moves one with
    the buttons and sees the preview."""
    c = client_for(client, civil_servant)
    response = c.post(
        reverse("surveys:create"),
        {
            "title_ro": "Cum consultați?",
            "title_en": "How do you consult?",
            "title_hu": "",
            "intro_ro": "",
            "intro_en": "",
            "intro_hu": "",
            "audience": "roster",
            "roster_kind": "organisations",
            "reminder_days": "7, 2",
        },
    )
    survey = Survey.objects.get()
    assert response.url == survey.get_absolute_url()
    assert survey.reminder_days == [7, 2]
    base = {
        f"{n}_{lang}": ""
        for n in ("text", "help", "choices", "rows", "low", "high")
        for lang in ("ro", "en", "hu")
    }
    c.post(
        reverse("surveys:question-add", args=[survey.pk]),
        {
            **base,
            "kind": "yes_no",
            "text_ro": "Aveți un consiliu?",
            "text_en": "Do you have a council?",
            "required": "on",
        },
    )
    first = Question.objects.get()
    c.post(
        reverse("surveys:question-add", args=[survey.pk]),
        {
            **base,
            "kind": "short_text",
            "text_ro": "Numele lui",
            "text_en": "Its name",
            "condition_question": first.pk,
            "condition_value": "da",
        },
    )
    c.post(
        reverse("surveys:question-add", args=[survey.pk]),
        {
            **base,
            "kind": "single",
            "text_ro": "Cât de des?",
            "text_en": "How often?",
            "choices_ro": "Lunar\nAnual",
            "choices_en": "Monthly\nYearly",
        },
    )
    second, third = Question.objects.exclude(pk=first.pk).order_by("position")
    assert second.condition_question_id == first.pk and second.condition_value == "yes"
    assert [c_["label"] for c_ in third.choices] == [
        {"ro": "Lunar", "en": "Monthly"},
        {"ro": "Anual", "en": "Yearly"},
    ]
    response = c.post(
        reverse("surveys:question-move", args=[survey.pk, third.pk]), {"direction": "up"}
    )
    assert response.url.endswith(f"#question-{third.pk}")
    assert list(survey.questions.order_by("position").values_list("pk", flat=True)) == [
        first.pk,
        third.pk,
        second.pk,
    ]
    page = c.get(survey.get_absolute_url()).content.decode()
    assert "Move up" in page and "Move down" in page
    preview = c.get(reverse("surveys:preview", args=[survey.pk])).content.decode()
    assert "Only if the answer to “Do you have a council?” is “Yes”." in preview
    assert "surveys-form.js" in preview


def test_question_form_shows_errors_and_changes_nothing(client, civil_servant):
    """A choice question without choices is refused with a message."""
    survey = make_survey(civil_servant)
    base = {
        f"{n}_{lang}": ""
        for n in ("text", "help", "choices", "rows", "low", "high")
        for lang in ("ro", "en", "hu")
    }
    response = client_for(client, civil_servant).post(
        reverse("surveys:question-add", args=[survey.pk]),
        {**base, "kind": "single", "text_ro": "Q", "text_en": "Q"},
    )
    assert response.status_code == 200
    assert "Give at least two choices." in response.content.decode()
    assert not Question.objects.exists()


def test_ngo_admin_saves_a_draft_then_submits(client, civil_servant, organisation, ngo_admin):
    """An NGO administrator saves a draft (kept, not submitted), comes back to it, and
    submits; a hidden question's answer is dropped."""
    survey = make_survey(civil_servant, audience=Survey.Audience.ROSTER)
    first = add_question(survey, civil_servant, K.YES_NO, "Aveți un consiliu?", required=True)
    follow = add_question(
        survey,
        civil_servant,
        K.SHORT_TEXT,
        "Numele",
        condition_question=first,
        condition_value="yes",
    )
    Invitation.objects.create(survey=survey, organisation=organisation)
    open_survey(survey, civil_servant)
    c = client_for(client, ngo_admin)
    url = reverse("surveys:answer", args=[survey.pk])
    response = c.post(url, {"save": "1", f"q{follow.pk}": "Consiliul X", f"q{first.pk}": "yes"})
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.status == "draft" and saved.answers == {
        first.key: "yes",
        follow.key: "Consiliul X",
    }
    page = c.get(url).content.decode()
    assert 'value="Consiliul X"' in page and "Draft saved on" in page
    response = c.post(url, {"submit": "1", f"q{first.pk}": "no", f"q{follow.pk}": "Consiliul X"})
    assert response.url == reverse("surveys:thanks", args=[survey.pk])
    saved.refresh_from_db()
    assert saved.status == "submitted" and saved.answers == {first.key: "no"}
    assert Invitation.objects.get().opened_at is not None


def test_submission_missing_required_keeps_the_form(client, civil_servant, organisation, ngo_admin):
    survey = make_survey(civil_servant, audience=Survey.Audience.ROSTER)
    q = add_question(survey, civil_servant, K.YES_NO, required=True)
    Invitation.objects.create(survey=survey, organisation=organisation)
    open_survey(survey, civil_servant)
    response = client_for(client, ngo_admin).post(
        reverse("surveys:answer", args=[survey.pk]), {"submit": "1"}
    )
    assert response.status_code == 200
    assert "This question needs an answer." in response.content.decode()
    assert f'id="id_q{q.pk}_error"' in response.content.decode()
    assert not Response.objects.exists()


def test_anonymous_visitor_answers_a_public_anonymous_questionnaire(client, civil_servant, county):
    """A visitor answers an anonymous questionnaire without signing in; no draft button."""
    survey = make_survey(civil_servant, is_anonymous=True)
    q = add_question(survey, civil_servant, K.SHORT_TEXT)
    open_survey(survey, civil_servant)
    url = reverse("surveys:answer", args=[survey.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Save the draft" not in page and "anonymous" in page
    client.post(url, {"submit": "1", f"q{q.pk}": "Bine", "county": county.pk})
    assert Response.objects.get().answers == {q.key: "Bine"}
    assert client.session.get("_auth_user_id") is None


def test_roster_page_shows_states(client, civil_servant, organisation, ngo_admin, county):
    """The roster page says who answered, who started and who has not opened it."""
    from registry.models import Organisation

    survey = make_survey(civil_servant, audience=Survey.Audience.ROSTER)
    q = add_question(survey, civil_servant, K.YES_NO)
    others = [
        Organisation.objects.create(
            name=f"ONG {n}",
            legal_form="association",
            fiscal_code=f"1000000{n}",
            county=county,
            status="verified",
        )
        for n in range(2)
    ]
    services.roster_add(
        survey=survey, actor=civil_servant, organisations=[organisation.pk] + [o.pk for o in others]
    )
    open_survey(survey, civil_servant)
    invitation = survey.invitations.get(organisation=organisation)
    services.response_save(
        survey=survey, actor=ngo_admin, answers={q.key: "yes"}, submit=True, invitation=invitation
    )
    other_admin = make_user("a@ong0.example.org")
    OrganisationMembership.objects.create(organisation=others[0], user=other_admin, role="admin")
    services.response_save(
        survey=survey,
        actor=other_admin,
        answers={},
        submit=False,
        invitation=survey.invitations.get(organisation=others[0]),
    )
    c = client_for(client, civil_servant)
    page = c.get(reverse("surveys:roster", args=[survey.pk])).content.decode()
    assert "3 invited: 1 answered, 1 started, 0 opened without answering, 1 not opened." in page


def test_roster_page_adds_by_fiscal_code(client, civil_servant, organisation):
    survey = make_survey(civil_servant, audience=Survey.Audience.ROSTER)
    response = client_for(client, civil_servant).post(
        reverse("surveys:roster", args=[survey.pk]),
        {"fiscal_codes": f"{organisation.fiscal_code}\n999"},
    )
    assert response.status_code == 302
    assert list(survey.invitations.values_list("organisation_id", flat=True)) == [organisation.pk]


def test_consultation_page_links_to_its_questionnaire(client, civil_servant, institution):
    """A questionnaire attached to a consultation is linked from the consultation's page."""
    from tests.consultations.conftest import make_consultation

    consultation = make_consultation(institution)
    survey = make_survey(civil_servant, target=consultation)
    add_question(survey, civil_servant, K.YES_NO)
    open_survey(survey, civil_servant)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert survey.get_absolute_url() in page
    detail = client.get(survey.get_absolute_url()).content.decode()
    assert consultation.get_absolute_url() in detail


# --- Query counts ------------------------------------------------------------------------------


def _big_survey(author, organisation, n=6):
    survey = make_survey(author, audience=Survey.Audience.ROSTER)
    for i in range(n):
        add_question(survey, author, K.SINGLE, f"Q{i}", choices=["A", "B"])
    add_question(survey, author, K.MATRIX_SINGLE, choices=["A", "B"], rows=["R1", "R2"])
    Invitation.objects.create(survey=survey, organisation=organisation)
    open_survey(survey, author)
    return survey


@pytest.mark.parametrize("n", [2, 8])
def test_answer_page_queries(
    client, civil_servant, organisation, ngo_admin, django_assert_num_queries, n
):
    """The answer page's queries do not grow with the questions."""
    survey = _big_survey(civil_servant, organisation, n)
    c = client_for(client, ngo_admin)
    url = reverse("surveys:answer", args=[survey.pk])
    c.get(url)
    with django_assert_num_queries(8):
        assert c.get(url).status_code == 200


@pytest.mark.parametrize("n", [2, 8])
def test_builder_page_queries(client, civil_servant, organisation, django_assert_num_queries, n):
    survey = _big_survey(civil_servant, organisation, n)
    c = client_for(client, civil_servant)
    with django_assert_num_queries(9):
        assert c.get(survey.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("n", [2, 8])
def test_roster_page_queries(
    client, civil_servant, organisation, county, django_assert_num_queries, n
):
    from registry.models import Organisation

    survey = _big_survey(civil_servant, organisation)
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"O{i}",
            legal_form="association",
            fiscal_code=f"2000000{i}",
            county=county,
            status="verified",
        )
        for i in range(n)
    )
    services.roster_add(survey=survey, actor=civil_servant, organisations=[o.pk for o in orgs])
    c = client_for(client, civil_servant)
    with django_assert_num_queries(10):
        assert c.get(reverse("surveys:roster", args=[survey.pk])).status_code == 200


def test_list_page_queries(client, civil_servant, organisation, django_assert_num_queries):
    for _ in range(3):
        _big_survey(civil_servant, organisation, 1)
    c = client_for(client, civil_servant)
    with django_assert_num_queries(9):
        assert c.get(reverse("surveys:list")).status_code == 200


def test_notices_page(
    client,
    civil_servant,
    organisation,
    ngo_admin,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    """An invited NGO administrator finds the invitation among their notices."""
    survey = make_survey(civil_servant, audience=Survey.Audience.ROSTER)
    add_question(survey, civil_servant, K.YES_NO)
    Invitation.objects.create(survey=survey, organisation=organisation)
    with django_capture_on_commit_callbacks(execute=True):
        open_survey(survey, civil_servant)
    c = client_for(client, ngo_admin)
    with django_assert_num_queries(7):
        page = c.get(reverse("surveys:notices")).content.decode()
    assert survey.title_text in page and organisation.name in page
    c.post(reverse("surveys:notices-read"))
    assert not ngo_admin.survey_notices.filter(read_at__isnull=True).exists()


@pytest.mark.parametrize("n", [2, 8])
def test_public_page_queries(client, civil_servant, citizen, django_assert_num_queries, n):
    """A questionnaire's page, as a respondent sees it, costs the same queries for 2 or 8
    questions."""
    survey = make_survey(civil_servant, audience=Survey.Audience.SIGNED_IN)
    for i in range(n):
        add_question(survey, civil_servant, K.SINGLE, f"Q{i}", choices=["A", "B"])
    open_survey(survey, civil_servant)
    c = client_for(client, citizen)
    c.get(survey.get_absolute_url())
    with django_assert_num_queries(5):
        page = c.get(survey.get_absolute_url()).content.decode()
    assert reverse("surveys:answer", args=[survey.pk]) in page


@pytest.mark.parametrize("n", [2, 8])
def test_preview_page_queries(client, civil_servant, organisation, django_assert_num_queries, n):
    """The preview costs the same queries for 2 or 8 questions."""
    survey = _big_survey(civil_servant, organisation, n)
    c = client_for(client, civil_servant)
    url = reverse("surveys:preview", args=[survey.pk])
    c.get(url)
    with django_assert_num_queries(7):
        assert c.get(url).status_code == 200


def test_duplicate_button_makes_a_draft_copy(client, civil_servant, other_civil_servant):
    """The author's "Duplicate" button makes a new draft with the same questions and opens
    it; a civil servant of another institution cannot duplicate it."""
    survey = make_survey(civil_servant)
    add_question(survey, civil_servant, K.YES_NO, "Consultați?")
    open_survey(survey, civil_servant)
    url = reverse("surveys:duplicate", args=[survey.pk])
    assert client_for(client, other_civil_servant).post(url).status_code == 403
    assert Survey.objects.count() == 1
    response = client_for(client, civil_servant).post(url)
    copy = Survey.objects.exclude(pk=survey.pk).get()
    assert response.url == copy.get_absolute_url()
    assert copy.status == Survey.Status.DRAFT
    assert list(copy.questions.values_list("text", flat=True)) == [
        q.text for q in survey.questions.all()
    ]


def test_hungarian_version_of_the_form(client, civil_servant, citizen):
    """A questionnaire with a Hungarian version offers it: its title, introduction,
    sections, questions, choices and conditions are then in Hungarian, a saved draft comes
    back in Hungarian, and a link leads back to the version in the site's language. A
    questionnaire without Hungarian ignores the request."""
    from .conftest import texts

    survey = make_survey(
        civil_servant,
        audience=Survey.Audience.SIGNED_IN,
        title=texts("Chestionar", "Questionnaire", "Kérdőív"),
        intro=texts("Introducere", "Introduction", "Bevezetés"),
    )
    services.question_create(
        survey=survey,
        actor=civil_servant,
        kind=K.SECTION,
        text=texts("Secțiunea întâi", "First section", "Első szakasz"),
    )
    first = services.question_create(
        survey=survey,
        actor=civil_servant,
        kind=K.SINGLE,
        text=texts("Consultați?", "Do you consult?", "Konzultál?"),
        choice_labels=[texts("Da", "Yes", "Igen"), texts("Nu", "No", "Nem")],
    )
    services.question_create(
        survey=survey,
        actor=civil_servant,
        kind=K.SHORT_TEXT,
        text=texts("Cum?", "How?", "Hogyan?"),
        condition_question=first,
        condition_value="Da",
    )
    open_survey(survey, civil_servant)
    c = client_for(client, citizen)
    url = reverse("surveys:answer", args=[survey.pk])
    page = c.get(url).content.decode()
    assert "Chestionar" in page and "Kérdőív" not in page
    assert f'href="{url}?lang=hu"' in c.get(survey.get_absolute_url()).content.decode()
    assert 'href="?lang=hu"' in page and "Magyar nyelvű változat" in page
    page = c.get(url, {"lang": "hu"}).content.decode()
    for text in ("Kérdőív", "Bevezetés", "Első szakasz", "Konzultál?", "Igen", "Hogyan?"):
        assert text in page
    assert "„Konzultál?”" in page and "„Igen”" in page  # the condition, in Hungarian
    assert '<h1 lang="hu">' in page and f'href="{url}"' in page
    response = c.post(f"{url}?lang=hu", {f"q{first.pk}": first.choices[0]["key"], "save": "1"})
    assert response.url == f"{url}?lang=hu"

    plain = make_survey(civil_servant, audience=Survey.Audience.SIGNED_IN)
    add_question(plain, civil_servant, K.YES_NO)
    open_survey(plain, civil_servant)
    page = c.get(reverse("surveys:answer", args=[plain.pk]), {"lang": "hu"}).content.decode()
    assert plain.title["ro"] in page and "Magyar nyelvű változat" not in page


def test_roster_of_institutions_chosen_by_suggestion(
    client, civil_servant, other_civil_servant, institution, other_institution,
    django_assert_num_queries,
):  # fmt: skip
    """The roster of institutions does not list every institution: the author types part
    of a name (diacritics ignored), chooses among the suggestions and adds it; a civil
    servant of another institution gets no suggestions. An unknown key is refused and
    nothing is added."""
    from registry.models import Institution

    survey = make_survey(
        civil_servant, audience=Survey.Audience.ROSTER, roster_kind=Survey.RosterKind.INSTITUTIONS
    )
    roster_url = reverse("surveys:roster", args=[survey.pk])
    options = reverse("surveys:institution-options", args=[survey.pk])
    assert client_for(client, other_civil_servant).get(options, {"q": "sanat"}).status_code == 403
    c = client_for(client, civil_servant)
    page = c.get(roster_url).content.decode()
    assert f'data-autocomplete-url="{options}"' in page
    assert other_institution.name not in page
    c.get(options, {"q": "x"})
    with django_assert_num_queries(4):  # session, user, questionnaire, institutions
        found = c.get(options, {"q": "SANAT"}).json()
    assert found == [{"id": other_institution.pk, "label": other_institution.name}]
    missing = Institution.objects.order_by("-pk").first().pk + 1
    response = c.post(roster_url, {"institution": missing})
    assert response.status_code == 200 and not survey.invitations.exists()
    assert c.post(roster_url, {"institution": other_institution.pk}).status_code == 302
    assert list(survey.invitations.values_list("institution_id", flat=True)) == [
        other_institution.pk
    ]
