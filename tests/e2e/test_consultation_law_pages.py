"""WCAG 2.1 AA on the pages of issue 17: a debate's page (speakers, attendance,
minutes), the form that records a recommendation received another way, the answers'
page, the synthesis with its channels, an institution's annual report and the General
Secretariat's national view with its chart and table."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Channel, Consultation, Debate
from tests.consultations.conftest import make_consultation, make_recommendation
from tests.e2e.test_accessibility import violations

State = Consultation.State
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def records(institution, citizen, civil_servant):
    consultation = make_consultation(institution, state=State.UNDER_ANALYSIS)
    make_recommendation(consultation, citizen)
    services.recommendation_record(
        consultation=consultation,
        actor=civil_servant,
        channel=Channel.POST,
        received_on=consultation.opens_on,
        text="Scrisoare.",
        sender_name="Ana Pop",
    )
    debate = Debate.objects.create(
        consultation=consultation,
        starts_at=timezone.now() + datetime.timedelta(days=4),
        place="Sala mare",
        capacity=10,
    )
    services.debate_register(debate=debate, user=citizen, wants_to_speak=True)
    return {"consultation": consultation, "debate": debate}


def test_the_law_pages_meet_wcag_aa(page, page_for, civil_servant, coordinator, records):
    consultation = records["consultation"]
    institution_id, year = consultation.institution_id, timezone.localdate().year - 1
    found = violations(page, reverse("consultations:debate-detail", args=[records["debate"].pk]))
    staff = page_for(civil_servant)
    for path in (
        reverse("consultations:recommendation-record", args=[consultation.pk]),
        reverse("consultations:answers", args=[consultation.pk]),
        reverse("consultations:synthesis", args=[consultation.pk]),
        reverse("consultations:annual-report-institution", args=[institution_id, year]),
        reverse("consultations:annual-statement", args=[institution_id, year]),
    ):
        found += violations(staff, path)
    found += violations(page_for(coordinator), reverse("consultations:annual-report-national"))
    assert found == []
