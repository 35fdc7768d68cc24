"""Recommendations: sent, changed and reported by the public."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conect.accounts.rules import is_verified
from registry.models import Institution, Organisation
from registry.rules.predicates import is_institution_staff, is_organisation_member

from ..models import Article, Consultation, Recommendation, RecommendationReport
from ..uploads import check_upload
from .common import (
    MAX_RECOMMENDATION_CHARS,
    State,
    clean_rich_text,
    format_day,
    recommendations_changed,
)


class DuplicateSubmission(ValidationError):
    """The same form was sent twice; `recommendation` is the one already saved."""

    def __init__(self, recommendation):
        super().__init__(
            _("This recommendation was already sent; it was not saved a second time."),
            code="duplicate",
        )
        self.recommendation = recommendation


def check_accepting(consultation: Consultation) -> None:
    """Raise a clear ValidationError unless recommendations are accepted now."""
    if consultation.state != State.OPEN:
        raise ValidationError(
            _("This consultation is not open for recommendations (it is %(state)s).")
            % {"state": consultation.get_state_display()},
            code="not_open",
        )
    if timezone.now() > consultation.closes_at:
        raise ValidationError(
            _("The window for recommendations closed at the end of %(date)s.")
            % {"date": format_day(consultation.closes_on)},
            code="window_closed",
        )


def _clean_recommendation_text(text: str) -> str:
    cleaned = clean_rich_text(text)
    if not strip_tags(cleaned).strip():
        raise ValidationError({"text": _("Write your recommendation.")})
    if len(cleaned) > MAX_RECOMMENDATION_CHARS:
        raise ValidationError(
            {
                "text": _("The recommendation is too long: at most %(max)d characters.")
                % {"max": MAX_RECOMMENDATION_CHARS}
            }
        )
    return cleaned


def _check_article(consultation, article) -> None:
    if article is not None and article.consultation_id != consultation.pk:
        raise ValidationError({"article": _("Choose an article of this consultation.")})


def _attach(recommendation: Recommendation, attachment) -> None:
    checked = check_upload(attachment, max_bytes=settings.CONSULTATION_ATTACHMENT_MAX_BYTES)
    recommendation.attachment_name = (attachment.name or "attachment")[-255:]
    recommendation.attachment_type = checked.content_type
    recommendation.attachment.save(f"attachment.{checked.extension}", attachment, save=False)


def recommendation_submit(
    *,
    consultation: Consultation,
    author,
    text: str,
    submission_key: uuid.UUID,
    organisation: Organisation | None = None,
    article: Article | None = None,
    attachment=None,
    hide_name: bool = False,
) -> Recommendation:
    """Send a recommendation while the window is open.

    The same form (same `submission_key`) is saved once: a second send raises
    DuplicateSubmission. A user sends at most CONSULTATION_RECOMMENDATIONS_PER_HOUR
    recommendations an hour. With pre-moderation the recommendation waits for approval.
    """
    if not is_verified(author):
        raise PermissionDenied(
            _("Only users with a verified e-mail address can send recommendations.")
        )
    if is_institution_staff(author, Institution(pk=consultation.institution_id)):
        raise PermissionDenied(
            _("The institution's own civil servants cannot send recommendations to it.")
        )
    check_accepting(consultation)
    existing = Recommendation.objects.filter(author=author, submission_key=submission_key).first()
    if existing is not None:
        raise DuplicateSubmission(existing)
    if organisation is not None and not is_organisation_member(author, organisation):
        raise ValidationError(
            {"organisation": _("You can write only on behalf of an organisation you belong to.")}
        )
    _check_article(consultation, article)
    cleaned = _clean_recommendation_text(text)
    limit = settings.CONSULTATION_RECOMMENDATIONS_PER_HOUR
    recent = Recommendation.objects.filter(
        author=author, created_at__gte=timezone.now() - datetime.timedelta(hours=1)
    ).count()
    if recent >= limit:
        raise ValidationError(
            ngettext(
                "You have sent %(count)d recommendation in the last hour, the most allowed; "
                "please try again later.",
                "You have sent %(count)d recommendations in the last hour, the most allowed; "
                "please try again later.",
                recent,
            )
            % {"count": recent},
            code="rate_limited",
        )
    recommendation = Recommendation(
        consultation=consultation,
        author=author,
        organisation=organisation,
        article=article,
        text=cleaned,
        hide_name=bool(hide_name) and organisation is None,
        submission_key=submission_key,
        status=(
            Recommendation.Status.PENDING
            if consultation.moderation == Consultation.Moderation.PRE
            else Recommendation.Status.PUBLISHED
        ),
    )
    if attachment:
        _attach(recommendation, attachment)
    try:
        recommendation.full_clean(exclude=["attachment"])
        with transaction.atomic():
            recommendation.save()
            recommendations_changed(recommendation.consultation_id)
    except IntegrityError:
        if recommendation.attachment:
            recommendation.attachment.delete(save=False)
        existing = Recommendation.objects.filter(
            author=author, submission_key=submission_key
        ).first()
        if existing is not None:
            raise DuplicateSubmission(existing) from None
        raise
    except ValidationError:
        if recommendation.attachment:
            recommendation.attachment.delete(save=False)
        raise
    return recommendation


def recommendation_update(
    *,
    recommendation: Recommendation,
    actor,
    text: str,
    article: Article | None = None,
    hide_name: bool | None = None,
    attachment=None,
    remove_attachment: bool = False,
) -> Recommendation:
    """The author edits their recommendation while the window is open. Under
    pre-moderation an edited recommendation waits for approval again."""
    if actor is None or recommendation.author_id != actor.pk:
        raise PermissionDenied(_("Only the author can edit this recommendation."))
    consultation = recommendation.consultation
    check_accepting(consultation)
    if recommendation.status == Recommendation.Status.HIDDEN:
        raise ValidationError(_("A recommendation hidden by the moderators cannot be edited."))
    _check_article(consultation, article)
    cleaned = _clean_recommendation_text(text)
    old_attachment = recommendation.attachment.name if recommendation.attachment else ""
    recommendation.text = cleaned
    recommendation.article = article
    if hide_name is not None and recommendation.organisation_id is None:
        recommendation.hide_name = hide_name
    if attachment:
        _attach(recommendation, attachment)
    elif remove_attachment:
        recommendation.attachment = ""
        recommendation.attachment_name = ""
        recommendation.attachment_type = ""
    if consultation.moderation == Consultation.Moderation.PRE:
        recommendation.status = Recommendation.Status.PENDING
    recommendation.edited_at = timezone.now()
    recommendation.full_clean(exclude=["attachment"])
    recommendation.save()
    recommendations_changed(recommendation.consultation_id)
    if old_attachment and old_attachment != (recommendation.attachment.name or ""):
        recommendation.attachment.storage.delete(old_attachment)
    return recommendation


def recommendation_report(*, recommendation: Recommendation, reporter, reason: str):
    """A signed-in user reports a published recommendation, once; it rises in the
    moderators' queue."""
    if reporter is None or not reporter.is_authenticated:
        raise PermissionDenied(_("Sign in to report a recommendation."))
    if recommendation.author_id == reporter.pk:
        raise ValidationError(_("You cannot report your own recommendation."))
    if recommendation.status != Recommendation.Status.PUBLISHED:
        raise ValidationError(_("Only a published recommendation can be reported."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong with this recommendation.")})
    try:
        with transaction.atomic():
            report = RecommendationReport.objects.create(
                recommendation=recommendation, reporter=reporter, reason=reason[:2000]
            )
            Recommendation.objects.filter(pk=recommendation.pk).update(
                report_count=F("report_count") + 1
            )
    except IntegrityError:
        raise ValidationError(_("You have already reported this recommendation.")) from None
    return report
