"""Consultations in the public API: read-only, with the web list's filters; published
recommendations only; dispositions only once the synthesis is published; query counts
pinned."""

import pytest
from django.utils import timezone

from consultations.models import Consultation, Document, DocumentVersion, Recommendation

from .conftest import make_consultation, make_recommendation

State = Consultation.State
API = "/api/v1/"


@pytest.fixture
def api(client):
    client.defaults["HTTP_ACCEPT"] = "application/json"
    return client


def test_consultations_list_hides_drafts_and_filters_like_the_web(
    api, institution, other_institution, domain, django_assert_num_queries
):
    for index in range(3):
        consultation = make_consultation(
            institution, title=f"Școala {index}", search_text=f"scoala {index}"
        )
        consultation.domains.add(domain)
        document = Document.objects.create(consultation=consultation, kind="draft", title="Proiect")
        DocumentVersion.objects.create(
            document=document,
            number=1,
            file="x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
        )
    make_consultation(other_institution, state=State.CLOSED, title="Spital")
    make_consultation(institution, state=State.DRAFT, title="Ciornă")
    # count, page, domains, counties, regions, documents, versions
    with django_assert_num_queries(7):
        response = api.get(API + "consultations/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    titles = {item["title"] for item in body["results"]}
    assert "Ciornă" not in titles
    first = next(item for item in body["results"] if item["title"] == "Școala 0")
    assert first["institution"]["name"] == institution.name
    assert first["domains"] == [{"slug": domain.slug, "name": domain.name}]
    assert first["documents"][0]["versions"][0]["number"] == 1
    assert first["web_url"].endswith(f"/consultations/{first['id']}/")
    assert api.get(API + "consultations/", {"q": "scoala"}).json()["count"] == 3
    assert api.get(API + "consultations/", {"state": "closed"}).json()["count"] == 1
    assert api.get(API + "consultations/", {"domain": domain.slug}).json()["count"] == 3
    assert (
        api.get(API + "consultations/", {"institution": other_institution.pk}).json()["count"] == 1
    )


def test_one_consultation_and_a_draft(api, institution, citizen, django_assert_num_queries):
    public = make_consultation(institution)
    rec = make_recommendation(public, citizen)
    draft = make_consultation(institution, state=State.DRAFT)
    # the consultation, then domains, counties, regions, documents (it has none)
    with django_assert_num_queries(5):
        assert api.get(f"{API}consultations/{public.pk}/").json()["state"] == "open"
    # the recommendation with its author, organisation, article and consultation
    with django_assert_num_queries(1):
        assert api.get(f"{API}recommendations/{rec.pk}/").json()["author"] == citizen.name
    response = api.get(f"{API}consultations/{draft.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_api_is_read_only(api, consultation):
    for method in (api.post, api.put, api.patch, api.delete):
        response = method(
            f"{API}consultations/{consultation.pk}/", {}, content_type="application/json"
        )
        assert response.status_code in (404, 405)
    consultation.refresh_from_db()
    assert consultation.state == State.OPEN


def test_recommendations_published_only_with_public_names(
    api, institution, citizen, ngo_member, organisation, django_assert_num_queries
):
    consultation = make_consultation(institution)
    make_recommendation(consultation, citizen, text="<p>Publică</p>")
    make_recommendation(consultation, citizen, text="<p>Anonimă</p>", hide_name=True)
    make_recommendation(consultation, ngo_member, text="<p>ONG</p>", organisation=organisation)
    make_recommendation(consultation, citizen, status=Recommendation.Status.HIDDEN)
    make_recommendation(consultation, citizen, status=Recommendation.Status.PENDING)
    draft = make_consultation(institution, state=State.DRAFT)
    make_recommendation(draft, citizen)
    # count, page (with authors, organisations, articles and consultations)
    with django_assert_num_queries(2):
        response = api.get(API + "recommendations/", {"consultation": consultation.pk})
    results = response.json()["results"]
    assert [r["text_plain"] for r in results] == ["Publică", "Anonimă", "ONG"]
    assert results[0]["author"] == citizen.name
    assert citizen.name not in results[1]["author"]
    assert results[2]["organisation"] == {"id": organisation.pk, "name": organisation.name}
    assert results[0]["disposition"] is None
    assert api.get(API + "recommendations/").json()["count"] == 3


def test_dispositions_appear_once_the_synthesis_is_published(api, institution, citizen):
    consultation = make_consultation(institution, state=State.UNDER_ANALYSIS)
    rec = make_recommendation(consultation, citizen, disposition="accepted", justification="Da.")
    url = f"{API}recommendations/{rec.pk}/"
    assert api.get(url).json()["disposition"] is None
    assert api.get(API + "recommendations/", {"disposition": "accepted"}).json()["count"] == 0
    Consultation.objects.filter(pk=consultation.pk).update(
        state=State.SYNTHESIS_PUBLISHED, synthesis_published_at=timezone.now()
    )
    assert api.get(url).json()["justification"] == "Da."
    assert api.get(API + "recommendations/", {"disposition": "accepted"}).json()["count"] == 1


def test_syntheses(api, institution, citizen, django_assert_num_queries):
    published = make_consultation(institution, state=State.SYNTHESIS_PUBLISHED)
    for disposition in ("accepted", "accepted", "rejected"):
        make_recommendation(published, citizen, disposition=disposition)
    make_recommendation(published, citizen, status=Recommendation.Status.HIDDEN)
    make_consultation(institution, state=State.UNDER_ANALYSIS)
    # count, page
    with django_assert_num_queries(2):
        response = api.get(API + "syntheses/")
    (item,) = response.json()["results"]
    assert item["consultation"] == published.pk
    assert item["counts"] == {
        "accepted": 2,
        "partially_accepted": 0,
        "rejected": 1,
        "out_of_scope": 0,
        "total": 3,
        "hidden": 1,
    }
    assert item["pdf_url"].endswith(f"/consultations/{published.pk}/synthesis.pdf")
    assert api.get(f"{API}syntheses/{published.pk}/").status_code == 200


def test_csv_export(client, consultation):
    response = client.get(API + "consultations/", {"format": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert content.splitlines()[0].startswith("id,title,kind,state")
    assert consultation.title in content
