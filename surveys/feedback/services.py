"""Every write of the feedback on public services.

Each function is keyword-only, checks who acts, validates (`full_clean`), writes in one
transaction and writes out its side effects: the monthly sums (`MonthlyIndex`) in the
answer's own transaction, the cache versions of the indices, the map's refresh and the
e-mail of a private answer (through the outbox). A refused action raises
`ValidationError` or `PermissionDenied` and changes nothing.
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conect.core import outbox
from conect.core.versions import bump_version

from .models import (
    PUBLIC_COMMENT_STATUSES,
    SATISFIED_FROM,
    Answer,
    CommentStatus,
    CommonService,
    MonthlyIndex,
    Reply,
    Service,
    SolvedChoice,
)

VERSION_KEY = "feedback:version"  # every index (national, by area, by service)
MAP_REFRESH_KEY = "feedback:map-refresh"
# The map's counts are cached under the registry's statistics version: while answers
# arrive, it is bumped at most once every MAP_REFRESH_SECONDS (and always after the
# last answer), not once per answer, so that the rest of the map stays cached.
MAP_REFRESH_SECONDS = 300
# (answers, seconds): from one client address over every service, and for one service.
RATE_LIMIT_PER_ADDRESS = (30, 60 * 60)
RATE_LIMIT_PER_SERVICE = (10, 60 * 60)

# The moderation of a comment: from each state, the decisions that may follow.
MODERATION_TRANSITIONS = {
    CommentStatus.PENDING: (CommentStatus.PUBLISHED, CommentStatus.EDITED, CommentStatus.REJECTED),
    CommentStatus.PUBLISHED: (CommentStatus.EDITED, CommentStatus.REJECTED),
    CommentStatus.EDITED: (CommentStatus.PUBLISHED, CommentStatus.EDITED, CommentStatus.REJECTED),
    CommentStatus.REJECTED: (CommentStatus.PUBLISHED, CommentStatus.EDITED),
}


def institution_version_key(institution_id: int) -> str:
    return f"feedback:version:institution:{institution_id}"


def _bump_indices(institution_id: int) -> None:
    bump_version(VERSION_KEY)
    bump_version(institution_version_key(institution_id))


def _require(actor, perm: str, obj=None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied


# --- The catalogue and the services ----------------------------------------------


SERVICE_FIELDS = (
    "name",
    "description",
    "channel",
    "county",
    "locality",
    "responsible",
    "poster_language",
    "is_active",
)


def common_service_create(*, actor, **data) -> CommonService:
    """A service of the coordinators' catalogue, for every institution of one kind."""
    _require(actor, "feedback.manage_catalogue")
    common = CommonService(created_by=actor, **data)
    common.full_clean()
    common.save()
    return common


COMMON_SERVICE_FIELDS = ("name", "description", "channel", "institution_kind")


def common_service_update(*, common: CommonService, actor, **changes) -> CommonService:
    """Correct a service of the catalogue. The services institutions adopted from it are
    their own copies and stay as they are; the kind of institutions changes only while
    none adopted it."""
    _require(actor, "feedback.manage_catalogue")
    unknown = set(changes) - set(COMMON_SERVICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    kind = changes.get("institution_kind", common.institution_kind)
    if kind != common.institution_kind and common.adoptions.exists():
        raise ValidationError(
            {
                "institution_kind": _(
                    "Institutions of this kind already adopted this service: add a new "
                    "service to the catalogue for the other kind."
                )
            }
        )
    for field, value in changes.items():
        setattr(common, field, value)
    common.full_clean()
    common.save(update_fields=sorted(changes) or None)
    return common


def common_service_delete(*, common: CommonService, actor) -> None:
    """Take a service out of the catalogue: no institution can adopt it any more; those
    that did keep their service, its answers and its index."""
    _require(actor, "feedback.manage_catalogue")
    common.delete()


@transaction.atomic
def common_services_create(
    *, actor, institution_kind: str, channel: str, names: list[str]
) -> tuple[list[CommonService], list[str]]:
    """Several services of the catalogue at once, for every institution of one kind: one
    per name (blank lines and repeats dropped). A name the catalogue already has for that
    kind (whatever its case) is left out and returned in the second list. A name that is
    not valid refuses the whole list, and nothing is added."""
    _require(actor, "feedback.manage_catalogue")
    wanted, seen = [], set()
    for name in names:
        name = " ".join(name.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            wanted.append(name)
    if not wanted:
        raise ValidationError({"names": _("Write at least one service, one per line.")})
    existing = {
        name.casefold()
        for name in CommonService.objects.filter(institution_kind=institution_kind).values_list(
            "name", flat=True
        )
    }
    created, skipped = [], []
    for name in wanted:
        if name.casefold() in existing:
            skipped.append(name)
            continue
        common = CommonService(
            name=name, channel=channel, institution_kind=institution_kind, created_by=actor
        )
        try:
            common.full_clean()
        except ValidationError as error:
            messages = [m for ms in error.message_dict.values() for m in ms]
            raise ValidationError(
                {"names": [f"“{name[:60]}”: {message}" for message in messages]}
            ) from error
        created.append(common)
    return CommonService.objects.bulk_create(created), skipped


def service_create(*, institution, actor, **data) -> Service:
    """A service of `institution`, with a new short address; its county is the
    institution's unless given."""
    _require(actor, "feedback.manage_services", institution)
    unknown = set(data) - set(SERVICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    service = Service(institution=institution, **data)
    if service.county_id is None:
        service.county_id = institution.county_id
    service.full_clean(exclude=["institution"])
    service.save()
    return service


@transaction.atomic
def service_update(*, service, actor, **changes) -> Service:
    """Change a service. A new county moves its past answers to that county in the
    indices as well (they were given there)."""
    _require(actor, "feedback.manage_services", service)
    unknown = set(changes) - set(SERVICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    old_county_id = service.county_id
    for field, value in changes.items():
        setattr(service, field, value)
    if service.county_id is None:
        service.county_id = service.institution.county_id
    service.full_clean(exclude=["institution", "common"])
    service.save(update_fields=sorted({*changes, "county"}))
    if service.county_id != old_county_id:
        region_id = service.county.region_id if service.county_id else None
        MonthlyIndex.objects.filter(service=service).update(
            county_id=service.county_id, region_id=region_id
        )
        _bump_indices(service.institution_id)
        _schedule_map_refresh()
    return service


@transaction.atomic
def common_services_adopt(*, institution, actor, common_services) -> list[Service]:
    """`institution` provides these services of the catalogue (of its own kind): one
    service each, in its county; a service adopted before is not adopted twice."""
    _require(actor, "feedback.manage_services", institution)
    wrong = [c for c in common_services if c.institution_kind != institution.kind]
    if wrong:
        raise ValidationError(
            _("“%(name)s” is not a service of institutions of this kind.") % {"name": wrong[0]}
        )
    adopted = set(
        Service.objects.filter(institution=institution, common__in=common_services).values_list(
            "common_id", flat=True
        )
    )
    created = []
    for common in common_services:
        if common.pk in adopted:
            continue
        service = Service(
            institution=institution,
            common=common,
            name=common.name,
            description=common.description,
            channel=common.channel,
            county_id=institution.county_id,
        )
        service.full_clean(exclude=["institution", "common"])
        created.append(service)
    return Service.objects.bulk_create(created)


# --- Answers -----------------------------------------------------------------------


class TooManyAnswers(Exception):
    """The client address gave too many answers lately (to this service or any)."""


def _client_key(address: str) -> str:
    """A keyed hash of the client address: the cache never holds the address itself, and
    the key means nothing outside this site. It lives as long as the rate limit's window."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def _within(key: str, limit: int, window: int) -> bool:
    """Count one more hit under `key` (expiring after `window` seconds); False past the
    limit."""
    if cache.add(key, 1, timeout=window):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return True


def check_rate_limit(*, service, client_address: str) -> None:
    """Raise TooManyAnswers when this address gave too many answers in the last hour,
    to this service or to any service."""
    client = _client_key(client_address or "unknown")
    per_address = getattr(settings, "FEEDBACK_RATE_LIMIT_PER_ADDRESS", RATE_LIMIT_PER_ADDRESS)
    per_service = getattr(settings, "FEEDBACK_RATE_LIMIT_PER_SERVICE", RATE_LIMIT_PER_SERVICE)
    ok_service = _within(f"feedback:rl:{client}:{service.pk}", *per_service)
    ok_address = _within(f"feedback:rl:{client}", *per_address)
    if not (ok_service and ok_address):
        raise TooManyAnswers


def month_of(moment) -> "timezone.datetime.date":
    return timezone.localtime(moment).date().replace(day=1)


_UPSERT = """
INSERT INTO feedback_monthlyindex (
    service_id, institution_id, county_id, region_id, month, answers, satisfied,
    satisfaction_sum, access_sum, access_n, clarity_sum, clarity_n, courtesy_sum,
    courtesy_n, timeliness_sum, timeliness_n, solved_yes, solved_n
) VALUES (%s, %s, %s, %s, %s, 1, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (service_id, month) DO UPDATE SET
    answers = feedback_monthlyindex.answers + 1,
    satisfied = feedback_monthlyindex.satisfied + EXCLUDED.satisfied,
    satisfaction_sum = feedback_monthlyindex.satisfaction_sum + EXCLUDED.satisfaction_sum,
    access_sum = feedback_monthlyindex.access_sum + EXCLUDED.access_sum,
    access_n = feedback_monthlyindex.access_n + EXCLUDED.access_n,
    clarity_sum = feedback_monthlyindex.clarity_sum + EXCLUDED.clarity_sum,
    clarity_n = feedback_monthlyindex.clarity_n + EXCLUDED.clarity_n,
    courtesy_sum = feedback_monthlyindex.courtesy_sum + EXCLUDED.courtesy_sum,
    courtesy_n = feedback_monthlyindex.courtesy_n + EXCLUDED.courtesy_n,
    timeliness_sum = feedback_monthlyindex.timeliness_sum + EXCLUDED.timeliness_sum,
    timeliness_n = feedback_monthlyindex.timeliness_n + EXCLUDED.timeliness_n,
    solved_yes = feedback_monthlyindex.solved_yes + EXCLUDED.solved_yes,
    solved_n = feedback_monthlyindex.solved_n + EXCLUDED.solved_n
"""


def _add_to_monthly_index(answer: Answer, *, county) -> None:
    """One atomic upsert: concurrent answers to one service in one month each add
    their own numbers (the row lock orders them; none is lost)."""
    params = [
        answer.service_id,
        answer.service.institution_id,
        county.pk if county else None,
        county.region_id if county else None,
        month_of(answer.created_at),
        int(answer.satisfaction >= SATISFIED_FROM),
        answer.satisfaction,
    ]
    for name in ("access", "clarity", "courtesy", "timeliness"):
        value = getattr(answer, name)
        params += [value or 0, int(value is not None)]
    params += [int(answer.solved == SolvedChoice.YES), int(bool(answer.solved))]
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, params)


def _schedule_map_refresh() -> None:
    from .tasks import refresh_map_statistics

    if cache.add(MAP_REFRESH_KEY, 1, timeout=MAP_REFRESH_SECONDS):
        transaction.on_commit(
            lambda: refresh_map_statistics.apply_async(countdown=MAP_REFRESH_SECONDS)
        )


def answer_submit(
    *,
    service: Service,
    client_address: str,
    language: str,
    satisfaction: int,
    access: int | None = None,
    clarity: int | None = None,
    courtesy: int | None = None,
    timeliness: int | None = None,
    solved: str = "",
    comment: str = "",
    email: str = "",
) -> Answer:
    """Record one person's answer, add it to the service's monthly sums in the same
    transaction and make the indices that count it be computed again. A comment waits
    for moderation before it is public. Nothing about the person is kept beyond what
    they typed; their address only counts towards the rate limit (raises TooManyAnswers),
    as a keyed hash in the cache, for an hour.

    `service` is read with its institution and county (and the institution's county)."""
    if not service.is_active:
        raise ValidationError(_("This service does not accept feedback any more."))
    comment = comment.strip()
    answer = Answer(
        service=service,
        language=language,
        satisfaction=satisfaction,
        access=access,
        clarity=clarity,
        courtesy=courtesy,
        timeliness=timeliness,
        solved=solved or "",
        comment=comment,
        comment_status=CommentStatus.PENDING if comment else CommentStatus.NONE,
        email=(email or "").strip(),
    )
    answer.full_clean(exclude=["service"])
    check_rate_limit(service=service, client_address=client_address)
    with transaction.atomic():
        answer.save()
        _add_to_monthly_index(answer, county=service.county or service.institution.county)
        _bump_indices(service.institution_id)
        _schedule_map_refresh()
    return answer


# --- Moderation and replies ---------------------------------------------------------


def comment_moderate(
    *, answer: Answer, actor, decision: str, public_comment: str = "", reason: str = ""
) -> Answer:
    """A coordinator's decision on a comment: publish it as written, publish it with
    personal data or insults removed (`public_comment`, with the `reason`), or keep it
    unpublished (with the `reason`)."""
    _require(actor, "feedback.moderate_answer", answer)
    allowed = MODERATION_TRANSITIONS.get(answer.comment_status, ())
    if decision not in allowed:
        raise ValidationError(_("This comment cannot be moderated this way now."))
    reason = reason.strip()
    public_comment = public_comment.strip()
    errors = {}
    if decision in (CommentStatus.EDITED, CommentStatus.REJECTED) and not reason:
        errors["reason"] = _("Say why the comment was changed or not published.")
    if decision == CommentStatus.EDITED and not public_comment:
        errors["public_comment"] = _("Write the comment as it will be published.")
    if errors:
        raise ValidationError(errors)
    answer.comment_status = decision
    answer.public_comment = {
        CommentStatus.PUBLISHED: answer.comment,
        CommentStatus.EDITED: public_comment,
        CommentStatus.REJECTED: "",
    }[decision]
    answer.moderation_reason = "" if decision == CommentStatus.PUBLISHED else reason
    answer.moderated_by = actor
    answer.moderated_at = timezone.now()
    answer.full_clean(exclude=["service"])
    answer.save(
        update_fields=[
            "comment_status",
            "public_comment",
            "moderation_reason",
            "moderated_by",
            "moderated_at",
        ]
    )
    return answer


def reply_create(*, answer: Answer, actor, body: str, visibility: str) -> Reply:
    """The institution's answer: public (shown under the comment once it is published)
    or private (e-mailed once to the address the person gave, which is then erased)."""
    _require(actor, "feedback.reply_answer", answer)
    if hasattr(answer, "reply"):
        raise ValidationError(_("This answer already has the institution's reply."))
    if visibility == Reply.Visibility.PRIVATE and not answer.email:
        raise ValidationError(
            {"visibility": _("The person left no e-mail address: answer publicly.")}
        )
    if visibility == Reply.Visibility.PUBLIC and answer.comment_status not in (
        *PUBLIC_COMMENT_STATUSES,
        CommentStatus.PENDING,
    ):
        raise ValidationError(
            {"visibility": _("There is no public comment to answer: answer by e-mail.")}
        )
    reply = Reply(answer=answer, body=body.strip(), visibility=visibility, author=actor)
    reply.full_clean(exclude=["answer", "author"])
    with transaction.atomic():
        reply.save()
        if visibility == Reply.Visibility.PRIVATE:
            from .tasks import send_feedback_reply

            outbox.enqueue(send_feedback_reply, reply_id=reply.pk)
    return reply


def reply_email_sent(*, reply: Reply) -> None:
    """Mark a private reply as e-mailed and erase the person's address (it was kept only
    for this answer)."""
    now = timezone.now()
    Reply.objects.filter(pk=reply.pk).update(emailed_at=now)
    Answer.objects.filter(pk=reply.answer_id).update(email="")


def erase_old_addresses(*, now=None) -> int:
    """Erase the e-mail addresses of answers older than FEEDBACK_ADDRESS_RETENTION_DAYS
    that no private reply is still waiting to be sent to (the Celery beat task, daily):
    an address is kept only for an answer that may still come. Returns how many."""
    days = getattr(settings, "FEEDBACK_ADDRESS_RETENTION_DAYS", 90)
    limit = (now or timezone.now()) - timedelta(days=days)
    waiting = Reply.objects.filter(visibility=Reply.Visibility.PRIVATE, emailed_at__isnull=True)
    return (
        Answer.objects.filter(created_at__lt=limit)
        .exclude(email="")
        .exclude(pk__in=waiting.values("answer_id"))
        .update(email="")
    )
