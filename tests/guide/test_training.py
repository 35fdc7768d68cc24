"""Training sessions: the waiting list, e-mails in the person's language, attendance,
certificates, feedback and the iCal file."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import formats, timezone, translation

from guide import services
from guide.models import Registration, TrainingSession
from registry.models import InstitutionStaff
from tests.conftest import make_user

from .conftest import make_session

Status = Registration.Status


def people(n, prefix="person"):
    return [make_user(f"{prefix}{i}@example.org", name=f"Persoana {i}") for i in range(n)]


@pytest.mark.django_db
def test_places_then_waiting_list_then_moving_up(django_capture_on_commit_callbacks):
    """Registrations are confirmed while there are places, then wait; when a confirmed
    person cancels, the first one waiting gets the place at once and an e-mail."""
    session = make_session(capacity=2)
    a, b, c, d = people(4)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [services.register(session=session, user=u).status for u in (a, b, c, d)]
    assert statuses == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITING, Status.WAITING]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration=Registration.objects.get(user=a), actor=a)
    rows = dict(Registration.objects.values_list("user__email", "status"))
    assert rows[c.email] == Status.CONFIRMED
    assert rows[d.email] == Status.WAITING
    assert rows[a.email] == Status.CANCELLED
    assert [m.to for m in mail.outbox] == [[c.email]]


@pytest.mark.django_db
def test_confirmation_email_in_the_persons_language(citizen, django_capture_on_commit_callbacks):
    """The confirmation is written in the language the person chose (dates included)."""
    session = make_session(capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.register(session=session, user=citizen)  # prefers Romanian
    (message,) = mail.outbox
    with translation.override("ro"):
        expected = formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
    assert expected in message.body
    assert session.topic in message.subject
    assert message.to == [citizen.email]


@pytest.mark.django_db
def test_one_registration_each_and_back_at_the_end_after_cancelling(citizen):
    """A second registration is refused; whoever cancelled may register again, at the
    end of the waiting list."""
    session = make_session(capacity=1)
    first, other = people(2)
    services.register(session=session, user=first)
    services.register(session=session, user=citizen)
    with pytest.raises(ValidationError):
        services.register(session=session, user=citizen)
    services.cancel(registration=Registration.objects.get(user=citizen), actor=citizen)
    services.register(session=session, user=other)
    again = services.register(session=session, user=citizen)
    assert again.status == Status.WAITING
    services.cancel(registration=Registration.objects.get(user=first), actor=first)
    assert Registration.objects.get(user=other).status == Status.CONFIRMED
    assert Registration.objects.get(user=citizen).status == Status.WAITING


@pytest.mark.django_db
def test_unverified_and_closed_sessions_refused(unverified_user, citizen):
    """Only verified people register, and only for an announced session to come."""
    session = make_session()
    with pytest.raises(PermissionDenied):
        services.register(session=session, user=unverified_user)
    past = make_session(days=-2)
    with pytest.raises(ValidationError):
        services.register(session=past, user=citizen)
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_more_places_move_the_waiting_list_and_fewer_than_taken_are_refused(coordinator):
    """Raising the capacity confirms people waiting; lowering it under the places taken
    is refused and changes nothing."""
    session = make_session(capacity=1)
    a, b = people(2)
    services.register(session=session, user=a)
    services.register(session=session, user=b)
    services.session_save(actor=coordinator, session=session, capacity=2)
    assert Registration.objects.get(user=b).status == Status.CONFIRMED
    with pytest.raises(ValidationError):
        services.session_save(actor=coordinator, session=session, capacity=1)
    assert TrainingSession.objects.get(pk=session.pk).capacity == 2


@pytest.mark.django_db
def test_institution_announces_in_its_own_name_only(civil_servant, institution, other_institution):
    """A civil servant announces a session for their institution, not for another."""
    starts = timezone.now() + datetime.timedelta(days=10)
    data = {
        "topic": "Atelier",
        "audience": "civil_servants",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "place": "Cluj",
        "capacity": 10,
        "trainers": "A",
    }
    with pytest.raises(PermissionDenied):
        services.session_save(actor=civil_servant, institution=other_institution, **data)
    session = services.session_save(actor=civil_servant, institution=institution, **data)
    assert session.created_by == civil_servant


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_and_cancellations_never_exceed_capacity():
    """Twelve people sign up at the same moment for five places while two of the first
    cancel: nobody is ever confirmed over capacity, and the places left free go to the
    people waiting (PostgreSQL row locks)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    session = make_session(capacity=5)
    early = people(2, prefix="early")
    for user in early:
        services.register(session=session, user=user)
    crowd = people(12, prefix="crowd")
    barrier = threading.Barrier(len(crowd) + len(early))
    errors = []

    def run(action):
        try:
            barrier.wait()
            action()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    actions = [lambda u=u: services.register(session=session, user=u) for u in crowd]
    actions += [
        lambda u=u: services.cancel(registration=Registration.objects.get(user=u), actor=u)
        for u in early
    ]
    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    counts = {
        status: Registration.objects.filter(session=session, status=status).count()
        for status in Status.values
    }
    assert counts[Status.CONFIRMED] == 5
    assert counts[Status.WAITING] == 12 - 5
    assert counts[Status.CANCELLED] == 2


@pytest.mark.django_db
def test_attendance_and_certificates_only_for_attendees(
    client, coordinator, django_capture_on_commit_callbacks
):
    """The organiser marks attendance once the session started; only those present get
    a certificate (a PDF), the others are refused."""
    session = make_session(capacity=5)
    present, absent = people(2)
    services.register(session=session, user=present)
    services.register(session=session, user=absent)
    reg = Registration.objects.get(user=present)
    with pytest.raises(ValidationError):
        services.attendance_mark(actor=coordinator, session=session, present_ids=[reg.pk])
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    session.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.attendance_mark(actor=present, session=session, present_ids=[reg.pk])
    assert services.attendance_mark(actor=coordinator, session=session, present_ids=[reg.pk]) == 1
    url = reverse("guide:training-certificate", args=[session.pk])
    client.force_login(absent)
    assert client.get(url).status_code == 403
    client.force_login(present)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.django_db
def test_feedback_once_by_attendees(client):
    """The short feedback form is for attendees, once."""
    session = make_session(days=-1)
    attendee, other = people(2)
    reg = Registration.objects.create(
        session=session, user=attendee, status=Status.CONFIRMED, attended=True
    )
    Registration.objects.create(
        session=session, user=other, status=Status.CONFIRMED, attended=False
    )
    url = reverse("guide:training-feedback", args=[session.pk])
    client.force_login(other)
    assert client.get(url).status_code == 403
    client.force_login(attendee)
    response = client.post(url, {"rating": "5", "liked": "Exemplele", "improve": ""})
    assert response.status_code == 302
    assert reg.feedback.rating == 5
    with pytest.raises(ValidationError):
        services.feedback_give(registration=reg, actor=attendee, rating=4)


@pytest.mark.django_db
def test_reminders_go_once(django_capture_on_commit_callbacks):
    """The reminders of the sessions of the next two days go once per person."""
    soon = make_session(days=1, capacity=3)
    later = make_session(days=10, capacity=3)
    a, b = people(2)
    services.register(session=soon, user=a)
    services.register(session=later, user=b)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.send_reminders()
    assert [m.to for m in mail.outbox] == [[a.email]]


@pytest.mark.django_db
def test_ical_file(client):
    """The session's iCal file has its topic, times and place."""
    session = make_session()
    response = client.get(reverse("guide:training-calendar", args=[session.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body
    assert f"training-{session.pk}@conect" in body
    assert "Palatul Victoria" in body
    assert "DTSTART:" + session.starts_at.strftime("%Y%m%dT%H%M%SZ") in body


@pytest.mark.django_db
def test_registration_records_the_one_institution(civil_servant, institution):
    """A civil servant of one institution is counted for it."""
    session = make_session()
    registration = services.register(session=session, user=civil_servant)
    assert registration.institution_id == institution.pk
    assert InstitutionStaff.objects.filter(user=civil_servant).count() == 1


def _feedback_questionnaire(author, **extra):
    from surveys.models import Question
    from tests.surveys.conftest import add_question, make_survey, open_survey

    survey = make_survey(author, **extra)
    add_question(survey, author, Question.Kind.SCALE, "Cât de utilă a fost sesiunea?")
    return survey, lambda: open_survey(survey, author)


@pytest.mark.django_db
def test_feedback_through_the_sessions_questionnaire(
    client, coordinator, django_capture_on_commit_callbacks
):
    """When the organiser chose a questionnaire of the questionnaires app, the attendees
    are sent to it (the e-mail, the session's page, the built-in form's address); while
    it is not open, they get the short built-in form."""
    from surveys.models import Survey

    survey, open_it = _feedback_questionnaire(coordinator, audience=Survey.Audience.SIGNED_IN)
    session = make_session(days=-1)
    services.session_save(actor=coordinator, session=session, feedback_survey=survey)
    (attendee,) = people(1)
    Registration.objects.create(
        session=session, user=attendee, status=Status.CONFIRMED, attended=True
    )
    answer_url = reverse("surveys:answer", args=[survey.pk])
    builtin_url = reverse("guide:training-feedback", args=[session.pk])
    client.force_login(attendee)

    # A draft questionnaire cannot be answered yet: the built-in form is used.
    assert builtin_url in client.get(session.get_absolute_url()).content.decode()
    assert client.get(builtin_url).status_code == 200

    open_it()
    page = client.get(session.get_absolute_url()).content.decode()
    assert answer_url in page and builtin_url not in page
    response = client.get(builtin_url)
    assert response.status_code == 302 and response["Location"] == answer_url
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_feedback_requests() == 1
    assert [m.to for m in mail.outbox] == [[attendee.email]]
    assert answer_url in mail.outbox[0].body
    assert client.get(answer_url).status_code == 200


@pytest.mark.django_db
def test_feedback_questionnaire_must_be_answerable_and_managed(
    client, coordinator, civil_servant, institution
):
    """An organiser may choose only a questionnaire they manage that the attendees can
    answer (not a roster's); a refused choice changes nothing, and the form offers only
    the usable ones."""
    from surveys.models import Survey

    own, _open = _feedback_questionnaire(civil_servant, audience=Survey.Audience.SIGNED_IN)
    roster, _open = _feedback_questionnaire(civil_servant, audience=Survey.Audience.ROSTER)
    others, _open = _feedback_questionnaire(coordinator, audience=Survey.Audience.PUBLIC)
    session = make_session(institution=institution)

    for survey, message in (
        (roster, "cannot answer a questionnaire meant for a roster"),
        (others, "Choose a questionnaire that you manage."),
    ):
        with pytest.raises(ValidationError) as error:
            services.session_save(actor=civil_servant, session=session, feedback_survey=survey)
        assert message in str(error.value.message_dict["feedback_survey"])
        session.refresh_from_db()
        assert session.feedback_survey_id is None

    client.force_login(civil_servant)
    form = client.get(reverse("guide:training-edit", args=[session.pk])).context["form"]
    assert list(form.fields["feedback_survey"].queryset) == [own]
    services.session_save(actor=civil_servant, session=session, feedback_survey=own)
    session.refresh_from_db()
    assert session.feedback_survey == own
    # A coordinator's choice stays when the organiser changes something else.
    services.session_save(actor=coordinator, session=session, feedback_survey=others)
    session.refresh_from_db()
    services.session_save(actor=civil_servant, session=session, trainers="Alt Formator")
    session.refresh_from_db()
    assert session.feedback_survey == others
