"""The synthesis: a disposition and justification for every recommendation (in bulk for
identical ones), published as a page, a CSV and a PDF, grouped by article with counts;
contributors are notified."""

import csv
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from consultations import services
from consultations.models import Article, Consultation, Notification, Recommendation

from .conftest import make_consultation, make_recommendation

State = Consultation.State
Disposition = Recommendation.Disposition


@pytest.fixture
def analysed(institution, citizen, ngo_member, organisation):
    """A consultation under analysis: two articles, five recommendations (one hidden)."""
    consultation = make_consultation(institution, state=State.UNDER_ANALYSIS)
    art1 = Article.objects.create(consultation=consultation, position=1, label="Art. 1", text="a")
    art2 = Article.objects.create(consultation=consultation, position=2, label="Art. 2", text="b")
    recs = {
        "general": make_recommendation(consultation, citizen, text="<p>General</p>"),
        "same1": make_recommendation(consultation, citizen, text="<p>Identică</p>", article=art1),
        "same2": make_recommendation(
            consultation, ngo_member, text="<p>Identică</p>", article=art1
        ),
        "org": make_recommendation(
            consultation,
            ngo_member,
            text="<p>Din partea ONG, „citat”</p>",
            article=art2,
            organisation=organisation,
        ),
        "hidden": make_recommendation(
            consultation, citizen, text="<p>Ascunsă</p>", status=Recommendation.Status.HIDDEN
        ),
    }
    return consultation, recs


def _answer(consultation, actor, recs, disposition, justification="Motiv."):
    return services.recommendations_answer(
        consultation=consultation,
        actor=actor,
        recommendation_ids=[r.pk for r in recs],
        disposition=disposition,
        justification=justification,
    )


def test_bulk_answers_share_a_justification(analysed, civil_servant):
    consultation, recs = analysed
    count = _answer(
        consultation,
        civil_servant,
        [recs["same1"], recs["same2"]],
        Disposition.ACCEPTED,
        "Preluat.",
    )
    assert count == 2
    for key in ("same1", "same2"):
        recs[key].refresh_from_db()
        assert (recs[key].disposition, recs[key].justification) == ("accepted", "Preluat.")
        assert recs[key].answered_by == civil_servant


def test_bad_answers_change_nothing(analysed, civil_servant, other_civil_servant, institution):
    """No justification, an unknown disposition, a hidden or foreign recommendation, the
    wrong state or another institution: refused, nothing recorded."""
    consultation, recs = analysed
    with pytest.raises(ValidationError):
        _answer(consultation, civil_servant, [recs["general"]], Disposition.REJECTED, " ")
    with pytest.raises(ValidationError):
        _answer(consultation, civil_servant, [recs["general"]], "maybe")
    with pytest.raises(ValidationError):
        _answer(
            consultation, civil_servant, [recs["general"], recs["hidden"]], Disposition.REJECTED
        )
    foreign = make_recommendation(make_consultation(institution, state=State.UNDER_ANALYSIS), None)
    with pytest.raises(ValidationError):
        _answer(consultation, civil_servant, [recs["general"], foreign], Disposition.REJECTED)
    with pytest.raises(PermissionDenied):
        _answer(consultation, other_civil_servant, [recs["general"]], Disposition.REJECTED)
    closed = make_consultation(institution, state=State.CLOSED)
    with pytest.raises(ValidationError):
        _answer(closed, civil_servant, [], Disposition.REJECTED)
    assert not Recommendation.objects.exclude(disposition="").exists()


def _publish(consultation, recs, civil_servant, django_capture_on_commit_callbacks):
    _answer(consultation, civil_servant, [recs["general"]], Disposition.REJECTED, "Nu e cazul.")
    _answer(
        consultation, civil_servant, [recs["same1"], recs["same2"]], Disposition.ACCEPTED, "Da."
    )
    _answer(consultation, civil_servant, [recs["org"]], Disposition.PARTIALLY_ACCEPTED, "Parțial.")
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_transition(
            consultation=consultation,
            actor=civil_servant,
            name="synthesise",
            synthesis_summary="Mulțumim celor 3 contributori.",
        )
    consultation.refresh_from_db()


def test_publishing_the_synthesis_notifies_every_contributor(
    analysed, civil_servant, citizen, ngo_member, django_capture_on_commit_callbacks
):
    consultation, recs = analysed
    mail.outbox.clear()
    _publish(consultation, recs, civil_servant, django_capture_on_commit_callbacks)
    assert consultation.state == State.SYNTHESIS_PUBLISHED
    notified = set(
        Notification.objects.filter(kind=Notification.Kind.SYNTHESIS_PUBLISHED).values_list(
            "user_id", flat=True
        )
    )
    assert notified == {citizen.pk, ngo_member.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([citizen.email, ngo_member.email])


def test_synthesis_page_groups_by_article_with_counts(
    client,
    analysed,
    civil_servant,
    django_capture_on_commit_callbacks,
    quiet_nav,
    django_assert_num_queries,
):
    consultation, recs = analysed
    _publish(consultation, recs, civil_servant, django_capture_on_commit_callbacks)
    # consultation, recommendations, articles, hidden count
    with django_assert_num_queries(4):
        response = client.get(
            reverse("consultations:synthesis", args=[consultation.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    content = response.content.decode()
    synthesis = response.context["synthesis"]
    assert [g.article.label if g.article else None for g in synthesis.groups] == [
        None,
        "Art. 1",
        "Art. 2",
    ]
    assert synthesis.total == 4 and synthesis.hidden == 1
    assert dict(synthesis.counts) == {"rejected": 1, "accepted": 2, "partially_accepted": 1}
    assert "Mulțumim celor 3 contributori." in content
    assert "Ascunsă" not in content
    assert "1 recommendation was hidden by the moderators" in content


def test_synthesis_csv(
    client, analysed, civil_servant, django_capture_on_commit_callbacks, organisation
):
    consultation, recs = analysed
    _publish(consultation, recs, civil_servant, django_capture_on_commit_callbacks)
    """An English reader gets commas, English headers and the dispositions in words, with
    the channel each recommendation came by."""
    response = client.get(
        reverse("consultations:synthesis-csv", args=[consultation.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Number",
        "Article",
        "Author",
        "On behalf of",
        "Received",
        "Date received",
        "Recommendation",
        "Disposition",
        "Justification",
    ]
    body = {int(row[0]): row for row in rows[1:]}
    assert set(body) == {recs[k].pk for k in ("general", "same1", "same2", "org")}
    org_row = body[recs["org"].pk]
    assert org_row[1:5] == ["Art. 2", "", organisation.name, "on this platform"]
    assert org_row[6:9] == ["Din partea ONG, „citat”", "partially accepted", "Parțial."]
    assert body[recs["general"].pk][2] == "Ion Cetățean"


def test_synthesis_pdf(client, analysed, civil_servant, django_capture_on_commit_callbacks):
    """The PDF is made once and kept; it is a real PDF."""
    consultation, recs = analysed
    _publish(consultation, recs, civil_servant, django_capture_on_commit_callbacks)
    url = reverse("consultations:synthesis-pdf", args=[consultation.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    first = b"".join(response.streaming_content)
    assert first.startswith(b"%PDF")
    consultation.refresh_from_db()
    assert consultation.synthesis_pdf
    second = b"".join(client.get(url).streaming_content)
    assert second == first


def test_the_pdf_is_made_on_publication_in_each_language(
    client, analysed, civil_servant, django_capture_on_commit_callbacks
):
    """Publishing makes the PDF in Romanian (the official one) and in English at once, so
    that no visitor waits for it; each visitor gets the one of their language."""
    from consultations.synthesis_pdf import store_synthesis_pdfs, synthesis_html

    consultation, recs = analysed
    _publish(consultation, recs, civil_servant, django_capture_on_commit_callbacks)
    assert consultation.synthesis_pdf and consultation.synthesis_pdf_en
    url = reverse("consultations:synthesis-pdf", args=[consultation.pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    romanian = client.get(url, HTTP_ACCEPT_LANGUAGE="ro")
    assert english["Content-Disposition"].endswith(f'synthesis-{consultation.pk}-en.pdf"')
    english, romanian = b"".join(english.streaming_content), b"".join(romanian.streaming_content)
    assert english == consultation.synthesis_pdf_en.open("rb").read()
    assert romanian == consultation.synthesis_pdf.open("rb").read()
    assert english != romanian
    assert '<html lang="en">' in synthesis_html(consultation, "en")
    assert "Synthesis of the recommendations" in synthesis_html(consultation, "en")
    assert '<html lang="ro">' in synthesis_html(consultation, "ro")
    assert "Synthesis of the recommendations" not in synthesis_html(consultation, "ro")
    # Running the task again (a retried worker) keeps the files it made.
    assert store_synthesis_pdfs(consultation.pk) == [
        consultation.synthesis_pdf.name,
        consultation.synthesis_pdf_en.name,
    ]


def test_synthesis_is_not_public_before_publication(client, analysed, civil_servant, citizen):
    """Before publication: 404 for the public; a preview for the institution."""
    consultation, _recs = analysed
    url = reverse("consultations:synthesis", args=[consultation.pk])
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("consultations:synthesis-csv", args=[consultation.pk])).status_code
        == 404
    )
    client.force_login(civil_servant)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "Preview" in response.content.decode()
    preview = client.get(reverse("consultations:synthesis-pdf", args=[consultation.pk]))
    assert preview.content.startswith(b"%PDF")
    consultation.refresh_from_db()
    assert not consultation.synthesis_pdf and not consultation.synthesis_pdf_en


def test_answers_page(
    client, analysed, civil_servant, other_civil_servant, quiet_nav, django_assert_num_queries
):
    """Bulk answer from the page; identical recommendations are offered as a group."""
    consultation, recs = analysed
    url = reverse("consultations:answers", args=[consultation.pk])
    client.force_login(other_civil_servant)
    assert client.get(url).status_code == 403
    client.force_login(civil_servant)
    # session, user, consultation, roles, page count, page, identical groups, their ids
    with django_assert_num_queries(8):
        response = client.get(url)
    assert [g["count"] for g in response.context["groups"]] == [2]
    assert sorted(response.context["groups"][0]["ids"]) == sorted(
        [recs["same1"].pk, recs["same2"].pk]
    )
    response = client.post(
        url,
        {
            "recommendations": [recs["same1"].pk, recs["same2"].pk],
            "disposition": "accepted",
            "justification": "Preluată.",
        },
    )
    assert response.status_code == 302
    assert Recommendation.objects.filter(disposition="accepted").count() == 2
    response = client.post(
        url, {"recommendations": [recs["general"].pk], "disposition": "accepted"}
    )
    assert response.status_code == 200
    recs["general"].refresh_from_db()
    assert recs["general"].disposition == ""


def test_pdfs_kept_before_one_per_language_are_made_again(
    client, analysed, civil_servant, django_capture_on_commit_callbacks
):
    """The migration drops a PDF kept the old way (in its first visitor's language); the
    next request in each language makes and keeps that language's file."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("consultations.migrations.0006_synthesis_pdfs_rebuilt")
    consultation, recs = analysed
    _publish(consultation, recs, civil_servant, django_capture_on_commit_callbacks)
    old = consultation.synthesis_pdf
    storage, name = old.storage, old.name
    migration.drop_kept_pdfs(apps, None)
    consultation.refresh_from_db()
    assert not consultation.synthesis_pdf and not storage.exists(name)
    url = reverse("consultations:synthesis-pdf", args=[consultation.pk])
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="ro").status_code == 200
    consultation.refresh_from_db()
    assert consultation.synthesis_pdf
