"""Limits on what people write in consultations, and web addresses stored safe."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consultations import services
from consultations.forms import DebateScheduleForm, RecommendationForm
from consultations.models import Recommendation

pytestmark = pytest.mark.django_db

HOSTILE = 'https://example.org/?"><img src=x onerror=alert(1)>'
QUOTED = "https://example.org/?%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"


def test_a_recommendation_is_at_most_10000_characters(consultation, citizen):
    """The form and the service refuse a recommendation longer than 10,000 characters,
    with the message, and nothing is saved; 10,000 characters are taken."""
    form = RecommendationForm(data={"text": "a" * 10_001}, consultation=consultation, user=citizen)
    assert not form.is_valid()
    assert form.errors["text"] == ["Ensure this value has at most 10000 characters (it has 10001)."]
    with pytest.raises(ValidationError) as error:
        services.recommendation_submit(
            consultation=consultation,
            author=citizen,
            text="a" * 10_001,
            submission_key=uuid.uuid4(),
        )
    assert "text" in error.value.message_dict
    assert not Recommendation.objects.exists()
    services.recommendation_submit(
        consultation=consultation, author=citizen, text="a" * 10_000, submission_key=uuid.uuid4()
    )
    assert Recommendation.objects.count() == 1


def test_a_debate_link_is_stored_quoted(consultation, civil_servant):
    """The online link of a debate is percent-encoded by the form and by the service; an
    address that is not a web page is refused."""
    form = DebateScheduleForm(
        data={"starts_at": "2030-01-10T10:00", "online_url": HOSTILE},
        consultation=consultation,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["online_url"] == QUOTED
    form = DebateScheduleForm(
        data={"starts_at": "2030-01-10T10:00", "online_url": "javascript:alert(1)"},
        consultation=consultation,
    )
    assert not form.is_valid()
    debate = services.debate_schedule(
        consultation=consultation,
        actor=civil_servant,
        starts_at=timezone.now() + datetime.timedelta(days=10),
        online_url=HOSTILE,
    )
    debate.refresh_from_db()
    assert debate.online_url == QUOTED
