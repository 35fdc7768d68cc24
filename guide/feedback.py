"""Where an attendee gives feedback after a training session: the extension point for
the questionnaires app (issue 20, built in parallel).

`feedback_url(registration)` asks each registered provider in turn; the first that
returns an address wins, else the built-in short form (guide:training-feedback) is used.
When the questionnaires app exists, it (or the lead at merge) registers a provider in its
AppConfig.ready():

    from guide.feedback import register_feedback_provider
    register_feedback_provider(lambda registration: questionnaire_url_for(registration))

A provider returns None for the sessions it has no questionnaire for.
"""

from collections.abc import Callable

from django.urls import reverse

Provider = Callable[[object], str | None]
PROVIDERS: list[Provider] = []


def register_feedback_provider(provider: Provider) -> None:
    PROVIDERS.append(provider)


def feedback_url(registration) -> str:
    for provider in PROVIDERS:
        url = provider(registration)
        if url:
            return url
    return reverse("guide:training-feedback", args=[registration.session_id])
