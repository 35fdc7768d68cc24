"""Fixtures for questionnaires: a survey of each audience, with questions of every type."""

import datetime

import pytest
from django.utils import timezone

from surveys import services
from surveys.models import Invitation, Question, Survey

K = Question.Kind


def texts(ro, en=None, hu=None):
    value = {"ro": ro, "en": en or f"{ro} (en)"}
    if hu:
        value["hu"] = hu
    return value


def labels(*names):
    return [texts(name, f"{name}-en") for name in names]


def make_survey(author, *, audience=Survey.Audience.PUBLIC, status=Survey.Status.DRAFT, **extra):
    """A survey made through the service, then put in `status` directly."""
    values = {
        "title": texts("Chestionar despre consultare", "Questionnaire on consultation"),
        "intro": texts("Introducere", "Introduction"),
        "audience": audience,
        "deadline": timezone.now() + datetime.timedelta(days=10),
        "reminder_days": [7, 2],
    }
    if audience == Survey.Audience.ROSTER:
        values["roster_kind"] = Survey.RosterKind.ORGANISATIONS
    values.update(extra)
    survey = services.survey_create(actor=author, **values)
    return survey


def add_question(survey, author, kind, text="Întrebare", *, choices=(), rows=(), **extra):
    return services.question_create(
        survey=survey,
        actor=author,
        kind=kind,
        text=texts(text),
        choice_labels=labels(*choices),
        row_labels=labels(*rows),
        **extra,
    )


def open_survey(survey, author):
    return services.survey_transition(survey=survey, actor=author, name="open")


@pytest.fixture
def author(coordinator):
    return coordinator


@pytest.fixture
def survey(author):
    return make_survey(author)


@pytest.fixture
def roster_survey(author, organisation):
    survey = make_survey(author, audience=Survey.Audience.ROSTER)
    add_question(survey, author, K.YES_NO, "Consultați ONG-urile?", required=True)
    Invitation.objects.create(survey=survey, organisation=organisation)
    return survey


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media-private"
