"""The state shown is the state by the clock: once its last day has passed, an open
consultation shows closed in the list, its badge, its page and the API, before the
scheduler has recorded it; `make run` runs the scheduler's jobs in-process."""

import datetime

from django.urls import reverse

from conect.core import jobs
from consultations import dates
from consultations.models import Consultation

from .conftest import make_consultation

State = Consultation.State


def _expired(institution, **extra):
    """Open in the database, its last day yesterday: the scheduler has not run yet."""
    today = dates.local_today()
    return make_consultation(
        institution,
        state=State.OPEN,
        opens_on=today - datetime.timedelta(days=15),
        closes_on=today - datetime.timedelta(days=1),
        **extra,
    )


def test_an_expired_window_shows_closed_everywhere(client, institution):
    """List, badge, page and API say closed; the open filter leaves it out and the
    closed filter finds it."""
    expired = _expired(institution, title="Termen trecut")
    running = make_consultation(institution, title="Încă deschisă")
    assert expired.current_state == State.CLOSED and running.current_state == State.OPEN
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(expired.get_absolute_url()).content.decode()
    assert '<span class="badge text-bg-secondary">closed to recommendations</span>' in page
    assert "open for recommendations</span>" not in page
    listing = client.get(reverse("consultations:list")).content.decode()
    assert listing.count('<span class="badge text-bg-success">open for recommendations') == 1
    assert listing.count('<span class="badge text-bg-secondary">closed to recommendations') == 1
    open_list = client.get(reverse("consultations:list") + "?state=open")
    assert [c.pk for c in open_list.context["page"]] == [running.pk]
    closed_list = client.get(reverse("consultations:list") + "?state=closed")
    assert [c.pk for c in closed_list.context["page"]] == [expired.pk]
    api = client.get(reverse("api-v1:consultation-detail", args=[expired.pk])).json()
    assert api["state"] == "closed"
    api_open = client.get(reverse("api-v1:consultation-list") + "?state=open").json()
    assert [row["id"] for row in api_open["results"]] == [running.pk]
    # Nothing was written: the scheduler records the closing.
    expired.refresh_from_db()
    assert expired.state == State.OPEN


def test_the_in_process_jobs_close_and_open_on_their_dates(institution, monkeypatch):
    """The runner `make run` starts runs the scheduler's interval jobs at once: the
    expired window is closed and the announced consultation whose day has come opens.
    Daily jobs (digests, reminders) wait for their hour."""
    # As Django's test client does: the test's transaction is the connection's, so the
    # runner must not close it between jobs.
    monkeypatch.setattr(jobs, "close_old_connections", lambda: None)
    expired = _expired(institution)
    today = dates.local_today()
    announced = make_consultation(
        institution,
        state=State.SCHEDULED,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=12),
        planned_adoption_on=dates.earliest_adoption(today),
    )
    runner = jobs.JobRunner()
    ran = runner.tick()
    assert "consultations-close-expired" in ran and "consultations-open-due" in ran
    assert "consultations-daily-digest" not in ran
    expired.refresh_from_db()
    announced.refresh_from_db()
    assert expired.state == State.CLOSED and announced.state == State.OPEN
    # Run again straight away: nothing is due.
    assert runner.tick() == []
