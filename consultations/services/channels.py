"""Recommendations that reached the institution another way than this platform (e-mail,
post, a public debate, the phone, in person), recorded by its staff so that the synthesis,
the scoreboard and the annual report count every one."""

import datetime
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Organisation

from .. import dates
from ..models import Article, Channel, Consultation, Recommendation, RecommendationFile
from ..uploads import check_upload
from .common import State, format_day, recommendations_changed, require_staff
from .recommendations import _attach, _check_article, _clean_recommendation_text

# While recommendations are received or analysed; once the synthesis is published it
# must not change under its readers.
RECORDING_STATES = (State.OPEN, State.CLOSED, State.UNDER_ANALYSIS)
# Files of one recorded recommendation (a letter's scanned pages, its annexes).
MAX_FILES = 10
OFF_PLATFORM_CHANNELS = [value for value in Channel.values if value != Channel.ONLINE]


def recommendation_record(
    *,
    consultation: Consultation,
    actor,
    channel: str,
    received_on: datetime.date,
    text: str,
    organisation: Organisation | None = None,
    sender_name: str = "",
    sender_is_organisation: bool = False,
    name_consent: bool = False,
    article: Article | None = None,
    attachments: Sequence = (),
) -> Recommendation:
    """A civil servant of the owning institution records a recommendation received by
    e-mail, post, at a debate, by phone or in person, from the day the consultation
    opened. The sender is an organisation of the registry, or named as written; a
    person's name is published only with their consent ("A person" otherwise). It is
    public at once (the institution itself recorded it) and goes through the same
    dispositions as the others."""
    require_staff(actor, consultation)
    if consultation.state not in RECORDING_STATES:
        raise ValidationError(
            _(
                "Recommendations received another way can be recorded while the consultation "
                "is open, closed or under analysis (it is %(state)s)."
            )
            % {"state": consultation.get_state_display()}
        )
    errors: dict[str, list[str]] = {}
    if channel not in OFF_PLATFORM_CHANNELS:
        errors["channel"] = [_("Choose how the recommendation was received.")]
    today = dates.local_today()
    if received_on is None:
        errors["received_on"] = [_("Give the date the recommendation was received.")]
    elif received_on > today:
        errors["received_on"] = [_("The date received cannot be in the future.")]
    elif received_on < consultation.opens_on:
        errors["received_on"] = [
            _("The date received cannot come before the consultation opened (%(date)s).")
            % {"date": format_day(consultation.opens_on)}
        ]
    sender_name = (sender_name or "").strip()
    if organisation is not None:
        sender_name, sender_is_organisation = "", True
    elif not sender_name:
        errors["sender_name"] = [
            _("Choose the organisation from the registry, or write the sender's name.")
        ]
    if errors:
        raise ValidationError(errors)
    _check_article(consultation, article)
    cleaned = _clean_recommendation_text(text)
    recommendation = Recommendation(
        consultation=consultation,
        author=None,
        organisation=organisation,
        article=article,
        text=cleaned,
        channel=channel,
        received_on=received_on,
        sender_name=sender_name,
        sender_is_organisation=bool(sender_is_organisation),
        name_consent=bool(name_consent) and not sender_is_organisation,
        recorded_by=actor,
        status=Recommendation.Status.PUBLISHED,
        submission_key=uuid.uuid4(),
        # Counted (annual report, synthesis order) on the day it was received.
        created_at=dates.end_of_day(received_on) if received_on < today else timezone.now(),
    )
    attachments = [a for a in attachments if a]
    if len(attachments) > MAX_FILES:
        raise ValidationError({"attachments": _("At most %(count)d files.") % {"count": MAX_FILES}})
    extra: list[RecommendationFile] = []
    try:
        if attachments:
            _attach(recommendation, attachments[0])
        for uploaded in attachments[1:]:
            checked = check_upload(uploaded, max_bytes=settings.CONSULTATION_ATTACHMENT_MAX_BYTES)
            extra_file = RecommendationFile(
                recommendation=recommendation,
                name=(uploaded.name or "attachment")[-255:],
                content_type=checked.content_type,
            )
            extra_file.file.save(f"attachment.{checked.extension}", uploaded, save=False)
            extra.append(extra_file)
        recommendation.full_clean(exclude=["attachment"])
        with transaction.atomic():
            recommendation.save()
            for extra_file in extra:
                extra_file.recommendation = recommendation
            RecommendationFile.objects.bulk_create(extra)
            recommendations_changed(recommendation.consultation_id)
    except Exception:
        # Nothing stays behind: neither the row nor a file already stored.
        if recommendation.attachment:
            recommendation.attachment.delete(save=False)
        for extra_file in extra:
            extra_file.file.delete(save=False)
        raise
    return recommendation
