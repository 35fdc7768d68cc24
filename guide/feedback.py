"""Where an attendee gives feedback after a training session.

The organiser may choose a questionnaire of the questionnaires app (surveys) as the
session's feedback questionnaire (`TrainingSession.feedback_survey`): while it accepts
answers, the feedback request and the session's page send the attendees there. Without
one (or once it no longer accepts answers) the short built-in form
(guide:training-feedback) is used.

Another app may still add a provider (in its AppConfig.ready()):

    from guide.feedback import register_feedback_provider
    register_feedback_provider(lambda registration: url_or_none(registration))

A provider returns None for the sessions it has nothing for.
"""

from collections.abc import Callable

from django.urls import reverse

Provider = Callable[[object], str | None]
PROVIDERS: list[Provider] = []


def register_feedback_provider(provider: Provider) -> None:
    PROVIDERS.append(provider)


def feedback_survey(session):
    """The session's feedback questionnaire when it accepts answers now, else None
    (no query when `feedback_survey` was read with the session)."""
    if not session.feedback_survey_id:
        return None
    survey = session.feedback_survey
    return survey if survey is not None and survey.is_accepting else None


def feedback_url(registration, session=None) -> str:
    """Where this attendee answers: the session's questionnaire, a provider's address,
    or the built-in form."""
    session = session or registration.session
    survey = feedback_survey(session)
    if survey is not None:
        return reverse("surveys:answer", args=[survey.pk])
    for provider in PROVIDERS:
        url = provider(registration)
        if url:
            return url
    return reverse("guide:training-feedback", args=[registration.session_id])
