"""The demo `make run` loads shows every part of consultations alive: one consultation
in every state, with documents, recommendations, moderation, answers and a published
synthesis; and a registry the size of a country. On PostgreSQL (the suite's database)
and on SQLite (what `make run` uses)."""

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consultations import dates
from consultations.models import (
    AnnualReportStatement,
    Channel,
    Consultation,
    Debate,
    DebateRegistration,
    DebateRequest,
    Follow,
    ModerationLogEntry,
    Recommendation,
)
from consultations.services.common import check_dates
from registry.models import Organisation

State = Consultation.State
ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_has_a_consultation_in_every_state(client, db):
    """Every state is there, each public one opens as a page; the open one in
    pre-moderation has a recommendation awaiting approval, a reported one and a hidden
    one; the published synthesis answers every recommendation. Run again, it adds
    nothing."""
    call_command("seed_demo", "--country", "300", stdout=io.StringIO())
    states = set(Consultation.objects.values_list("state", flat=True))
    assert states == set(State.values)
    for consultation in Consultation.objects.exclude(state=State.DRAFT):
        assert consultation.documents.count() == 2
        response = client.get(consultation.get_absolute_url())
        assert response.status_code == 200, consultation.state
    statuses = set(Recommendation.objects.values_list("status", flat=True))
    assert statuses == set(Recommendation.Status.values)
    assert Recommendation.objects.filter(report_count__gt=0).exists()
    assert ModerationLogEntry.objects.filter(action="hidden").exists()
    published = Consultation.objects.get(state=State.SYNTHESIS_PUBLISHED)
    assert published.synthesis_published_at is not None
    assert not published.recommendations.filter(disposition="").exists()
    assert client.get(reverse("consultations:synthesis", args=[published.pk])).status_code == 200
    assert Follow.objects.filter(consultation__isnull=False).exists()
    assert Organisation.objects.count() >= 300
    before = (Consultation.objects.count(), Recommendation.objects.count())
    call_command("seed_demo", "--country", "300", stdout=io.StringIO())
    assert (Consultation.objects.count(), Recommendation.objects.count()) == before


def test_the_demo_shows_what_a_ministry_runs_beside_its_consultations(client, db):
    """Issue 17's parts are alive in the demo: recommendations recorded from every other
    channel (a person unnamed without consent, a scanned letter) on the consultation's
    page and in the synthesis; every draft with a legal endorsement date and the other
    places it was announced; debates requested, declined, upcoming with a waiting list
    and held with their speakers, minutes and recording; last year's annual report
    published and counting all of it."""
    call_command("seed_demo", "--country", "300", stdout=io.StringIO())
    recorded = Recommendation.objects.exclude(channel=Channel.ONLINE)
    assert set(recorded.values_list("channel", flat=True)) == set(Channel.values) - {"online"}
    assert recorded.exclude(attachment="").exists()
    for consultation in Consultation.objects.exclude(state=State.DRAFT):
        assert consultation.planned_endorsement_on is not None
        assert "e_consultare" in consultation.announcement_channels
        assert consultation.announcement_working_days >= 30
        errors = check_dates(
            opens_on=consultation.opens_on,
            closes_on=consultation.closes_on,
            planned_adoption_on=consultation.planned_adoption_on,
            planned_endorsement_on=consultation.planned_endorsement_on,
        )
        assert errors == {}, (consultation.title, errors)

    published = Consultation.objects.get(
        state=State.SYNTHESIS_PUBLISHED, title__contains="transportul școlar"
    )
    page = client.get(published.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Received by e-mail on" in page and "A person" in page
    assert "Elena Dumitrescu" not in page  # no consent
    assert "Vasile Pop" in page  # named with consent
    synthesis = client.get(
        reverse("consultations:synthesis", args=[published.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "at a public debate" in synthesis

    assert set(DebateRequest.objects.values_list("status", flat=True)) == set(
        DebateRequest.Status.values
    )
    assert DebateRequest.objects.filter(institution__isnull=False).exists()
    held = Debate.objects.get(consultation=published)
    assert held.ended_at and held.minutes_archived_on and held.recording_url
    assert held.registrations.filter(spoken_at__isnull=False).count() == 3
    assert client.get(reverse("consultations:debate-detail", args=[held.pk])).status_code == 200
    upcoming = Debate.objects.get(starts_at__gt=timezone.now())
    assert upcoming.registrations.filter(status=DebateRegistration.Status.WAITING).count() == 1
    assert client.get(reverse("consultations:debate-detail", args=[upcoming.pk])).status_code == 200

    statement = AnnualReportStatement.objects.get()
    assert statement.published_at is not None
    assert statement.year == dates.local_today().year - 1
    url = reverse(
        "consultations:annual-report-institution", args=[statement.institution_id, statement.year]
    )
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    report = response.context["report"]
    # Last year's consultation: 5 online, 2 recorded (post, e-mail); one debate, held at
    # another authority's request.
    assert report.recommendations_received == 7
    assert report.received_by_channel["post"] == 1 and report.online_share == 71
    assert report.debates_held == report.debates_held_for_authorities == 1
    assert report.adopted == 1 and report.associations_on_file == 3


def test_the_demo_loads_on_sqlite(tmp_path):
    """`make demo`'s commands on a fresh SQLite database: every state is there and the
    registry is topped up to the size asked."""
    database = tmp_path / "demo.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    env["PRIVATE_MEDIA_ROOT"] = str(tmp_path / "media-private")
    for command in (["migrate", "--no-input", "-v", "0"], ["seed_demo", "--country", "500"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=600
        )
    with sqlite3.connect(database) as db:
        states = {row[0] for row in db.execute("select state from consultations_consultation")}
        organisations = db.execute("select count(*) from registry_organisation").fetchone()[0]
    assert states == set(State.values)
    assert organisations >= 500
