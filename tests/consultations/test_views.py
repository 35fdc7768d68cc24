"""Pages of consultations: the list with its filters and search, a consultation with its
clock, and what civil servants do from the pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from consultations import dates
from consultations.models import Consultation, ConsultationTransition, Document, Recommendation
from registry.models import County, Region

from .conftest import docx_bytes, make_consultation, make_recommendation, pdf_bytes, upload

State = Consultation.State


@pytest.fixture
def en_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _login(client, user):
    client.force_login(user)
    return client


# --- The list ---------------------------------------------------------------------


def test_list_shows_public_consultations_with_their_clock(en_client, institution, domain):
    """Anyone sees the public consultations, with days left; drafts stay hidden."""
    open_one = make_consultation(institution, title="Educație timpurie")
    open_one.domains.add(domain)
    make_consultation(institution, state=State.DRAFT, title="Ciornă secretă")
    response = en_client.get(reverse("consultations:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Educație timpurie" in content
    assert "10 days left" in content
    assert "Ciornă secretă" not in content


def test_list_query_count_is_constant(
    quiet_nav, client, institution, domain, django_assert_num_queries
):
    """The list costs the same number of queries for 3 or 25 consultations."""
    for index in range(25):
        consultation = make_consultation(institution, title=f"Consultare {index}")
        consultation.domains.add(domain)
    # count, page, domains prefetch, and the choices of 4 filters
    with django_assert_num_queries(7):
        response = client.get(reverse("consultations:list"))
    assert response.status_code == 200


def test_list_filters_and_search(en_client, institution, other_institution, domain):
    """State, institution, domain, county/region, dates and diacritics-blind search."""
    cluj = County.objects.get(code="RO113")
    nord_vest = Region.objects.get(pk=cluj.region_id)
    a = make_consultation(
        institution, title="Școli incluzive", search_text="scoli incluzive", is_national=False
    )
    a.counties.add(cluj)
    a.domains.add(domain)
    b = make_consultation(
        other_institution, state=State.CLOSED, title="Spitale", search_text="spitale"
    )
    c = make_consultation(institution, title="Drumuri regionale", is_national=False)
    c.regions.add(nord_vest)

    def titles(**params):
        response = en_client.get(reverse("consultations:list"), params)
        assert response.status_code == 200
        return {x.title for x in response.context["page"].object_list}

    assert titles(q="SCOLI") == {a.title}
    assert titles(state="closed") == {b.title}
    assert titles(institution=other_institution.pk) == {b.title}
    assert titles(domain=domain.slug) == {a.title}
    assert titles(county="RO113") == {a.title, c.title}
    assert titles(region=nord_vest.code) == {a.title, c.title}
    today = dates.local_today()
    assert titles(closes_after=(today + datetime.timedelta(days=1)).isoformat()) == {
        a.title,
        c.title,
    }
    assert titles(opens_before=(today - datetime.timedelta(days=30)).isoformat()) == {b.title}


def test_list_shows_drafts_to_their_institution(client, institution, civil_servant):
    make_consultation(institution, state=State.DRAFT, title="Ciorna noastră")
    response = _login(client, civil_servant).get(reverse("consultations:list"))
    assert "Ciorna noastră" in response.content.decode()
    assert reverse("consultations:create") in response.content.decode()


# --- A consultation -----------------------------------------------------------------


def test_detail_shows_clock_documents_and_recommendations(
    en_client, consultation, citizen, civil_servant
):
    """Days left, the documents with their versions, and the published recommendations
    (not the pending or hidden ones of others)."""
    from consultations import services

    services.document_add(
        consultation=consultation,
        actor=civil_servant,
        kind=Document.Kind.DRAFT,
        title="Proiectul",
        file=upload("proiect.pdf", pdf_bytes("v1")),
    )
    document = consultation.documents.get()
    services.document_add_version(
        document=document,
        actor=civil_servant,
        file=upload("proiect-v2.docx", docx_bytes("v2")),
        change_note="Art. 3 reformulat.",
    )
    make_recommendation(consultation, citizen, text="<p>Vizibilă</p>")
    make_recommendation(
        consultation, citizen, text="<p>Ascunsă</p>", status=Recommendation.Status.HIDDEN
    )
    response = en_client.get(consultation.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "10 days left" in content
    assert "Download version 2" in content
    assert "Art. 3 reformulat." in content
    assert "updated during the consultation" in content
    assert "Vizibilă" in content
    assert "Ascunsă" not in content


def test_detail_clock_for_a_late_synthesis(en_client, institution):
    """After the window, the clock says how late the synthesis is."""
    consultation = make_consultation(institution, state=State.UNDER_ANALYSIS)
    content = en_client.get(consultation.get_absolute_url()).content.decode()
    assert "Synthesis 10 days late" in content


def test_detail_query_count_is_constant(
    quiet_nav, client, consultation, citizen, django_assert_num_queries
):
    """A page of recommendations costs the same queries for 2 or 60 recommendations."""
    for _index in range(60):
        make_recommendation(consultation, citizen)
    # consultation, 8 prefetches, recommendation count + page, attached questionnaires
    with django_assert_num_queries(12):
        response = client.get(consultation.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 50


def test_detail_query_count_for_a_signed_in_citizen(
    quiet_nav, client, consultation, citizen, ngo_member, django_assert_num_queries
):
    for _index in range(60):
        make_recommendation(consultation, ngo_member)
    _login(client, citizen)
    # + session, user, verified, institution and organisation roles, the organisations
    # the form offers, whether the citizen follows the consultation (its button)
    with django_assert_num_queries(19):
        response = client.get(consultation.get_absolute_url())
    assert response.status_code == 200
    assert response.context["form"] is not None


def test_a_draft_is_hidden_from_the_public(client, institution, citizen, civil_servant):
    """A draft: anonymous → sign in; citizen → 403; its institution → the page."""
    draft = make_consultation(institution, state=State.DRAFT)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 302 and "login" in response.url
    assert _login(client, citizen).get(draft.get_absolute_url()).status_code == 403
    assert _login(client, civil_servant).get(draft.get_absolute_url()).status_code == 200


def test_detail_offers_only_the_allowed_transitions(client, institution, civil_servant):
    """An open consultation whose window runs offers only withdrawal to its institution."""
    consultation = make_consultation(institution)
    response = _login(client, civil_servant).get(consultation.get_absolute_url())
    names = [t.name for t in response.context["transitions"]]
    assert names == ["withdraw"]


# --- Creating, editing and moving --------------------------------------------------


def _form_data(institution, **extra):
    today = dates.local_today()
    data = {
        "institution": institution.pk,
        "title": "Proiect de ordin privind manualele",
        "summary": "Rezumat <img src=x onerror=alert(1)>",
        "kind": Consultation.Kind.MINISTERIAL_ORDER,
        "is_national": "on",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=10)).isoformat(),
        "planned_adoption_on": dates.earliest_adoption(today).isoformat(),
        "moderation": "post",
    }
    data.update(extra)
    return data


def test_a_civil_servant_creates_a_consultation(en_client, institution, civil_servant):
    _login(en_client, civil_servant)
    assert en_client.get(reverse("consultations:create")).status_code == 200
    response = en_client.post(reverse("consultations:create"), _form_data(institution))
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and response.url == consultation.get_absolute_url()
    assert consultation.state == State.DRAFT
    assert "onerror" not in consultation.summary


def test_the_form_refuses_illegal_dates_with_a_clear_message(en_client, institution, civil_servant):
    """9 days of window: the form says so and nothing is saved."""
    today = dates.local_today()
    _login(en_client, civil_servant)
    response = en_client.post(
        reverse("consultations:create"),
        _form_data(institution, closes_on=(today + datetime.timedelta(days=9)).isoformat()),
    )
    assert response.status_code == 200
    assert "at least 10 calendar days" in response.content.decode()
    assert not Consultation.objects.exists()


def test_others_cannot_create(client, institution, citizen):
    assert client.get(reverse("consultations:create")).status_code == 302
    assert _login(client, citizen).get(reverse("consultations:create")).status_code == 403
    assert client.post(reverse("consultations:create"), _form_data(institution)).status_code == 403
    assert not Consultation.objects.exists()


def test_another_institution_cannot_act_on_the_consultation(
    client, consultation, other_civil_servant
):
    """Edit, transitions, documents, articles and moderation pages answer 403 to a civil
    servant of another institution, and nothing changes."""
    _login(client, other_civil_servant)
    urls = [
        reverse("consultations:edit", args=[consultation.pk]),
        reverse("consultations:transition", args=[consultation.pk, "withdraw"]),
        reverse("consultations:articles", args=[consultation.pk]),
        reverse("consultations:document-add", args=[consultation.pk]),
        reverse("consultations:moderation", args=[consultation.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert (
            client.post(url, {"reason": "x", "title": "x", "text": "Art. 1 x"}).status_code == 403
        )
    consultation.refresh_from_db()
    assert consultation.state == State.OPEN
    assert consultation.title == "Proiect de hotărâre privind educația"


def test_editing_an_open_consultation_extends_its_window(client, consultation, civil_servant):
    _login(client, civil_servant)
    url = reverse("consultations:edit", args=[consultation.pk])
    assert client.get(url).status_code == 200
    later = consultation.closes_on + datetime.timedelta(days=7)
    response = client.post(
        url,
        {
            "title": consultation.title,
            "summary": "Rezumat nou",
            "closes_on": later.isoformat(),
            "planned_adoption_on": dates.add_working_days(consultation.opens_on, 50).isoformat(),
        },
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.closes_on == later
    assert consultation.kind == Consultation.Kind.GOVERNMENT_DECISION


def test_publishing_from_the_page(client, institution, civil_servant):
    today = dates.local_today()
    draft = make_consultation(
        institution,
        state=State.DRAFT,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=10),
        planned_adoption_on=dates.earliest_adoption(today),
    )
    _login(client, civil_servant)
    url = reverse("consultations:transition", args=[draft.pk, "publish"])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.OPEN
    assert ConsultationTransition.objects.filter(consultation=draft).count() == 1


def test_a_transition_not_allowed_now_says_why(en_client, consultation, civil_servant):
    """Asking to publish an open consultation: a message, no change."""
    _login(en_client, civil_servant)
    url = reverse("consultations:transition", args=[consultation.pk, "publish"])
    response = en_client.post(url, follow=True)
    assert "is not possible while the consultation is" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.state == State.OPEN


def test_withdrawing_needs_a_reason_on_the_page(en_client, consultation, civil_servant):
    _login(en_client, civil_servant)
    url = reverse("consultations:transition", args=[consultation.pk, "withdraw"])
    response = en_client.post(url, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    response = en_client.post(url, {"reason": "Proiect abandonat."})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.state == State.WITHDRAWN


def test_articles_from_the_page(client, consultation, civil_servant):
    _login(client, civil_servant)
    url = reverse("consultations:articles", args=[consultation.pk])
    response = client.post(url, {"text": "Art. 1 Obiect.\nText 1.\nArt. 2 Definiții.\nText 2."})
    assert response.status_code == 302
    assert list(consultation.articles.values_list("label", flat=True)) == ["Art. 1", "Art. 2"]


def test_deleting_a_draft(client, institution, civil_servant):
    draft = make_consultation(institution, state=State.DRAFT)
    _login(client, civil_servant)
    assert client.post(reverse("consultations:delete", args=[draft.pk])).status_code == 302
    assert not Consultation.objects.exists()


def test_pages_are_translated(client, consultation):
    with translation.override("ro"):
        content = client.get(consultation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ro").content
    assert b'<html lang="ro"' in content


def test_closing_early_says_the_window_still_runs(en_client, consultation, civil_servant):
    """Asking to close a window whose last day has not passed says until when it runs (not
    that the consultation is in the wrong state), by the page and by the form; no change."""
    _login(en_client, civil_servant)
    url = reverse("consultations:transition", args=[consultation.pk, "close"])
    for response in (en_client.get(url, follow=True), en_client.post(url, follow=True)):
        content = response.content.decode()
        assert "runs until the end of" in content and "cannot be closed earlier" in content
        assert "is not possible while the consultation is" not in content
    consultation.refresh_from_db()
    assert consultation.state == State.OPEN and consultation.closed_at is None


def test_a_drafts_most_prominent_button_is_the_next_step(client, institution, civil_servant):
    """On a draft, the one solid button is "publish"; on an announced consultation it is
    "open now", and withdrawal is a secondary, danger-styled button after it that leads to
    a confirmation page with a red button."""
    draft = make_consultation(institution, state=State.DRAFT)
    _login(client, civil_servant)
    with translation.override("en"):
        html = client.get(draft.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    publish = reverse("consultations:transition", args=[draft.pk, "publish"])
    assert f'class="btn btn-primary btn-sm" href="{publish}"' in html
    assert html.count("btn btn-primary") == 1
    scheduled = make_consultation(
        institution, state=State.SCHEDULED, opens_on=dates.local_today() + datetime.timedelta(3)
    )
    html = client.get(scheduled.get_absolute_url()).content.decode()
    opening = reverse("consultations:transition", args=[scheduled.pk, "open"])
    withdraw = reverse("consultations:transition", args=[scheduled.pk, "withdraw"])
    assert f'class="btn btn-primary btn-sm" href="{opening}"' in html
    assert f'class="btn btn-outline-danger btn-sm ms-auto" href="{withdraw}"' in html
    assert html.index(opening) < html.index(withdraw)
    assert 'class="btn btn-danger"' in client.get(withdraw).content.decode()
