"""The answer (disposition) form starts on no disposition and speaks the reader's
language (the server's messages, not the browser's); moderators see why a
recommendation was reported."""

from django.urls import reverse

from consultations import services
from consultations.models import Consultation, Recommendation

from .conftest import make_consultation, make_recommendation

State = Consultation.State


def test_no_disposition_is_chosen_in_advance(client, institution, civil_servant, citizen):
    consultation = make_consultation(institution, state=State.UNDER_ANALYSIS)
    make_recommendation(consultation, citizen)
    client.force_login(civil_servant)
    content = client.get(reverse("consultations:answers", args=[consultation.pk])).content.decode()
    assert '<option value="" selected>' in content
    assert '<option value="accepted" selected' not in content
    assert " required" not in content and "novalidate" in content


def test_an_incomplete_answer_gets_translated_messages(client, institution, civil_servant, citizen):
    """Sent without a disposition or a justification, the form comes back with the
    server's messages, and nothing is recorded."""
    consultation = make_consultation(institution, state=State.UNDER_ANALYSIS)
    rec = make_recommendation(consultation, citizen)
    client.force_login(civil_servant)
    url = reverse("consultations:answers", args=[consultation.pk])
    response = client.post(
        url, {"recommendations": [rec.pk], "disposition": "", "justification": ""}
    )
    content = response.content.decode()
    assert "Choose a disposition." in content
    assert "Give a justification for the disposition." in content
    rec.refresh_from_db()
    assert rec.disposition == ""
    civil_servant.preferred_language = "ro"
    civil_servant.save(update_fields=["preferred_language"])
    response = client.post(url, {"recommendations": [rec.pk]})
    assert "Please fill out this field" not in response.content.decode()


def test_moderators_see_why_it_was_reported(
    client, consultation, citizen, ngo_member, civil_servant
):
    rec = make_recommendation(consultation, citizen)
    services.recommendation_report(
        recommendation=rec, reporter=ngo_member, reason="Conține date personale."
    )
    client.force_login(civil_servant)
    response = client.get(reverse("consultations:moderation", args=[consultation.pk]))
    content = response.content.decode()
    assert "Conține date personale." in content
    assert Recommendation.objects.get().report_count == 1
