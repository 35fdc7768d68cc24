"""The guide's pages: reading, help links, "Was this useful?", monitoring without
tracking, the dashboard, practices and the network; query counts pinned."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse

from guide import services
from guide.models import (
    DownloadCount,
    Method,
    NetworkMember,
    Practice,
    Section,
    SectionFeedback,
    SectionViewCount,
)
from registry.models import Domain

from .conftest import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def en_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_table_of_contents_and_section_addresses(en_client, edition):
    """The guide's page lists every chapter and section; each section has its address."""
    response = en_client.get(reverse("guide:index"))
    content = response.content.decode()
    assert "Public consultation" in content
    for key in ("about", "consultations", "debates"):
        assert reverse("guide:section", args=[key]) in content
    section = en_client.get(reverse("guide:section", args=["consultations"]))
    assert section.status_code == 200
    assert "How a consultation works" in section.content.decode()


def test_romanian_reader_reads_romanian(client, edition):
    """Without a preference the guide is in Romanian."""
    response = client.get(reverse("guide:section", args=["consultations"]))
    assert "Cum funcționează o consultare publică" in response.content.decode()


def test_index_and_section_query_counts(client, edition, django_assert_num_queries):
    """The contents and a section cost a fixed number of queries."""
    with django_assert_num_queries(2):  # edition, sections
        assert client.get(reverse("guide:index")).status_code == 200
    # edition, section, contents, counter (one upsert); images and templates are in the
    # edition's copy of the section
    with django_assert_num_queries(4):
        assert client.get(reverse("guide:section", args=["debates"])).status_code == 200


def test_earlier_edition_and_readable_diff(en_client, coordinator, edition):
    """An earlier edition stays readable at its address, and the comparison page shows
    removed and added words of the changed section."""
    section = Section.objects.get(key="consultations")
    services.section_save(
        actor=coordinator, section=section, body_en="<p>The draft is published 40 days ahead.</p>"
    )
    services.edition_publish(actor=coordinator, note_ro="Termen nou.", note_en="New deadline.")
    old = en_client.get(reverse("guide:edition-section", args=[1, "consultations"]))
    assert "30 working days" in old.content.decode()
    assert "not the current one" in old.content.decode()
    diff = en_client.get(reverse("guide:compare"), {"old": 1, "new": 2}).content.decode()
    assert "<del>30 working</del>" in diff
    assert "<ins>40</ins>" in diff
    assert 'data-status="unchanged"' in diff
    bad = en_client.get(reverse("guide:compare"), {"old": 1, "new": 1})
    assert bad.status_code == 400


def test_each_edition_shows_the_images_and_templates_it_published(en_client, coordinator, edition):
    """An edition keeps the images and templates its sections had: one added later shows
    from the next edition on, one removed stays in the editions that had it (a template
    deleted since is no longer offered), and the comparison names what was added or
    removed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_editing import png

    section = Section.objects.get(key="consultations")
    first_image = services.image_add(
        actor=coordinator,
        section=section,
        image=SimpleUploadedFile("first.png", png(), "image/png"),
        alt_ro="Prima schemă",
        alt_en="First diagram",
    )
    document = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    template = services.template_add(
        actor=coordinator,
        section=section,
        file=SimpleUploadedFile("anunt.pdf", document),
        title_ro="Model de anunț",
        title_en="Announcement template",
    )
    services.edition_publish(actor=coordinator, note_ro="Cu imagini.")  # edition 2
    services.image_delete(actor=coordinator, image=first_image)
    services.image_add(
        actor=coordinator,
        section=section,
        image=SimpleUploadedFile("second.png", png(), "image/png"),
        alt_ro="A doua schemă",
        alt_en="Second diagram",
    )
    services.edition_publish(actor=coordinator, note_ro="Imagine nouă.")  # edition 3

    def page(number):
        url = reverse("guide:edition-section", args=[number, "consultations"])
        return en_client.get(url).content.decode()

    assert "First diagram" not in page(1) and "Announcement template" not in page(1)
    assert 'alt="First diagram"' in page(2) and "Second diagram" not in page(2)
    assert template.get_absolute_url() in page(2)
    current = en_client.get(reverse("guide:section", args=["consultations"])).content.decode()
    assert 'alt="Second diagram"' in current and "First diagram" not in current
    compare = reverse("guide:compare")
    first = en_client.get(compare, {"old": 1, "new": 2}).content.decode()
    assert "Added: image “First diagram”, template “Announcement template”." in first
    second = en_client.get(compare, {"old": 2, "new": 3}).content.decode()
    assert "Added: image “Second diagram”." in second
    assert "Removed: image “First diagram”." in second
    services.template_delete(actor=coordinator, template=template)
    assert "Announcement template" not in page(2)


def test_search_page_without_diacritics(en_client, edition):
    response = en_client.get(reverse("guide:search"), {"q": "asociatie dezbatere"})
    results = response.context["results"]
    assert [r["section"].key for r in results] == ["debates"]


def test_help_link_from_a_consultation_page(client, edition, institution):
    """A consultation's page links to the guide's section that explains consultations."""
    from tests.consultations.conftest import make_consultation

    consultation = make_consultation(institution)
    content = client.get(consultation.get_absolute_url()).content.decode()
    assert reverse("guide:section", args=["consultations"]) in content
    assert reverse("guide:section", args=["debates"]) in content


def test_help_links_from_recommendation_debate_proposal_and_questionnaire_pages(
    client, edition, institution, citizen, ngo_admin, coordinator
):
    """The pages where people recommend, ask for a debate, propose and answer a
    questionnaire link to the guide's section that explains them."""
    from registry.models import AdvisoryStructure
    from surveys.models import Question
    from tests.consultations.conftest import make_consultation
    from tests.proposals.conftest import make_call, make_proposal
    from tests.surveys.conftest import add_question, make_survey, open_survey

    consultation = make_consultation(institution)
    structure = AdvisoryStructure.objects.create(
        institution=institution,
        name="Consiliul consultativ",
        kind=AdvisoryStructure.Kind.COUNCIL,
        territorial_level=AdvisoryStructure.TerritorialLevel.NATIONAL,
    )
    call = make_call(institution, structure)
    proposal = make_proposal(call, citizen)
    survey = make_survey(coordinator)
    add_question(survey, coordinator, Question.Kind.YES_NO, "Vă este util ghidul?")
    open_survey(survey, coordinator)

    def links_to(user, url, key):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        return reverse("guide:section", args=[key]) in response.content.decode()

    assert links_to(citizen, consultation.get_absolute_url(), "recommendations")
    assert links_to(
        citizen, reverse("consultations:recommend", args=[consultation.pk]), "recommendations"
    )
    assert links_to(
        ngo_admin, reverse("consultations:debate-request", args=[consultation.pk]), "debates"
    )
    assert links_to(citizen, call.get_absolute_url(), "proposals")
    assert links_to(citizen, proposal.get_absolute_url(), "proposals")
    assert links_to(citizen, survey.get_absolute_url(), "questionnaires")
    assert links_to(citizen, reverse("surveys:answer", args=[survey.pk]), "questionnaires")


def test_guide_link_tag_needs_no_query(django_assert_num_queries):
    """{% guide_link %} costs no query, for the documented keys of other apps too."""
    template = Template(
        '{% load guide_tags %}{% guide_link "questionnaires" %}{% guide_link "proposals" %}'
    )
    with django_assert_num_queries(0):
        html = template.render(Context())
    assert reverse("guide:section", args=["questionnaires"]) in html
    assert reverse("guide:section", args=["proposals"]) in html


def test_help_link_to_an_unwritten_section_leads_to_the_guide(client, edition):
    response = client.get(reverse("guide:section", args=["proposals"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("guide:index")
    assert client.get(reverse("guide:section", args=["no-such-key"])).status_code == 404


def test_was_this_useful(client, edition):
    """An answer with an optional comment is kept for the editors, without its author."""
    url = reverse("guide:section-feedback", args=["debates"])
    assert client.post(url, {"useful": "no", "comment": "Un exemplu ar ajuta."}).status_code == 302
    assert client.post(url, {"useful": "yes"}).status_code == 302
    assert client.post(url, {}).status_code == 302  # no answer: refused, nothing kept
    rows = list(SectionFeedback.objects.order_by("pk").values("section_key", "useful", "comment"))
    assert rows == [
        {"section_key": "debates", "useful": False, "comment": "Un exemplu ar ajuta."},
        {"section_key": "debates", "useful": True, "comment": ""},
    ]


def test_monitoring_counts_only_and_stores_nothing_personal(client, citizen, edition):
    """Readings and downloads are counted per section or edition and month; the rows hold
    nothing else (no user, address, browser or session), and counting sets no cookie."""
    section_url = reverse("guide:section", args=["consultations"])
    client.force_login(citizen)
    client.get(section_url, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Firefox")
    client.logout()
    response = client.get(section_url, REMOTE_ADDR="198.51.100.2")
    assert client.get(reverse("guide:pdf")).status_code == 200
    views = list(SectionViewCount.objects.values())
    assert len(views) == 1 and views[0]["views"] == 2
    assert set(views[0]) == {"id", "section_key", "month", "views"}
    downloads = list(DownloadCount.objects.values())
    assert set(downloads[0]) == {"id", "edition_id", "language", "month", "downloads"}
    assert downloads[0]["downloads"] == 1
    stored = repr(views) + repr(downloads) + repr(list(SectionFeedback.objects.values()))
    for personal in (
        "203.0.113.7",
        "198.51.100.2",
        "Firefox",
        citizen.email,
        str(citizen.pk) + ",",
    ):
        assert personal not in stored
    assert set(response.cookies) <= {"csrftoken"}  # the site's form protection only


def test_dashboard_shows_monitoring_and_training(client, coordinator, edition, institution):
    """The coordinators' dashboard shows the readings per month, with a chart and its
    table, and where training is missing."""
    services.count_section_view(key="consultations")
    client.force_login(coordinator)
    content = client.get(reverse("map:dashboard")).content.decode()
    assert 'data-chart="guide_views"' in content
    assert 'id="table-guide-views"' in content
    assert "guide-dashboard-charts" in content
    assert 'id="table-training-regions"' in content


def test_training_pages_query_counts(client, django_assert_num_queries):
    """The list and a session's page cost the same queries for 2 or 20 sessions."""
    sessions = [make_session() for _ in range(20)]
    with django_assert_num_queries(2):
        assert client.get(reverse("guide:training-list")).status_code == 200
    # the session, its sections, its questionnaires
    with django_assert_num_queries(3):
        assert client.get(sessions[0].get_absolute_url()).status_code == 200


def test_organiser_sees_whom_each_person_represents(
    client, coordinator, civil_servant, ngo_member, citizen, institution, organisation
):
    """The organiser's list of people registered names the institution or organisation
    each represents, and a dash for those who came in their own name."""
    session = make_session(capacity=5)
    services.register(session=session, user=civil_servant)
    services.register(session=session, user=ngo_member)
    services.register(session=session, user=citizen)
    client.force_login(coordinator)
    response = client.get(session.get_absolute_url())
    assert response.status_code == 200
    rows = {row.user_id: row for row in response.context["registrations"]}
    assert rows[civil_servant.pk].institution == institution
    assert rows[ngo_member.pk].organisation == organisation
    table = response.content.decode().split('id="registrations"')[1]
    assert institution.name in table and organisation.name in table and "—" in table


def _practice(institution, **extra):
    values = {
        "title": "Buget participativ în Cluj",
        "problem": "Puțini participanți.",
        "what_was_done": "Vot online.",
        "results": "De zece ori mai mulți.",
        "contact": "contact@example.ro",
        "institution": institution,
        "status": Practice.Status.PUBLISHED,
        "search_text": "buget participativ in cluj",
    }
    values.update(extra)
    return Practice.objects.create(**values)


def test_practices_submitted_then_published(client, civil_servant, coordinator, institution):
    """A civil servant submits a practice; it is hidden until a coordinator publishes it,
    and then counts on the map's layer."""
    method, _new = Method.objects.get_or_create(
        slug="survey", defaults={"name_ro": "Chestionar", "name_en": "Survey"}
    )
    client.force_login(civil_servant)
    response = client.post(
        reverse("guide:practice-create"),
        {
            "title": "Chestionar pentru părinți",
            "institution": institution.pk,
            "problem": "Nu știam ce cred părinții.",
            "what_was_done": "Un chestionar.",
            "results": "500 de răspunsuri.",
            "contact": "x@example.ro",
            "methods": [method.pk],
        },
    )
    assert response.status_code == 302
    practice = Practice.objects.get()
    assert practice.status == Practice.Status.SUBMITTED
    client.logout()
    assert (
        client.get(reverse("guide:practice-list"), {"q": "parinti"}).context["page"].paginator.count
        == 0
    )
    client.force_login(coordinator)
    client.post(reverse("guide:practice-decide", args=[practice.pk]), {"decision": "publish"})
    client.logout()
    found = client.get(reverse("guide:practice-list"), {"q": "parinti", "method": "survey"})
    assert [p.pk for p in found.context["page"]] == [practice.pk]


def test_practice_links_the_institutions_public_proposals(
    client, civil_servant, citizen, coordinator, institution, other_institution
):
    """A practice links public proposals made to its institution's calls, shown on its
    page; a proposal of another institution, or one still in moderation, is refused with
    a message and nothing is saved."""
    from consultations.proposals.models import Proposal
    from registry.models import AdvisoryStructure
    from tests.proposals.conftest import make_call, make_proposal

    def call_of(body):
        structure = AdvisoryStructure.objects.create(
            institution=body,
            name=f"Consiliul {body.pk}",
            kind=AdvisoryStructure.Kind.COUNCIL,
            territorial_level=AdvisoryStructure.TerritorialLevel.NATIONAL,
        )
        return make_call(body, structure)

    own_call, other_call = call_of(institution), call_of(other_institution)
    public = make_proposal(own_call, citizen, title="Mese calde în școli")
    pending = make_proposal(own_call, citizen, state=Proposal.State.PENDING, title="În lucru")
    elsewhere = make_proposal(other_call, citizen, title="Spitale curate")
    data = {
        "title": "Propuneri ale părinților puse în practică",
        "institution": institution.pk,
        "problem": "Părinții nu erau ascultați.",
        "what_was_done": "Am preluat propunerile votate.",
        "results": "Două propuneri aplicate.",
        "contact": "x@example.ro",
    }
    client.force_login(civil_servant)
    form = client.get(reverse("guide:practice-create")).context["form"]
    assert list(form.fields["proposals"].queryset) == [public]

    for refused in (pending, elsewhere):
        response = client.post(
            reverse("guide:practice-create"), {**data, "proposals": [refused.pk]}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["proposals"]
    assert not Practice.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.practice_submit(
            actor=civil_servant, proposals=[elsewhere], **{**data, "institution": institution}
        )
    assert "institution's calls" in str(error.value.message_dict["proposals"])
    assert not Practice.objects.exists()

    response = client.post(reverse("guide:practice-create"), {**data, "proposals": [public.pk]})
    assert response.status_code == 302
    practice = Practice.objects.get()
    assert list(practice.proposals.all()) == [public]
    services.practice_decide(actor=coordinator, practice=practice, publish=True)
    client.logout()
    page = client.get(practice.get_absolute_url()).content.decode()
    assert public.get_absolute_url() in page and "Mese calde în școli" in page


def test_practice_list_query_count(client, institution, django_assert_num_queries):
    domain = Domain.objects.first()
    for index in range(12):
        practice = _practice(institution, title=f"Practica {index}")
        practice.domains.add(domain)
    # count, page, domains, methods, and the choices of 3 filters
    with django_assert_num_queries(7):
        assert client.get(reverse("guide:practice-list")).status_code == 200


def test_network_join_by_administrators(client, institution_admin, civil_servant, institution):
    """An institution's administrator joins it to the network; a member cannot."""
    client.force_login(civil_servant)
    client.post(reverse("guide:network-join"), {"body": f"i{institution.pk}"})
    assert not NetworkMember.objects.exists()
    client.force_login(institution_admin)
    client.post(reverse("guide:network-join"), {"body": f"i{institution.pk}"})
    assert NetworkMember.objects.get().institution == institution
    page = client.get(reverse("guide:network")).content.decode()
    assert institution.name in page


def test_practice_map_layer(institution, county):
    """Published practices count in their county's layer of the national map."""
    from registry.map.selectors import compute_map_statistics

    institution.county = county
    institution.save()
    _practice(institution, county=county)
    _practice(institution, county=county, status=Practice.Status.SUBMITTED)
    stats = compute_map_statistics()
    assert "practices" in stats["layers"]
    assert stats["total"]["practices"] == 1
    (row,) = [c for c in stats["counties"] if c["code"] == county.code]
    assert row["counts"]["practices"] == 1
    assert row["links"]["practices"].endswith(f"?county={county.code}")
