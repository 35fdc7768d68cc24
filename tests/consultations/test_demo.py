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

from consultations.models import Consultation, Follow, ModerationLogEntry, Recommendation
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
