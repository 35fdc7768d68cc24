"""Public debates: a verified association requests one; the institution schedules it with
at least 3 days' notice or records why it declined; people register; minutes are
published; the page shows whether each request was honoured."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Consultation, Debate, DebateRegistration, DebateRequest

from .conftest import make_consultation

State = Consultation.State


def _request(consultation, ngo_member, organisation):
    return services.debate_request_create(
        consultation=consultation,
        organisation=organisation,
        actor=ngo_member,
        motivation="Impact major asupra școlilor.",
    )


def _schedule(consultation, actor, days=4, **extra):
    return services.debate_schedule(
        consultation=consultation,
        actor=actor,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        place=extra.pop("place", "Sala de conferințe"),
        **extra,
    )


def test_an_association_requests_once(consultation, ngo_member, citizen, organisation):
    _request(consultation, ngo_member, organisation)
    with pytest.raises(ValidationError):
        _request(consultation, ngo_member, organisation)
    with pytest.raises(PermissionDenied):
        _request(consultation, citizen, organisation)
    assert DebateRequest.objects.count() == 1


def test_requests_only_while_open(institution, ngo_member, organisation):
    closed = make_consultation(institution, state=State.CLOSED)
    with pytest.raises(ValidationError):
        _request(closed, ngo_member, organisation)


def test_scheduling_honours_requests_and_notifies_them(
    consultation,
    ngo_member,
    ngo_admin,
    civil_servant,
    organisation,
    django_capture_on_commit_callbacks,
):
    debate_request = _request(consultation, ngo_member, organisation)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        debate = _schedule(consultation, civil_servant, request_ids=[debate_request.pk])
    debate_request.refresh_from_db()
    assert debate_request.status == DebateRequest.Status.SCHEDULED
    assert debate_request.debate == debate
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ngo_member.email, ngo_admin.email])


def test_scheduling_needs_three_days_notice_and_a_place(
    consultation, civil_servant, other_civil_servant
):
    with pytest.raises(ValidationError) as error:
        _schedule(consultation, civil_servant, days=2)
    assert "starts_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _schedule(consultation, civil_servant, place="")
    assert "place" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        _schedule(consultation, other_civil_servant)
    assert not Debate.objects.exists()
    debate = _schedule(
        consultation, civil_servant, place="", online_url="https://meet.example.ro/x"
    )
    assert debate.online_url


def test_declining_needs_a_public_reason(consultation, ngo_member, civil_servant, organisation):
    debate_request = _request(consultation, ngo_member, organisation)
    with pytest.raises(ValidationError):
        services.debate_request_decline(
            debate_request=debate_request, actor=civil_servant, reason=""
        )
    services.debate_request_decline(
        debate_request=debate_request, actor=civil_servant, reason="Au avut loc 3 dezbateri."
    )
    debate_request.refresh_from_db()
    assert debate_request.status == DebateRequest.Status.DECLINED
    with pytest.raises(ValidationError):
        services.debate_request_decline(
            debate_request=debate_request, actor=civil_servant, reason="x"
        )


def test_registration_and_minutes(consultation, citizen, civil_servant):
    debate = _schedule(consultation, civil_servant)
    services.debate_register(debate=debate, user=citizen)
    with pytest.raises(ValidationError):
        services.debate_register(debate=debate, user=citizen)
    with pytest.raises(ValidationError):
        services.debate_publish_minutes(debate=debate, actor=civil_servant, minutes="Prea devreme")
    Debate.objects.filter(pk=debate.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    debate.refresh_from_db()
    with pytest.raises(ValidationError):
        services.debate_register(debate=debate, user=citizen)
    services.debate_publish_minutes(
        debate=debate, actor=civil_servant, minutes="Au participat 12 persoane.<script>x</script>"
    )
    debate.refresh_from_db()
    assert "12 persoane" in debate.minutes and "<script" not in debate.minutes
    services.debate_unregister(debate=debate, user=citizen)
    assert not DebateRegistration.objects.exists()


def test_the_page_shows_whether_each_request_was_honoured(
    client, consultation, ngo_member, civil_servant, organisation, other_institution
):
    from registry.models import Organisation, OrganisationMembership

    other_org = Organisation.objects.create(
        name="Fundația Alta",
        legal_form="foundation",
        fiscal_code="14837428",
        status=Organisation.Status.VERIFIED,
    )
    OrganisationMembership.objects.create(organisation=other_org, user=ngo_member)
    honoured = _request(consultation, ngo_member, organisation)
    declined = _request(consultation, ngo_member, other_org)
    _schedule(consultation, civil_servant, request_ids=[honoured.pk])
    services.debate_request_decline(
        debate_request=declined, actor=civil_servant, reason="Motivul X."
    )
    content = client.get(
        consultation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "honoured: debate scheduled" in content
    assert "declined" in content and "Motivul X." in content


def test_debate_pages(client, consultation, ngo_member, civil_servant, citizen, organisation):
    client.force_login(ngo_member)
    url = reverse("consultations:debate-request", args=[consultation.pk])
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"organisation": organisation.pk, "motivation": "De ce."}).status_code
        == 302
    )
    debate_request = DebateRequest.objects.get()
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    schedule_url = reverse("consultations:debate-schedule", args=[consultation.pk])
    assert client.get(schedule_url).status_code == 403
    client.force_login(civil_servant)
    starts = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        schedule_url, {"starts_at": starts, "place": "Sala 2", "requests": [debate_request.pk]}
    )
    assert response.status_code == 302
    debate = Debate.objects.get()
    client.force_login(citizen)
    register = reverse("consultations:debate-register", args=[debate.pk])
    assert client.post(register).status_code == 302
    assert DebateRegistration.objects.filter(user=citizen).exists()
    client.post(register, {"action": "unregister"})
    assert not DebateRegistration.objects.exists()
