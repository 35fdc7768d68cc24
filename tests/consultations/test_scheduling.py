"""Announcing a consultation ahead of its opening: it is public at once, accepts no
recommendation before its planned date, opens by itself on that date (Celery beat) and
only then tells its followers; the institution may open it earlier or withdraw it."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations import dates, services, tasks
from consultations.models import Consultation, Follow, Notification
from registry.map.selectors import compute_map_statistics

from ..conftest import make_user
from .conftest import make_consultation

State = Consultation.State


@pytest.fixture
def draft(institution, domain):
    """A draft that plans to open in a week, with legal dates."""
    opens_on = dates.local_today() + datetime.timedelta(days=7)
    consultation = make_consultation(
        institution,
        state=State.DRAFT,
        opens_on=opens_on,
        closes_on=dates.earliest_close(opens_on) + datetime.timedelta(days=2),
        planned_adoption_on=dates.earliest_adoption(opens_on) + datetime.timedelta(days=30),
    )
    consultation.domains.add(domain)
    return consultation


@pytest.fixture
def follower(domain):
    user = make_user("urmaritor@example.org", name="Urmăritor")
    Follow.objects.create(user=user, domain=domain)
    return user


def _schedule(draft, civil_servant, capture):
    with capture(execute=True):
        return services.consultation_transition(
            consultation=draft, actor=civil_servant, name="schedule"
        )


def test_announced_consultation_is_public_but_closed_to_recommendations(
    client, draft, civil_servant, citizen, follower, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    scheduled = _schedule(draft, civil_servant, django_capture_on_commit_callbacks)
    assert scheduled.state == State.SCHEDULED and scheduled.published_at is not None
    assert scheduled.opens_on == draft.opens_on  # unchanged: it opens on its planned date
    # Followers hear of the announcement at once, with the dates of the window.
    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert "has announced a public consultation" in mail.outbox[0].body
    assert Notification.objects.get().kind == "announced"
    page = client.get(scheduled.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Opens on" in html and "announced, opening on a set date" in html
    assert scheduled in client.get(reverse("consultations:list")).context["page"]
    client.force_login(citizen)
    assert not citizen.has_perm("consultations.add_recommendation", scheduled)
    with pytest.raises(ValidationError):
        services.check_accepting(scheduled)
    assert compute_map_statistics()["total"]["consultations"] == 0


def test_the_platform_opens_it_on_its_date_and_tells_followers_once(
    draft, civil_servant, follower, django_capture_on_commit_callbacks, monkeypatch
):
    scheduled = _schedule(draft, civil_servant, django_capture_on_commit_callbacks)
    assert tasks.open_due_consultations() == []  # not yet
    planned = scheduled.opens_on
    monkeypatch.setattr(dates, "local_today", lambda: planned)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.open_due_consultations() == [scheduled.pk]
    scheduled.refresh_from_db()
    assert scheduled.state == State.OPEN and scheduled.opens_on == planned
    assert scheduled.transitions.filter(to_state=State.OPEN, actor=None).exists()
    assert [m.to for m in mail.outbox] == [[follower.email]]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.open_due_consultations() == []  # a second run changes nothing
    assert len(mail.outbox) == 1


def test_the_institution_may_open_it_earlier_by_hand(
    draft, civil_servant, follower, django_capture_on_commit_callbacks
):
    scheduled = _schedule(draft, civil_servant, django_capture_on_commit_callbacks)
    assert civil_servant.has_perm("consultations.open_consultation", scheduled)
    with django_capture_on_commit_callbacks(execute=True):
        opened = services.consultation_transition(
            consultation=scheduled, actor=civil_servant, name="open"
        )
    assert opened.state == State.OPEN and opened.opens_on == dates.local_today()
    assert Notification.objects.filter(user=follower, kind="opened").count() == 1


def test_only_a_future_and_legal_opening_can_be_announced(
    institution, civil_servant, django_capture_on_commit_callbacks
):
    today = dates.local_today()
    for opens_on, closes_on, message in (
        (today, today + datetime.timedelta(days=20), "publish the consultation now"),
        (
            today + datetime.timedelta(days=3),
            today + datetime.timedelta(days=5),
            "would break the legal deadlines",
        ),
    ):
        draft = make_consultation(
            institution,
            state=State.DRAFT,
            opens_on=opens_on,
            closes_on=closes_on,
            planned_adoption_on=dates.earliest_adoption(opens_on) + datetime.timedelta(days=30),
        )
        with pytest.raises(ValidationError) as error:
            _schedule(draft, civil_servant, django_capture_on_commit_callbacks)
        assert message in str(error.value)
        draft.refresh_from_db()
        assert draft.state == State.DRAFT and draft.published_at is None


def test_an_announced_consultation_keeps_a_future_opening_and_can_be_withdrawn(
    draft, civil_servant, django_capture_on_commit_callbacks
):
    scheduled = _schedule(draft, civil_servant, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as error:
        services.consultation_update(
            consultation=scheduled, actor=civil_servant, opens_on=dates.local_today()
        )
    assert "opens_on" in error.value.error_dict
    later = scheduled.opens_on + datetime.timedelta(days=1)
    services.consultation_update(
        consultation=scheduled,
        actor=civil_servant,
        opens_on=later,
        closes_on=scheduled.closes_on + datetime.timedelta(days=1),
    )
    scheduled.refresh_from_db()
    assert scheduled.opens_on == later and scheduled.state == State.SCHEDULED
    withdrawn = services.consultation_transition(
        consultation=scheduled, actor=civil_servant, name="withdraw", reason="Amânat."
    )
    assert withdrawn.state == State.WITHDRAWN


def test_the_draft_page_offers_both_ways_to_publish(client, draft, civil_servant):
    client.force_login(civil_servant)
    html = client.get(draft.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("consultations:transition", args=[draft.pk, "schedule"]) in html
    assert reverse("consultations:transition", args=[draft.pk, "publish"]) in html
