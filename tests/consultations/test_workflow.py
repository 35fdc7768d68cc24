"""The state machine of a consultation: every allowed transition works, every other is
refused with a message and changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from consultations import dates, services
from consultations.models import Consultation, ConsultationTransition, Recommendation
from consultations.workflow import TRANSITIONS

from .conftest import make_consultation, make_recommendation

State = Consultation.State
ALLOWED = [(name, source) for name, t in TRANSITIONS.items() for source in t.sources]
REFUSED = [
    (name, state)
    for name, t in TRANSITIONS.items()
    for state in State.values
    if state not in t.sources
]


def _data_for(name):
    return {
        "adopt": {
            "adopted_act_url": "https://legislatie.just.ro/act/1",
            "adopted_on": dates.local_today(),
        },
        "withdraw": {"reason": "Proiectul a fost abandonat."},
        "synthesise": {"synthesis_summary": "Am primit 0 recomandări."},
    }.get(name, {})


def _ready_for(name, state, institution):
    """A consultation in `state` that meets the other conditions of `name`."""
    extra = {}
    if name == "close" and state == State.OPEN:
        today = dates.local_today()
        extra = {
            "opens_on": today - datetime.timedelta(days=15),
            "closes_on": today - datetime.timedelta(days=1),
        }
    if name in ("publish", "open"):  # opening today, with legal dates from today
        today = dates.local_today()
        extra = {
            "opens_on": today,
            "closes_on": today + datetime.timedelta(days=12),
            "planned_adoption_on": dates.add_working_days(today, 31),
        }
    return make_consultation(institution, state=state, **extra)


@pytest.mark.parametrize(("name", "source"), ALLOWED)
def test_every_allowed_transition(name, source, institution, civil_servant):
    """A civil servant of the owning institution moves the consultation along each allowed
    transition; the change appears in the public timeline."""
    consultation = _ready_for(name, source, institution)
    result = services.consultation_transition(
        consultation=consultation, actor=civil_servant, name=name, **_data_for(name)
    )
    consultation.refresh_from_db()
    assert consultation.state == TRANSITIONS[name].target == result.state
    entry = ConsultationTransition.objects.get(consultation=consultation)
    assert (entry.from_state, entry.to_state, entry.actor) == (
        source,
        TRANSITIONS[name].target,
        civil_servant,
    )


@pytest.mark.parametrize(("name", "state"), REFUSED)
def test_every_refused_transition(name, state, institution, civil_servant):
    """A transition from a state it does not leave is refused with a message naming the
    state; nothing changes."""
    consultation = _ready_for(name, state, institution)
    before = Consultation.objects.filter(pk=consultation.pk).values().get()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.consultation_transition(
            consultation=consultation, actor=civil_servant, name=name, **_data_for(name)
        )
    assert "is not possible while the consultation is" in str(error.value)
    assert Consultation.objects.filter(pk=consultation.pk).values().get() == before
    assert not ConsultationTransition.objects.exists()


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_another_institution_cannot_move_the_consultation(
    name, institution, other_civil_servant, coordinator
):
    """A civil servant of another institution, or a coordinator, cannot change the state."""
    consultation = _ready_for(name, TRANSITIONS[name].sources[0], institution)
    for actor in (other_civil_servant, coordinator):
        with pytest.raises(PermissionDenied):
            services.consultation_transition(
                consultation=consultation, actor=actor, name=name, **_data_for(name)
            )
    consultation.refresh_from_db()
    assert consultation.state == TRANSITIONS[name].sources[0]


def test_publishing_freezes_the_announcement_date_and_checks_the_law(institution, civil_servant):
    """Publishing announces the draft today; if today breaks the minimums, it is refused."""
    today = dates.local_today()
    consultation = make_consultation(
        institution,
        state=State.DRAFT,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=5),
        planned_adoption_on=today + datetime.timedelta(days=20),
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.consultation_transition(
            consultation=consultation, actor=civil_servant, name="publish"
        )
    assert "change its dates first" in str(error.value)
    consultation.refresh_from_db()
    assert consultation.state == State.DRAFT and consultation.published_at is None

    services.consultation_update(
        consultation=consultation,
        actor=civil_servant,
        closes_on=today + datetime.timedelta(days=10),
        planned_adoption_on=dates.earliest_adoption(today),
    )
    services.consultation_transition(consultation=consultation, actor=civil_servant, name="publish")
    consultation.refresh_from_db()
    assert consultation.state == State.OPEN
    assert consultation.opens_on == today
    assert consultation.window_days == 10
    assert consultation.announcement_working_days == 30


def test_urgency_lets_a_short_consultation_open(institution, civil_servant):
    """With the urgency procedure and its public justification, shorter dates are accepted."""
    today = dates.local_today()
    consultation = make_consultation(
        institution,
        state=State.DRAFT,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=3),
        planned_adoption_on=today + datetime.timedelta(days=5),
        is_urgent=True,
        urgency_justification="Transpunerea directivei UE expiră.",
    )
    services.consultation_transition(consultation=consultation, actor=civil_servant, name="publish")
    consultation.refresh_from_db()
    assert consultation.state == State.OPEN and consultation.window_days == 3


def test_the_window_cannot_be_closed_early(institution, civil_servant):
    """While its last day has not ended, a window cannot be closed, by hand or by the beat."""
    consultation = make_consultation(institution, state=State.OPEN)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.consultation_transition(
            consultation=consultation, actor=civil_servant, name="close"
        )
    assert "cannot be closed earlier" in str(error.value)
    assert services.close_expired_consultations() == []
    consultation.refresh_from_db()
    assert consultation.state == State.OPEN


def test_expired_windows_close_by_themselves(institution):
    """The beat task closes every open consultation whose last day has passed, and only those."""
    today = dates.local_today()
    expired = make_consultation(
        institution,
        opens_on=today - datetime.timedelta(days=12),
        closes_on=today - datetime.timedelta(days=1),
    )
    running = make_consultation(institution)
    assert services.close_expired_consultations() == [expired.pk]
    expired.refresh_from_db()
    running.refresh_from_db()
    assert expired.state == State.CLOSED and expired.closed_at is not None
    assert running.state == State.OPEN
    assert ConsultationTransition.objects.get(consultation=expired).actor is None


def test_analysis_waits_for_moderation(institution, civil_servant, citizen):
    """Recommendations awaiting pre-moderation must be handled before the analysis."""
    consultation = make_consultation(institution, state=State.CLOSED)
    make_recommendation(consultation, citizen, status=Recommendation.Status.PENDING)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.consultation_transition(
            consultation=consultation, actor=civil_servant, name="analyse"
        )
    assert "awaits moderation" in str(error.value)


def test_synthesis_needs_a_disposition_for_every_published_recommendation(
    institution, civil_servant, citizen
):
    """The synthesis cannot be published while a published recommendation is unanswered;
    hidden ones need none. It records how late it is."""
    consultation = make_consultation(institution, state=State.UNDER_ANALYSIS)
    answered = make_recommendation(consultation, citizen)
    make_recommendation(consultation, citizen, status=Recommendation.Status.HIDDEN)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.consultation_transition(
            consultation=consultation, actor=civil_servant, name="synthesise"
        )
    assert "1 published recommendation has no disposition" in str(error.value)
    services.recommendations_answer(
        consultation=consultation,
        actor=civil_servant,
        recommendation_ids=[answered.pk],
        disposition=Recommendation.Disposition.ACCEPTED,
        justification="Preluată în art. 2.",
    )
    services.consultation_transition(
        consultation=consultation, actor=civil_servant, name="synthesise"
    )
    consultation.refresh_from_db()
    assert consultation.state == State.SYNTHESIS_PUBLISHED
    # Closed 20 days ago, due 10 days after closing: 10 days late.
    assert consultation.synthesis_days_late == 10


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"adopted_on": datetime.date(2024, 1, 1)}, "adopted_act_url"),
        ({"adopted_act_url": "javascript:alert(1)"}, "adopted_act_url"),
        ({"adopted_act_url": "https://example.ro/act"}, "adopted_on"),
    ],
)
def test_adoption_needs_a_link_and_a_date(data, field, institution, civil_servant):
    """Recording the adoption without a valid link or date is refused."""
    consultation = make_consultation(institution, state=State.SYNTHESIS_PUBLISHED)
    with pytest.raises(ValidationError) as error:
        services.consultation_transition(
            consultation=consultation, actor=civil_servant, name="adopt", **data
        )
    assert field in error.value.message_dict
    consultation.refresh_from_db()
    assert consultation.state == State.SYNTHESIS_PUBLISHED


def test_withdrawal_needs_a_public_reason(institution, civil_servant):
    consultation = make_consultation(institution, state=State.OPEN)
    with pytest.raises(ValidationError):
        services.consultation_transition(
            consultation=consultation, actor=civil_servant, name="withdraw", reason="  "
        )
    services.consultation_transition(
        consultation=consultation, actor=civil_servant, name="withdraw", reason="Abrogat."
    )
    consultation.refresh_from_db()
    assert consultation.state == State.WITHDRAWN
    assert consultation.withdrawn_reason == "Abrogat."
    assert consultation.transitions.get().note == "Abrogat."


def test_an_unknown_transition_is_refused(consultation, civil_servant):
    with pytest.raises(ValidationError):
        services.consultation_transition(consultation=consultation, actor=civil_servant, name="x")


# --- Creating and editing -----------------------------------------------------------


def _create(actor, institution, **extra):
    today = dates.local_today()
    values = {
        "actor": actor,
        "institution": institution,
        "title": "Proiect de ordin",
        "summary": "Rezumat <script>alert(1)</script>",
        "kind": Consultation.Kind.MINISTERIAL_ORDER,
        "opens_on": today,
        "closes_on": today + datetime.timedelta(days=10),
        "planned_adoption_on": dates.earliest_adoption(today),
        "is_national": True,
    }
    values.update(extra)
    return services.consultation_create(**values)


def test_a_civil_servant_creates_a_draft(institution, civil_servant, domain):
    """The draft belongs to the civil servant's institution; its summary is sanitised."""
    consultation = _create(civil_servant, institution, domains=[domain])
    assert consultation.state == State.DRAFT
    assert consultation.institution == institution
    assert "<script" not in consultation.summary
    assert list(consultation.domains.all()) == [domain]
    assert consultation.search_text.startswith("proiect de ordin")


def test_nobody_creates_for_an_institution_they_do_not_serve(
    institution, other_civil_servant, citizen
):
    for actor in (other_civil_servant, citizen):
        with pytest.raises(PermissionDenied):
            _create(actor, institution)
    assert not Consultation.objects.exists()


def test_creation_refuses_illegal_dates_and_a_missing_territory(institution, civil_servant):
    today = dates.local_today()
    with pytest.raises(ValidationError) as error:
        _create(civil_servant, institution, closes_on=today + datetime.timedelta(days=9))
    assert "closes_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _create(civil_servant, institution, is_national=False)
    assert "counties" in error.value.message_dict
    assert not Consultation.objects.exists()


def test_an_open_consultation_can_be_extended_never_shortened(consultation, civil_servant):
    """Once open, the window can be extended (and the frozen length follows) but not cut."""
    original = consultation.closes_on
    with pytest.raises(ValidationError):
        services.consultation_update(
            consultation=consultation,
            actor=civil_servant,
            closes_on=original - datetime.timedelta(days=1),
        )
    later = original + datetime.timedelta(days=5)
    services.consultation_update(
        consultation=consultation,
        actor=civil_servant,
        closes_on=later,
        planned_adoption_on=dates.add_working_days(consultation.opens_on, 45),
    )
    consultation.refresh_from_db()
    assert consultation.closes_on == later
    assert consultation.window_days == (later - consultation.opens_on).days


def test_an_open_consultation_keeps_its_kind_and_moderation(consultation, civil_servant):
    with pytest.raises(ValidationError):
        services.consultation_update(
            consultation=consultation, actor=civil_servant, kind=Consultation.Kind.OTHER
        )
    consultation.refresh_from_db()
    assert consultation.kind == Consultation.Kind.GOVERNMENT_DECISION


def test_a_closed_consultation_cannot_be_edited(institution, civil_servant):
    consultation = make_consultation(institution, state=State.CLOSED)
    with pytest.raises(ValidationError):
        services.consultation_update(consultation=consultation, actor=civil_servant, title="Nou")


def test_only_a_draft_can_be_deleted(institution, civil_servant):
    draft = make_consultation(institution, state=State.DRAFT)
    live = make_consultation(institution, state=State.OPEN)
    with pytest.raises(ValidationError):
        services.consultation_delete(consultation=live, actor=civil_servant)
    services.consultation_delete(consultation=draft, actor=civil_servant)
    assert list(Consultation.objects.all()) == [live]


def test_clock_properties(institution):
    """Days left while open; days overdue once the synthesis deadline passed."""
    today = dates.local_today()
    open_one = make_consultation(institution, closes_on=today + datetime.timedelta(days=4))
    assert open_one.days_left == 4
    assert open_one.is_accepting_recommendations
    closed = make_consultation(institution, state=State.CLOSED)
    assert closed.synthesis_days_overdue == 10
    assert not closed.is_accepting_recommendations
    last_day = make_consultation(institution, closes_on=today)
    assert last_day.is_accepting_recommendations
    assert last_day.closes_at > timezone.now()


def test_a_draft_without_a_document_cannot_be_published_or_announced(institution, civil_servant):
    """Publishing or announcing a draft with no document is refused with a message saying
    to add the draft act, and the draft stays as it was."""
    consultation = make_consultation(
        institution,
        state=State.DRAFT,
        with_document=False,
        opens_on=dates.local_today() + datetime.timedelta(days=3),
    )
    for name in ("publish", "schedule"):
        with translation.override("en"), pytest.raises(ValidationError) as error:
            services.consultation_transition(
                consultation=consultation, actor=civil_servant, name=name
            )
        assert "Add at least one document" in str(error.value)
    consultation.refresh_from_db()
    assert consultation.state == State.DRAFT and consultation.published_at is None
