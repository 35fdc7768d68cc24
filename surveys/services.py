"""Every write on questionnaires: the builder, the roster and its invitations and
reminders, the responses. Keyword-only; a refused action raises ValidationError or
PermissionDenied and changes nothing."""

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from conect.core import outbox
from conect.core.emails import enqueue_email
from conect.core.storage import private_storage
from conect.core.versions import bump_version
from registry.models import (
    Institution,
    InstitutionStaff,
    Organisation,
    OrganisationMembership,
    RelationshipOfficial,
)

from . import answers as answer_rules
from .models import Invitation, Notice, Question, Response, Survey

Kind = Question.Kind


def results_version_key(survey_id: int) -> str:
    return f"surveys:results:{survey_id}"


def _check_manager(actor, survey):
    if not actor.has_perm("surveys.change_survey", survey):
        raise PermissionDenied


def _require_texts(value: dict, label: str) -> None:
    if not value.get("ro") or not value.get("en"):
        raise ValidationError(
            gettext("Write the %(label)s in Romanian and in English.") % {"label": label}
        )


def _validate_survey(survey: Survey) -> None:
    _require_texts(survey.title, gettext("title"))
    if survey.is_anonymous and survey.audience != Survey.Audience.PUBLIC:
        raise ValidationError(
            {"is_anonymous": gettext("Only a questionnaire open to anyone can be anonymous.")}
        )
    if survey.audience == Survey.Audience.ROSTER and not survey.roster_kind:
        raise ValidationError(
            {
                "roster_kind": gettext(
                    "Say whether the roster is of institutions or of organisations."
                )
            }
        )
    if survey.audience != Survey.Audience.ROSTER:
        survey.roster_kind = ""
    survey.full_clean()


# --- Surveys -----------------------------------------------------------------------------


def survey_create(*, actor, target=None, **data) -> Survey:
    """A new draft questionnaire by `actor` (of their institution, if they are a civil
    servant), optionally attached to `target` (a consultation...)."""
    if not actor.has_perm("surveys.add_survey"):
        raise PermissionDenied
    staff = InstitutionStaff.objects.filter(
        user=actor, status=InstitutionStaff.Status.APPROVED
    ).values_list("institution_id", flat=True)
    survey = Survey(created_by=actor, institution_id=next(iter(staff), None), **data)
    if target is not None:
        survey.target = target
    _validate_survey(survey)
    survey.save()
    return survey


def _to_minute(value):
    """A deadline as the form shows it (to the minute)."""
    return value.replace(second=0, microsecond=0) if value else value


SURVEY_FIELDS = (
    "title",
    "intro",
    "audience",
    "roster_kind",
    "is_anonymous",
    "deadline",
    "reminder_days",
)


def survey_update(*, survey: Survey, actor, **changes) -> Survey:
    """Change the texts and settings. Once answered, who answers and the anonymity stay."""
    _check_manager(actor, survey)
    if survey.status != Survey.Status.DRAFT or survey.is_locked:
        for name in ("audience", "roster_kind", "is_anonymous"):
            if name in changes and changes[name] != getattr(survey, name):
                raise ValidationError(
                    gettext(
                        "Who answers and the anonymity cannot change once the questionnaire "
                        "is open."
                    )
                )
    if (
        "deadline" in changes
        and survey.status != Survey.Status.DRAFT
        and _to_minute(changes["deadline"]) != _to_minute(survey.deadline)
    ):
        raise ValidationError(gettext("Extend the deadline with “Extend the deadline”."))
    for name, value in changes.items():
        if name not in SURVEY_FIELDS:
            raise ValueError(name)
        setattr(survey, name, value)
    _validate_survey(survey)
    survey.save()
    bump_version(results_version_key(survey.pk))
    return survey


def survey_transition(*, survey: Survey, actor, name: str) -> Survey:
    """Open (send the roster's invitations) or close the questionnaire."""
    _check_manager(actor, survey)
    source, target = Survey.TRANSITIONS[name]
    if survey.status != source:
        raise ValidationError(gettext("This questionnaire cannot do that in its present state."))
    now = timezone.now()
    if name == "open":
        if not survey.questions.exclude(kind=Kind.SECTION).exists():
            raise ValidationError(
                gettext("Add at least one question before opening the questionnaire.")
            )
        if survey.deadline and survey.deadline <= now:
            raise ValidationError(gettext("The deadline has passed: choose a later one."))
        if survey.audience == Survey.Audience.ROSTER and not survey.invitations.exists():
            raise ValidationError(
                gettext("Add someone to the roster before opening the questionnaire.")
            )
    with transaction.atomic():
        survey.status = target
        if name == "open":
            survey.opened_at = now
        else:
            survey.closed_at = now
        survey.save(update_fields=["status", "opened_at", "closed_at", "updated_at"])
        if name == "open":
            for invitation_id in survey.invitations.values_list("pk", flat=True):
                _queue_invitation(invitation_id)
    return survey


def survey_set_results_public(*, survey: Survey, actor, public: bool) -> Survey:
    """Publish (or withdraw) the results page and its numbers in the API."""
    _check_manager(actor, survey)
    survey.results_public = public
    survey.save(update_fields=["results_public", "updated_at"])
    return survey


def survey_extend_deadline(*, survey: Survey, actor, deadline: datetime.datetime) -> Survey:
    """A later deadline; a closed questionnaire opens again. The roster's members who have
    not submitted are told (a notice and an e-mail, once per extension)."""
    _check_manager(actor, survey)
    if survey.status == Survey.Status.DRAFT:
        raise ValidationError(gettext("Change the deadline of a draft in its settings."))
    if deadline <= timezone.now() or (survey.deadline and deadline <= survey.deadline):
        raise ValidationError(
            {
                "deadline": gettext(
                    "The new deadline must be later than the present one and in the future."
                )
            }
        )
    with transaction.atomic():
        survey.deadline = deadline
        survey.status = Survey.Status.OPEN
        survey.closed_at = None
        survey.save(update_fields=["deadline", "status", "closed_at", "updated_at"])
        for invitation in pending_invitations(survey):
            _notify(invitation, Notice.Kind.EXTENDED, f"extended:{deadline.isoformat()}")
    return survey


def survey_duplicate(*, survey: Survey, actor) -> Survey:
    """A new draft with the same texts, settings and questions (conditions included), no
    roster and no answer."""
    if not actor.has_perm("surveys.change_survey", survey):
        raise PermissionDenied
    with transaction.atomic():
        copy = survey_create(
            actor=actor,
            title={k: f"{v} (2)" for k, v in survey.title.items()},
            intro=survey.intro,
            audience=survey.audience,
            roster_kind=survey.roster_kind,
            is_anonymous=survey.is_anonymous,
            reminder_days=survey.reminder_days,
        )
        mapping = {}
        for question in survey.questions.order_by("position", "pk"):
            old_pk = question.pk
            question.pk = None
            question.survey = copy
            question.condition_question_id = mapping.get(question.condition_question_id)
            question.save()
            mapping[old_pk] = question.pk
    return copy


# --- Questions ---------------------------------------------------------------------------


def _keyed(labels: list[dict], existing: list[dict]) -> list[dict]:
    """Labels with keys: the n-th keeps the n-th existing key, new ones get new keys."""
    used = {item["key"] for item in existing}
    result = []
    for index, label in enumerate(labels):
        if index < len(existing):
            key = existing[index]["key"]
        else:
            key = f"c{uuid.uuid4().hex[:6]}"
            while key in used:
                key = f"c{uuid.uuid4().hex[:6]}"
            used.add(key)
        result.append({"key": key, "label": label})
    return result


def _validate_question(question: Question) -> None:
    if question.kind == Kind.SECTION:
        if not question.text.get("ro") or not question.text.get("en"):
            raise ValidationError(gettext("Write the section's title in Romanian and in English."))
    else:
        _require_texts(question.text, gettext("question"))
    if question.kind in Question.CHOICE_KINDS | Question.MATRIX_KINDS and len(question.choices) < 2:
        raise ValidationError({"choices_ro": gettext("Give at least two choices.")})
    if question.kind in Question.MATRIX_KINDS and not question.rows:
        raise ValidationError({"rows_ro": gettext("Give at least one row.")})
    if question.kind == Kind.SCALE:
        if question.max_value is None:
            question.max_value = 5
        if int(question.max_value) not in (5, 10):
            raise ValidationError(
                {"max_value": gettext("A scale goes from 1 to 5 or from 1 to 10.")}
            )
    if (
        question.min_value is not None
        and question.max_value is not None
        and question.min_value > question.max_value
    ):
        raise ValidationError(
            {"min_value": gettext("The smallest number is larger than the largest.")}
        )
    if question.min_length and question.max_length and question.min_length > question.max_length:
        raise ValidationError(
            {"min_length": gettext("The minimum length is larger than the maximum.")}
        )
    if question.max_choices and question.kind != Kind.MULTIPLE:
        question.max_choices = None
    condition = question.condition_question
    if condition is not None:
        if condition.survey_id != question.survey_id or condition.is_section:
            raise ValidationError(
                {"condition_question": gettext("Choose a question of this questionnaire.")}
            )
        if question.pk and condition.position >= question.position:
            raise ValidationError(
                {"condition_question": gettext("A condition can only be on an earlier question.")}
            )
        if not question.condition_value:
            raise ValidationError(
                {"condition_value": gettext("Say which answer shows this question.")}
            )
        question.condition_value = _condition_key(condition, question.condition_value)
    else:
        question.condition_value = ""
    question.full_clean()


def _condition_key(condition: Question, value: str) -> str:
    """The stored value of a condition: a choice's key (the author types its label)."""
    if condition.kind == Kind.YES_NO:
        lowered = value.lower()
        mapping = {"yes": "yes", "da": "yes", "no": "no", "nu": "no"}
        if lowered not in mapping:
            raise ValidationError({"condition_value": gettext("Write yes or no.")})
        return mapping[lowered]
    if condition.kind in Question.CHOICE_KINDS:
        for choice in condition.choices:
            if value == choice["key"] or value.casefold() in {
                v.casefold() for v in choice["label"].values()
            }:
                return choice["key"]
        raise ValidationError(
            {"condition_value": gettext("Write one of the choices of that question.")}
        )
    return value


def question_create(*, survey: Survey, actor, choice_labels=(), row_labels=(), **data) -> Question:
    """A question at the end of the survey (not once someone has answered)."""
    _check_manager(actor, survey)
    if survey.is_locked:
        raise ValidationError(
            gettext("Someone has answered: questions can be corrected but not added.")
        )
    position = (survey.questions.aggregate(top=Max("position"))["top"] or 0) + 1
    question = Question(survey=survey, position=position, **data)
    question.choices = _keyed(list(choice_labels), [])
    question.rows = _keyed(list(row_labels), [])
    _validate_question(question)
    question.save()
    return question


# What may still change once someone has answered: the texts, and new choices or rows.
TEXT_FIELDS = ("text", "help_text", "low_label", "high_label")


def question_update(
    *, question: Question, actor, choice_labels=(), row_labels=(), **changes
) -> Question:
    """Change a question. Once the survey has an answer, only its texts can be corrected
    and choices or rows added at the end: nothing that would change an answer given."""
    survey = question.survey
    _check_manager(actor, survey)
    choice_labels, row_labels = list(choice_labels), list(row_labels)
    if survey.is_locked:
        for name, value in changes.items():
            if name in TEXT_FIELDS:
                continue
            current = getattr(question, name)
            if name == "condition_question":
                current_id = question.condition_question_id
                if (value.pk if value else None) != current_id:
                    raise ValidationError(
                        gettext("Someone has answered: the conditions cannot change.")
                    )
                continue
            if name == "condition_value":
                # The form sends what the author typed (a choice's label): compare keys.
                condition = changes.get("condition_question", question.condition_question)
                if condition is not None and (
                    _condition_key(condition, value or "") != question.condition_value
                ):
                    raise ValidationError(
                        gettext("Someone has answered: the conditions cannot change.")
                    )
                continue
            if current != value and not (current is None and value in (None, "")):
                raise ValidationError(
                    gettext(
                        "Someone has answered: only the texts can be corrected and choices added."
                    )
                )
        if len(choice_labels) < len(question.choices) or len(row_labels) < len(question.rows):
            raise ValidationError(
                gettext("Someone has answered: choices and rows cannot be removed.")
            )
    for name, value in changes.items():
        setattr(question, name, value)
    question.choices = _keyed(choice_labels, question.choices)
    question.rows = _keyed(row_labels, question.rows)
    _validate_question(question)
    question.save()
    bump_version(results_version_key(survey.pk))
    return question


def question_delete(*, question: Question, actor) -> None:
    survey = question.survey
    _check_manager(actor, survey)
    if survey.is_locked:
        raise ValidationError(gettext("Someone has answered: questions cannot be removed."))
    if question.dependants.exists():
        raise ValidationError(
            gettext("Another question's condition is on this one: change it first.")
        )
    question.delete()


def question_move(*, question: Question, actor, up: bool) -> None:
    """Swap a question with the one before (up) or after it. A condition stays on an
    earlier question: a move that would break that is refused."""
    survey = question.survey
    _check_manager(actor, survey)
    if survey.is_locked:
        raise ValidationError(gettext("Someone has answered: questions cannot be moved."))
    ordered = list(survey.questions.order_by("position", "pk"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(ordered):
        return
    ordered[index], ordered[other_index] = ordered[other_index], ordered[index]
    seen = set()
    for q in ordered:
        if q.condition_question_id and q.condition_question_id not in seen:
            raise ValidationError(
                gettext("A question must stay after the question its condition is on.")
            )
        seen.add(q.pk)
    with transaction.atomic():
        for position, q in enumerate(ordered, start=1):
            if q.position != position:
                Question.objects.filter(pk=q.pk).update(position=position)


# --- Roster, invitations and reminders -----------------------------------------------------


def roster_add(*, survey: Survey, actor, institutions=(), organisations=()) -> int:
    """Add members to the roster (once each); invite them at once if the survey is open.
    Returns how many were added."""
    if not actor.has_perm("surveys.manage_roster", survey):
        raise PermissionDenied
    if survey.audience != Survey.Audience.ROSTER:
        raise ValidationError(gettext("This questionnaire has no roster."))
    if survey.roster_kind == Survey.RosterKind.INSTITUTIONS:
        rows = [Invitation(survey=survey, institution_id=pk) for pk in institutions]
        field = "institution_id"
    else:
        rows = [Invitation(survey=survey, organisation_id=pk) for pk in organisations]
        field = "organisation_id"
    existing = set(survey.invitations.values_list(field, flat=True))
    rows = [row for row in rows if getattr(row, field) not in existing]
    with transaction.atomic():
        created = Invitation.objects.bulk_create(rows, batch_size=1000)
        if survey.status == Survey.Status.OPEN:
            for invitation in Invitation.objects.filter(survey=survey, sent_at__isnull=True):
                _queue_invitation(invitation.pk)
    return len(created)


def roster_remove(*, invitation: Invitation, actor) -> None:
    if not actor.has_perm("surveys.manage_roster", invitation.survey):
        raise PermissionDenied
    if Response.objects.filter(invitation=invitation).exists():
        raise ValidationError(gettext("This member has started answering: it stays on the roster."))
    invitation.delete()


def roster_candidates(
    *,
    survey: Survey,
    institution_kind="",
    institutions=(),
    domain=None,
    county=None,
    fiscal_codes=(),
):
    """The ids of the institutions or organisations the roster form chose."""
    if survey.roster_kind == Survey.RosterKind.INSTITUTIONS:
        query = Q(pk__in=[i.pk for i in institutions])
        if institution_kind:
            query |= Q(kind=institution_kind)
        return list(Institution.objects.filter(query).values_list("pk", flat=True)), []
    verified = Organisation.objects.filter(status=Organisation.Status.VERIFIED)
    query = Q(pk__in=[])
    if domain is not None:
        query |= Q(domains=domain)
    if county is not None:
        query |= Q(county=county)
    if fiscal_codes:
        query |= Q(fiscal_code__in=list(fiscal_codes))
    return [], list(verified.filter(query).values_list("pk", flat=True).distinct())


def recipients(invitation: Invitation):
    """Who is told about an invitation: the organisation's administrators, or the
    institution's relationship officials who have an account and its administrators."""
    from conect.accounts.models import User

    if invitation.organisation_id:
        return User.objects.filter(
            pk__in=OrganisationMembership.objects.filter(
                organisation_id=invitation.organisation_id, role=OrganisationMembership.Role.ADMIN
            ).values("user_id"),
            is_active=True,
        )
    return User.objects.filter(
        Q(
            pk__in=RelationshipOfficial.objects.filter(
                institution_id=invitation.institution_id,
                removed_at__isnull=True,
                user__isnull=False,
            ).values("user_id")
        )
        | Q(
            pk__in=InstitutionStaff.objects.filter(
                institution_id=invitation.institution_id,
                role=InstitutionStaff.Role.ADMIN,
                status=InstitutionStaff.Status.APPROVED,
            ).values("user_id")
        ),
        is_active=True,
    )


def _queue_invitation(invitation_id: int) -> None:
    outbox.enqueue("surveys.tasks.send_invitation", invitation_id=invitation_id)


def _notify(invitation: Invitation, kind: str, event: str) -> int:
    """A notice for each recipient and an e-mail, once per recipient and event."""
    survey = invitation.survey
    context = {
        "kind": kind,
        "title": survey.title,
        "member": str(invitation.member),
        "path": reverse("surveys:answer", args=[survey.pk]) + f"?invitation={invitation.pk}",
        "deadline": survey.deadline.isoformat() if survey.deadline else "",
    }
    count = 0
    for user in recipients(invitation):
        key = f"survey:{invitation.pk}:{event}"
        _notice, created = Notice.objects.get_or_create(
            user=user,
            event_key=key,
            defaults={"invitation": invitation, "survey": survey, "kind": kind},
        )
        if not created:
            continue
        enqueue_email(
            to_user=user,
            template="surveys/emails/invitation",
            context=context,
            key=f"{key}:{user.pk}",
        )
        count += 1
    return count


def invitation_send(*, invitation_id: int) -> bool:
    """Tell the member about its invitation (the task run when the survey opens or the
    member is added to an open survey). A second run sends nothing."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("survey")
            .filter(pk=invitation_id)
            .first()
        )
        if (
            invitation is None
            or invitation.sent_at
            or invitation.survey.status != Survey.Status.OPEN
        ):
            return False
        _notify(invitation, Notice.Kind.INVITED, "invited")
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True


def pending_invitations(survey: Survey):
    """The roster's members who have not submitted."""
    return survey.invitations.exclude(response__status=Response.Status.SUBMITTED)


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """The scheduled reminders (the beat task): for each open survey with a deadline, each
    member that has not submitted gets the reminder of each day of `reminder_days` once,
    when that many days or fewer are left. Returns how many members were reminded."""
    now = now or timezone.now()
    count = 0
    surveys = Survey.objects.filter(
        status=Survey.Status.OPEN, audience=Survey.Audience.ROSTER, deadline__gt=now
    ).exclude(reminder_days=[])
    for survey in surveys:
        due = [
            d for d in survey.reminder_days if survey.deadline - datetime.timedelta(days=d) <= now
        ]
        if not due:
            continue
        for invitation in pending_invitations(survey).filter(sent_at__isnull=False):
            missing = [d for d in due if d not in invitation.reminders_sent]
            if not missing:
                continue
            with transaction.atomic():
                # Only the closest reminder is sent; the earlier ones are past.
                day = min(missing)
                _notify(invitation, Notice.Kind.REMINDER, f"reminder:{day}")
                Invitation.objects.filter(pk=invitation.pk).update(
                    reminders_sent=sorted(set(invitation.reminders_sent) | set(missing)),
                    last_reminded_at=now,
                )
            count += 1
    return count


def remind_now(*, survey: Survey, actor) -> int:
    """A reminder, now, to every member of the roster that has not submitted."""
    if not actor.has_perm("surveys.manage_roster", survey):
        raise PermissionDenied
    if not survey.is_accepting:
        raise ValidationError(gettext("The questionnaire is not open for answers."))
    count = 0
    with transaction.atomic():
        for invitation in pending_invitations(survey).filter(sent_at__isnull=False):
            _notify(invitation, Notice.Kind.REMINDER, f"manual:{invitation.manual_reminders + 1}")
            Invitation.objects.filter(pk=invitation.pk).update(
                manual_reminders=F("manual_reminders") + 1, last_reminded_at=timezone.now()
            )
            count += 1
    return count


def survey_ask_participants(*, survey: Survey, actor) -> Survey:
    """The follow-up of the survey's target: ask its participants (the followers of a
    consultation, those registered to a training session, the authors of a call's
    proposals) to answer, once, by a notice and an e-mail each (sent by a task)."""
    _check_manager(actor, survey)
    if survey.target_type_id is None:
        raise ValidationError(gettext("This questionnaire is not attached to anything."))
    if survey.audience == Survey.Audience.ROSTER:
        raise ValidationError(
            gettext("A questionnaire with a roster is sent to its roster, not to participants.")
        )
    if not survey.is_accepting:
        raise ValidationError(gettext("The questionnaire is not open for answers."))
    if survey.participants_asked_at is not None:
        raise ValidationError(gettext("The participants were already asked to answer."))
    with transaction.atomic():
        survey.participants_asked_at = timezone.now()
        survey.save(update_fields=["participants_asked_at", "updated_at"])
        outbox.enqueue("surveys.tasks.ask_participants", survey_id=survey.pk)
    return survey


def participants_notify(*, survey_id: int) -> int:
    """A notice and an e-mail to each participant of the survey's target, once each (the
    task of `survey_ask_participants`; a second run sends nothing). Returns how many."""
    from .targets import participant_users

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None or survey.participants_asked_at is None or not survey.is_accepting:
        return 0
    target = survey.target
    if target is None:
        return 0
    context = {
        "kind": Notice.Kind.FOLLOW_UP,
        "title": survey.title,
        "member": str(target),
        "path": reverse("surveys:answer", args=[survey.pk]),
        "deadline": survey.deadline.isoformat() if survey.deadline else "",
    }
    key = f"survey:{survey.pk}:participants"
    count = 0
    for user in participant_users(target).iterator(chunk_size=500):
        with transaction.atomic():
            _notice, created = Notice.objects.get_or_create(
                user=user,
                event_key=key,
                defaults={"survey": survey, "kind": Notice.Kind.FOLLOW_UP},
            )
            if not created:
                continue
            enqueue_email(
                to_user=user,
                template="surveys/emails/invitation",
                context=context,
                key=f"{key}:{user.pk}",
            )
        count += 1
    return count


def notices_mark_read(*, user, ids=None) -> int:
    notices = Notice.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        notices = notices.filter(pk__in=ids)
    return notices.update(read_at=timezone.now())


# --- Responses ---------------------------------------------------------------------------


def invitation_opened(*, invitation: Invitation) -> None:
    """The member opened the questionnaire (the roster's "opened" date), once."""
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )


def _store_files(survey: Survey, answers: dict) -> dict:
    stored = {}
    for key, value in answers.items():
        if isinstance(value, UploadedFile):
            name = private_storage().save(f"surveys/{survey.pk}/{uuid.uuid4().hex}", value)
            value = {"name": value.name[:200], "path": name}
        stored[key] = value
    return stored


def response_save(
    *,
    survey: Survey,
    actor,
    answers: dict,
    submit: bool,
    invitation: Invitation | None = None,
    county=None,
) -> Response:
    """Save a draft or submit the answers.

    Roster: one response per member, shared by its staff, editable (and submitted again)
    until the deadline. Signed-in: one per user. Anonymous: submitted at once, with no
    user, no invitation, no organisation and a submission date without the time."""
    if not actor.has_perm("surveys.answer_survey", survey):
        raise PermissionDenied
    questions = list(survey.questions.order_by("position", "pk").select_related(None))
    kept = answer_rules.prune(questions, answers, complete=submit)
    now = timezone.now()
    user = actor if actor.is_authenticated else None
    with transaction.atomic():
        if survey.is_anonymous:
            if not submit:
                raise ValidationError(
                    gettext("An anonymous questionnaire is submitted at once, with no draft.")
                )
            response = Response(
                survey=survey,
                status=Response.Status.SUBMITTED,
                answers=_store_files(survey, kept),
                county=county,
                # The day only: a time could be matched with a server's log.
                submitted_at=now.replace(hour=0, minute=0, second=0, microsecond=0),
            )
        elif survey.audience == Survey.Audience.ROSTER:
            from .rules import invitations_for

            allowed = {i.pk for i in invitations_for(actor, survey)}
            if invitation is None or invitation.pk not in allowed:
                raise PermissionDenied
            response = Response.objects.select_for_update().filter(
                invitation=invitation
            ).first() or Response(
                survey=survey,
                invitation=invitation,
                institution_id=invitation.institution_id,
                organisation_id=invitation.organisation_id,
                county_id=(invitation.institution or invitation.organisation).county_id,
                started_at=now,
            )
        else:
            if user is None:
                if not submit:
                    raise ValidationError(gettext("Sign in to save a draft."))
                response = Response(survey=survey, started_at=now)
            else:
                response = Response.objects.select_for_update().filter(
                    survey=survey, user=user, invitation=None
                ).first() or Response(survey=survey, user=user, started_at=now)
        if not survey.is_anonymous:
            response.answers = _store_files(survey, kept)
            response.updated_at = now
            if submit:
                response.status = Response.Status.SUBMITTED
                response.submitted_at = now
                response.submitted_by = user
        response.save()
        if survey.first_answer_at is None:
            Survey.objects.filter(pk=survey.pk, first_answer_at__isnull=True).update(
                first_answer_at=now
            )
            survey.first_answer_at = now
        if submit:
            bump_version(results_version_key(survey.pk))
    return response
