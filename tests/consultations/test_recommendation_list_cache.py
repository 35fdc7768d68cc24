"""Visitors who are not signed in all see the same list of recommendations, so the
consultation page keeps it rendered: asked again it reads no recommendation, and a
recommendation sent, recorded, hidden or answered shows at once."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser

from consultations.models import Channel, Recommendation
from consultations.services.moderation import recommendation_moderate
from consultations.services.recommendations import recommendation_submit

from .conftest import make_recommendation

pytestmark = pytest.mark.django_db


def anonymous_page(client, consultation):
    return client.get(consultation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")


def test_the_list_asked_again_is_not_read_again(
    quiet_nav, client, consultation, citizen, django_assert_num_queries
):
    for index in range(3):
        make_recommendation(consultation, citizen, text=f"<p>Propunerea {index}</p>")
    # consultation, 8 prefetches, recommendation count + page, attached questionnaires
    with django_assert_num_queries(12):
        first = anonymous_page(client, consultation)
    # the page of recommendations is not read
    with django_assert_num_queries(11):
        again = anonymous_page(client, consultation)
    html = again.content.decode()
    assert all(f"Propunerea {index}" in html for index in range(3))
    assert "Propunerea 0" in first.content.decode()


def test_a_recommendation_sent_shows_at_once(
    client, consultation, citizen, django_capture_on_commit_callbacks
):
    make_recommendation(consultation, citizen, text="<p>Prima propunere</p>")
    assert "Prima propunere" in anonymous_page(client, consultation).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_submit(
            consultation=consultation,
            author=citizen,
            text="<p>A doua propunere</p>",
            submission_key=uuid.uuid4(),
        )
    assert "A doua propunere" in anonymous_page(client, consultation).content.decode()


def test_a_hidden_recommendation_leaves_at_once(
    client, consultation, citizen, civil_servant, django_capture_on_commit_callbacks
):
    recommendation = make_recommendation(consultation, citizen, text="<p>De ascuns</p>")
    assert "De ascuns" in anonymous_page(client, consultation).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_moderate(
            recommendation=recommendation, actor=civil_servant, action="hide", reason="Insulte"
        )
    assert "De ascuns" not in anonymous_page(client, consultation).content.decode()


def test_a_recorded_recommendation_shows_at_once(
    client, consultation, civil_servant, django_capture_on_commit_callbacks
):
    from consultations.services.channels import recommendation_record

    assert "Primită prin poștă" not in anonymous_page(client, consultation).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_record(
            consultation=consultation,
            actor=civil_servant,
            channel=Channel.POST,
            received_on=datetime.date.today(),
            sender_name="Maria Popescu",
            text="Primită prin poștă",
        )
    assert "Primită prin poștă" in anonymous_page(client, consultation).content.decode()


def test_each_language_has_its_own_list(client, consultation, citizen):
    make_recommendation(consultation, citizen)
    english = anonymous_page(client, consultation).content.decode()
    romanian = client.get(consultation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ro")
    assert "Recommendation #" in english
    assert "Recomandarea nr. " in romanian.content.decode()


def test_the_rules_let_no_visitor_edit_or_report(consultation, citizen):
    """What makes the list the same for every visitor who is not signed in."""
    recommendation = make_recommendation(consultation, citizen)
    visitor = AnonymousUser()
    assert not visitor.has_perm("consultations.change_recommendation", recommendation)
    assert not visitor.has_perm("consultations.report_recommendation", recommendation)
    assert recommendation.status == Recommendation.Status.PUBLISHED
