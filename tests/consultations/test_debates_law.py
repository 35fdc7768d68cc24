"""Public debates as the law and practice run them: requested by an association or
another public authority, a sign-up list of speakers (in person or online), an order of
speaking with a time per speaker, capacity and a waiting list, attendance, the minutes'
life and the recording; a debate ends when every registered speaker has spoken."""

import datetime
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conect.accounts.models import User
from consultations import selectors, services
from consultations.models import Channel, Consultation, Debate, DebateRegistration, DebateRequest
from tests.conftest import make_user

from .conftest import make_consultation

State = Consultation.State
Reg = DebateRegistration
ROLES = [
    "anonymous",
    "citizen",
    "ngo_member",
    "ngo_admin",
    "civil_servant",
    "other_civil_servant",
    "coordinator",
]


def make_debate(consultation, *, days=5, **extra) -> Debate:
    return Debate.objects.create(
        consultation=consultation,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        place="Sala mare",
        **extra,
    )


def start(debate: Debate) -> None:
    """The debate's hour has come."""
    Debate.objects.filter(pk=debate.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    debate.refresh_from_db()


@pytest.fixture
def users(citizen, ngo_member, ngo_admin, civil_servant, other_civil_servant, coordinator):
    return {
        "anonymous": AnonymousUser(),
        "citizen": citizen,
        "ngo_member": ngo_member,
        "ngo_admin": ngo_admin,
        "civil_servant": civil_servant,
        "other_civil_servant": other_civil_servant,
        "coordinator": coordinator,
    }


def test_running_a_debate_grid_of_roles_and_states(users, institution, citizen):
    """Only the owning institution's civil servants run a debate (speakers, attendance,
    minutes, its end), in every state of the consultation; the service refuses anyone
    else and changes nothing."""
    for state in State.values:
        debate = make_debate(make_consultation(institution, state=state))
        start(debate)
        for role in ROLES:
            allowed = users[role].has_perm("consultations.run_debate", debate)
            assert allowed is (role == "civil_servant"), (role, state)
            if role in ("anonymous", "civil_servant"):
                continue
            with pytest.raises(PermissionDenied):
                services.debate_record(debate=debate, actor=users[role], attendance_count=9)
            debate.refresh_from_db()
            assert debate.attendance_count is None
        services.debate_record(debate=debate, actor=users["civil_servant"], attendance_count=9)
        debate.refresh_from_db()
        assert debate.attendance_count == 9


def test_asking_for_a_debate_grid(users, institution, organisation, other_institution):
    """An association's member, or a civil servant of another public authority, asks
    while the consultation is open; the owner's staff record requests that came by
    letter while it is open, closed or under analysis."""
    for state in State.values:
        consultation = make_consultation(institution, state=state)
        asking = {
            r for r in ROLES if users[r].has_perm("consultations.request_debate", consultation)
        }
        recording = {
            r
            for r in ROLES
            if users[r].has_perm("consultations.record_debate_request", consultation)
        }
        assert asking == (
            {"ngo_member", "ngo_admin", "other_civil_servant"} if state == "open" else set()
        )
        assert recording == (
            {"civil_servant"} if state in ("open", "closed", "under_analysis") else set()
        )


def test_another_public_authority_asks_and_the_decision_is_recorded(
    consultation, other_civil_servant, other_institution, civil_servant, institution
):
    request = services.debate_request_create(
        consultation=consultation,
        actor=other_civil_servant,
        institution=other_institution,
        motivation="Impact asupra spitalelor.",
    )
    assert request.requester_name == other_institution.name
    assert request.requested_on == timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.debate_request_create(
            consultation=consultation,
            actor=civil_servant,
            institution=institution,
            motivation="Noi înșine.",
        )
    declined = services.debate_request_decline(
        debate_request=request, actor=civil_servant, reason="Dezbatere deja ținută."
    )
    assert declined.status == DebateRequest.Status.DECLINED
    assert declined.decided_at is not None and declined.decided_by == civil_servant


def test_the_staff_record_a_request_received_by_letter(
    client, consultation, civil_servant, organisation
):
    """With its channel and date; the page refuses an empty requester with a message."""
    client.force_login(civil_servant)
    url = reverse("consultations:debate-request-record", args=[consultation.pk])
    day = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    data = {"channel": "post", "requested_on": day, "motivation": "Scrisoare."}
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Choose the association or the public authority that asks." in (
        response.content.decode()
    )
    assert not DebateRequest.objects.exists()
    response = client.post(url, {**data, "organisation": organisation.pk})
    assert response.status_code == 302
    request = DebateRequest.objects.get()
    assert (request.channel, request.requested_on.isoformat()) == (Channel.POST, day)


def test_capacity_and_waiting_list(consultation):
    """Beyond the places, people wait; a cancelled place goes to the first who waits."""
    debate = make_debate(consultation, capacity=2)
    people = [make_user(f"p{n}@example.org", name=f"Persoana {n}") for n in range(4)]
    regs = [services.debate_register(debate=debate, user=person) for person in people]
    assert [r.status for r in regs] == [Reg.Status.CONFIRMED] * 2 + [Reg.Status.WAITING] * 2
    promoted = services.debate_unregister(debate=debate, user=people[0])
    assert promoted.user == people[2] and promoted.status == Reg.Status.CONFIRMED
    assert services.debate_unregister(debate=debate, user=people[3]) is None
    statuses = dict(debate.registrations.values_list("user_id", "status"))
    assert statuses == {people[1].pk: "confirmed", people[2].pk: "confirmed"}


@pytest.mark.django_db(transaction=True)
def test_the_last_place_goes_to_one_person_under_concurrency(institution):
    """Eight people register at the same instant for the last two places: two are
    confirmed, six wait; then four cancel at the same instant and exactly the places
    freed are given to those who waited longest."""
    consultation = make_consultation(institution)
    debate = make_debate(consultation, capacity=2)
    people = [make_user(f"race{n}@example.org", name=f"R {n}") for n in range(8)]
    barrier = threading.Barrier(len(people))
    errors = []

    def run(action, person):
        try:
            barrier.wait()
            action(debate=debate, user=person)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(services.debate_register, p)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    confirmed = list(debate.registrations.filter(status="confirmed").values_list("user", flat=True))
    assert len(confirmed) == 2
    assert debate.registrations.filter(status="waiting").count() == 6
    leaving = [User.objects.get(pk=pk) for pk in confirmed] + [
        r.user for r in debate.registrations.filter(status="waiting").order_by("-created_at")[:2]
    ]
    barrier = threading.Barrier(len(leaving))
    threads = [threading.Thread(target=run, args=(services.debate_unregister, p)) for p in leaving]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert debate.registrations.filter(status="confirmed").count() == 2
    assert debate.registrations.filter(status="waiting").count() == 2


def test_order_of_speaking_and_the_end_of_the_debate(consultation, civil_servant):
    """Speakers speak in the order they signed up, each for the debate's time; the
    debate cannot be ended while a registered speaker has not spoken, and ends by itself
    when the last one has."""
    debate = make_debate(consultation, minutes_per_speaker=7)
    people = [make_user(f"s{n}@example.org", name=f"Vorbitor {n}") for n in range(3)]
    first = services.debate_register(debate=debate, user=people[0], wants_to_speak=True)
    services.debate_register(debate=debate, user=people[1])  # listens only
    third = services.debate_register(
        debate=debate, user=people[2], wants_to_speak=True, mode=Reg.Mode.ONLINE
    )
    order = selectors.speaking_order(selectors.debate_detail(debate.pk))
    assert [s.registration.user for s in order] == [people[0], people[2]]
    assert order[1].planned_at - order[0].planned_at == datetime.timedelta(minutes=7)
    assert order[1].registration.mode == Reg.Mode.ONLINE
    with pytest.raises(ValidationError):  # not started yet
        services.debate_mark_spoken(registration=first, actor=civil_servant)
    start(debate)
    services.debate_mark_spoken(registration=first, actor=civil_servant)
    with pytest.raises(ValidationError) as error:
        services.debate_end(debate=debate, actor=civil_servant)
    assert "every registered speaker" in error.value.messages[0]
    debate.refresh_from_db()
    assert debate.ended_at is None
    ended = services.debate_mark_spoken(registration=third, actor=civil_servant)
    assert ended.ended_at is not None


def test_attendance_minutes_and_recording(consultation, civil_servant, organisation, citizen):
    debate = make_debate(consultation)
    with pytest.raises(ValidationError):  # not held yet
        services.debate_record(debate=debate, actor=civil_servant, attendance_count=3)
    start(debate)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.debate_record(
            debate=debate,
            actor=civil_servant,
            attendance_count=40,
            minutes_archived_on=today,
        )
    assert "minutes_drawn_up_on" in error.value.message_dict
    services.debate_record(
        debate=debate,
        actor=civil_servant,
        attendance_count=40,
        organisations=[organisation],
        attending_others="Sindicatul Profesorilor",
        recording_url="https://video.example.ro/dezbatere",
        minutes_drawn_up_on=today,
        minutes_archived_on=today,
        minutes_archive_reference="Nr. 123/2025",
    )
    debate.refresh_from_db()
    assert debate.attendance_count == 40
    assert list(debate.attending_organisations.all()) == [organisation]
    services.debate_publish_minutes(debate=debate, actor=civil_servant, minutes="S-a discutat.")
    debate.refresh_from_db()
    assert debate.minutes_published_at is not None and debate.minutes_drawn_up_on == today


def test_the_debate_page(
    client, consultation, citizen, civil_servant, django_assert_num_queries, quiet_nav
):
    """Anyone reads it; a verified user signs up to speak online from it; its query
    count does not grow with the registrations."""
    debate = make_debate(consultation, capacity=50)
    for n in range(20):
        services.debate_register(
            debate=debate, user=make_user(f"q{n}@example.org"), wants_to_speak=n % 2 == 0
        )
    url = reverse("consultations:debate-detail", args=[debate.pk])
    # debate with consultation, organisations present, registrations with their people
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200 and len(response.context["speakers"]) == 10
    client.force_login(citizen)
    register = reverse("consultations:debate-register", args=[debate.pk])
    response = client.post(register, {"mode": "online", "wants_to_speak": "on", "next": "debate"})
    assert response.status_code == 302 and response["Location"] == url
    own = DebateRegistration.objects.get(user=citizen)
    assert (own.mode, own.wants_to_speak, own.status) == ("online", True, "confirmed")
    page = client.get(url)
    assert page.context["speakers"][-1].registration == own
    client.force_login(civil_servant)
    assert client.get(reverse("consultations:debate-record", args=[debate.pk])).status_code == 200


def test_recommendations_made_at_a_debate_are_recorded_from_its_page(
    client, consultation, citizen, civil_servant
):
    """Once the debate is held, its page offers the institution's staff to record a
    recommendation made there: the form opens on "at a public debate" and the day of
    the debate. Before the debate, or to a citizen, it is not offered; a channel that
    does not exist in the address is not prefilled."""
    debate = make_debate(consultation)
    url = reverse("consultations:debate-detail", args=[debate.pk])
    record = reverse("consultations:recommendation-record", args=[consultation.pk])
    client.force_login(civil_servant)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "Record a recommendation made at this debate" not in client.get(url).content.decode()
    start(debate)
    html = client.get(url).content.decode()
    day = timezone.localdate(debate.starts_at).isoformat()
    link = f"{record}?channel=debate&amp;received_on={day}"
    assert f'href="{link}">Record a recommendation made at this debate</a>' in html
    form = client.get(record, {"channel": "debate", "received_on": day}).context["form"]
    assert form["channel"].value() == "debate"
    assert str(form["received_on"].value()) == day
    form = client.get(record, {"channel": "fax", "received_on": "yesterday"}).context["form"]
    assert not form["channel"].value() and not form["received_on"].value()
    client.force_login(citizen)
    assert "Record a recommendation made at this debate" not in client.get(url).content.decode()
