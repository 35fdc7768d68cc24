"""The states of a consultation and every allowed transition, listed in one place.

draft → open → closed → under analysis → synthesis published → adopted;
or draft → scheduled (announced, opening on its planned date) → open, which Celery beat
does on that date (the institution may open it earlier by hand);
withdrawn from any public state before adoption. A draft that is never published is
deleted instead. The window closes by itself at the end of its last day (Celery beat);
an institution may close it by hand only once that day has passed.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Consultation

State = Consultation.State


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    label: Promise
    done_message: Promise

    @property
    def permission(self) -> str:
        return f"consultations.{self.name}_consultation"


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "publish",
            (State.DRAFT,),
            State.OPEN,
            _("Publish and open for recommendations"),
            _("The consultation is published and open for recommendations."),
        ),
        Transition(
            "schedule",
            (State.DRAFT,),
            State.SCHEDULED,
            _("Announce now, open on the planned date"),
            _(
                "The consultation is announced; it will open for recommendations on its "
                "planned date and its followers will be told then."
            ),
        ),
        Transition(
            "open",
            (State.SCHEDULED,),
            State.OPEN,
            _("Open for recommendations now"),
            _("The consultation is open for recommendations."),
        ),
        Transition(
            "close",
            (State.OPEN,),
            State.CLOSED,
            _("Close the window for recommendations"),
            _("The window for recommendations is closed."),
        ),
        Transition(
            "analyse",
            (State.CLOSED,),
            State.UNDER_ANALYSIS,
            _("Start the analysis of the recommendations"),
            _("The recommendations are now under analysis."),
        ),
        Transition(
            "synthesise",
            (State.UNDER_ANALYSIS,),
            State.SYNTHESIS_PUBLISHED,
            _("Publish the synthesis"),
            _("The synthesis is published and the contributors are being notified."),
        ),
        Transition(
            "adopt",
            (State.SYNTHESIS_PUBLISHED,),
            State.ADOPTED,
            _("Record the adoption of the act"),
            _("The adoption of the act is recorded."),
        ),
        Transition(
            "withdraw",
            (
                State.SCHEDULED,
                State.OPEN,
                State.CLOSED,
                State.UNDER_ANALYSIS,
                State.SYNTHESIS_PUBLISHED,
            ),
            State.WITHDRAWN,
            _("Withdraw the draft"),
            _("The draft is withdrawn."),
        ),
    )
}


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]
