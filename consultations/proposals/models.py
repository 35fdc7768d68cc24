"""Citizens' proposals (issue 19): calls for proposals opened by an institution, the
proposals citizens put forward, their yes/no votes, and the answer of the advisory
structure a proposal reaches when its support passes the call's threshold.

A proposal's life (states and the transitions between them) is listed once, in
`workflow.py`; every write goes through `services.py`.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conect.core.fields import LimitedTextField
from conect.core.storage import private_storage
from conect.core.validators import (
    DESCRIPTION_MAX_LENGTH,
    DOCUMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
)
from registry.models import AdvisoryStructure, County, Domain, Institution, Meeting, Organisation

TITLE_MAX_LENGTH = 200
ATTACHMENTS_MAX = 5  # files a proposal may have in all


def _attachment_upload_to(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"proposals/{instance.proposal_id}/{uuid.uuid4().hex}.{suffix}"


class ProposalCall(models.Model):
    """An institution's call for citizens' proposals on a topic."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft (not published)")
        OPEN = "open", _("open for proposals")
        CLOSED = "closed", _("closed to new proposals")

    PUBLIC_STATES = (State.OPEN, State.CLOSED)

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="proposal_calls",
        verbose_name=_("institution"),
    )
    title = models.CharField(_("topic"), max_length=300)
    description = LimitedTextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, html=True)
    domains = models.ManyToManyField(
        Domain, blank=True, related_name="proposal_calls", verbose_name=_("domains")
    )
    is_national = models.BooleanField(_("the whole country"), default=False)
    counties = models.ManyToManyField(
        County, blank=True, related_name="proposal_calls", verbose_name=_("counties")
    )
    is_permanent = models.BooleanField(_("permanent call (open all year)"), default=False)
    submissions_open_on = models.DateField(_("proposals accepted from"))
    submissions_close_on = models.DateField(_("proposals accepted until"), null=True, blank=True)
    vote_days = models.PositiveSmallIntegerField(
        _("days each proposal stays open for votes"), default=30
    )
    threshold = models.PositiveIntegerField(_("yes votes needed"), default=1000)
    count_net_votes = models.BooleanField(
        _("count net votes (yes minus no) towards the threshold"), default=False
    )
    structure = models.ForeignKey(
        AdvisoryStructure,
        on_delete=models.PROTECT,
        related_name="proposal_calls",
        verbose_name=_("advisory structure that examines the proposals"),
    )
    answer_days = models.PositiveSmallIntegerField(
        _("days the structure has to answer a proposal that reaches it"), default=60
    )
    answer_by = models.DateField(
        _("the structure answers by"),
        null=True,
        blank=True,
        help_text=_(
            "The date by which the structure answers every proposal that reaches it, if the "
            "call has one; a proposal is then due on this date or after the days above, "
            "whichever comes first."
        ),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        ordering = ["-submissions_open_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submissions_close_on__isnull=True)
                | Q(submissions_close_on__gte=models.F("submissions_open_on")),
                name="proposal_call_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(threshold__gte=1), name="proposal_call_threshold_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:call-detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.state in self.PUBLIC_STATES

    def is_accepting(self, on: datetime.date | None = None) -> bool:
        """Open for new proposals today: published, not closed, within its dates."""
        on = on or timezone.localdate()
        if self.state != self.State.OPEN or on < self.submissions_open_on:
            return False
        return (
            self.is_permanent
            or self.submissions_close_on is None
            or (on <= self.submissions_close_on)
        )


class CallEvaluator(models.Model):
    """A member of a call's public evaluation group: a citizen or an NGO, chosen by the
    institution, who rates the result of each implemented proposal."""

    call = models.ForeignKey(ProposalCall, on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("citizen"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("member of the evaluation group")
        verbose_name_plural = _("evaluation group")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, organisation__isnull=True)
                | Q(user__isnull=True, organisation__isnull=False),
                name="call_evaluator_one_member",
            ),
            models.UniqueConstraint(fields=["call", "user"], name="unique_call_evaluator_user"),
            models.UniqueConstraint(
                fields=["call", "organisation"], name="unique_call_evaluator_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.call_id}: {self.user_id or self.organisation_id}"


class Proposal(models.Model):
    """A citizen's proposal to a call, voted yes or no by the public."""

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        CHANGES_REQUESTED = "changes_requested", _("changes requested from the author")
        REJECTED = "rejected", _("rejected by the moderators")
        MERGED = "merged", _("merged into another proposal")
        VOTING = "voting", _("open for votes")
        REFERRED = "referred", _("sent to the advisory structure")
        DECIDED = "decided", _("decision published")
        IMPLEMENTED = "implemented", _("implemented")
        NOT_ENOUGH_SUPPORT = "not_enough_support", _("archived: not enough support")

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        PARTIALLY_ACCEPTED = "partially_accepted", _("accepted in part")
        REJECTED = "rejected", _("rejected")

    # Seen by everyone; the others only by the author, the institution and coordinators.
    PUBLIC_STATES = (
        State.MERGED,
        State.VOTING,
        State.REFERRED,
        State.DECIDED,
        State.IMPLEMENTED,
        State.NOT_ENOUGH_SUPPORT,
    )
    # States where the proposal has been voted on (its totals mean something).
    VOTED_STATES = (
        State.VOTING,
        State.REFERRED,
        State.DECIDED,
        State.IMPLEMENTED,
        State.NOT_ENOUGH_SUPPORT,
    )

    call = models.ForeignKey(ProposalCall, on_delete=models.CASCADE, related_name="proposals")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("on behalf of"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    problem = LimitedTextField(_("the problem"), max_length=DESCRIPTION_MAX_LENGTH)
    body = LimitedTextField(_("the proposal"), max_length=DESCRIPTION_MAX_LENGTH)
    expected_effect = LimitedTextField(_("the expected effect"), max_length=DESCRIPTION_MAX_LENGTH)
    domain = models.ForeignKey(
        Domain,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("domain"),
    )
    county = models.ForeignKey(
        County,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("county"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    moderation_reason = LimitedTextField(
        _("reason given by the moderators"), blank=True, max_length=REASON_MAX_LENGTH
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_proposals",
        verbose_name=_("merged into"),
    )
    # The totals, kept in the same transaction as the votes (the proposal's row is locked
    # while a vote is counted), so that the list can sort on them with an index.
    yes_count = models.PositiveIntegerField(_("yes votes"), default=0)
    no_count = models.PositiveIntegerField(_("no votes"), default=0)
    voting_opens_at = models.DateTimeField(_("votes open at"), null=True, blank=True)
    voting_closes_at = models.DateTimeField(_("votes close at"), null=True, blank=True)
    referred_at = models.DateTimeField(_("sent to the structure at"), null=True, blank=True)
    answer_due_on = models.DateField(_("answer due by"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("meeting"),
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    decision_reasons = LimitedTextField(
        _("reasons for the decision"), blank=True, max_length=DESCRIPTION_MAX_LENGTH
    )
    decision_minutes = LimitedTextField(
        _("minutes of the meeting"), blank=True, max_length=DOCUMENT_MAX_LENGTH
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    implemented_at = models.DateTimeField(_("implemented at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The lists sort on these: a page is the first rows of the index whatever
            # the number of proposals (the state filter keeps nearly every row).
            models.Index(fields=["call", "-yes_count", "-id"], name="proposal_call_yes_idx"),
            models.Index(fields=["call", "-created_at", "-id"], name="proposal_call_created_idx"),
            models.Index(fields=["-yes_count", "-id"], name="proposal_yes_idx"),
            # The pages' counts (the public states of a call): read from this narrow
            # index instead of the rows and their long texts.
            models.Index(fields=["call", "state"], name="proposal_call_state_idx"),
            models.Index(fields=["state", "voting_closes_at"], name="proposal_state_close_idx"),
            models.Index(fields=["author", "created_at"], name="proposal_author_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:proposal-detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.state in self.PUBLIC_STATES

    @property
    def is_voting_open(self) -> bool:
        """Votes are accepted: the proposal is in its vote and its window has not ended
        (by the clock, even before the periodic task archives it)."""
        return (
            self.state == self.State.VOTING
            and self.voting_closes_at is not None
            and timezone.now() < self.voting_closes_at
        )

    @property
    def shown_state(self) -> str:
        """The state as the clock has it: a vote whose window ended below the threshold
        is shown archived before the periodic task writes it."""
        if self.state == self.State.VOTING and not self.is_voting_open:
            return self.State.NOT_ENOUGH_SUPPORT
        return self.state

    def get_shown_state_display(self) -> str:
        return self.State(self.shown_state).label

    @property
    def support(self) -> int:
        """What counts towards the threshold: yes votes, or yes minus no."""
        if self.call.count_net_votes:
            return self.yes_count - self.no_count
        return self.yes_count

    @property
    def progress_percent(self) -> int:
        threshold = self.call.threshold or 1
        return max(0, min(100, int(self.support * 100 / threshold)))

    @property
    def time_left(self) -> datetime.timedelta | None:
        if not self.is_voting_open:
            return None
        return self.voting_closes_at - timezone.now()

    @property
    def public_author(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        if self.author is None or self.author.deleted_at:
            return str(_("a former user"))
        return self.author.name

    @property
    def is_answer_overdue(self) -> bool:
        return (
            self.state == self.State.REFERRED
            and self.answer_due_on is not None
            and timezone.localdate() > self.answer_due_on
        )


class ProposalAttachment(models.Model):
    """A file attached to a proposal (PDF, DOCX or ODT), served through a view that asks
    the proposal's permission."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("attachment"), upload_to=_attachment_upload_to, storage=private_storage, max_length=200
    )
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Vote(models.Model):
    """One person's vote on one proposal: yes or no, changeable while the vote is open.
    Who voted is seen only by the coordinators."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_votes"
    )
    is_yes = models.BooleanField(_("yes"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="unique_proposal_vote"),
        ]
        indexes = [models.Index(fields=["user", "proposal"], name="vote_user_idx")]

    def __str__(self):
        return f"{self.user_id} → {self.proposal_id}: {'yes' if self.is_yes else 'no'}"


class VoteAuditEntry(models.Model):
    """The audit trail of votes: every vote cast or changed, kept for the coordinators."""

    class Action(models.TextChoices):
        CAST = "cast", _("vote cast")
        CHANGED = "changed", _("vote changed")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="vote_audit")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    is_yes = models.BooleanField(_("yes"))
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vote audit entry")
        verbose_name_plural = _("vote audit trail")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["proposal", "-created_at"], name="vote_audit_proposal_idx"),
            models.Index(fields=["user", "created_at"], name="vote_audit_user_idx"),
        ]

    def __str__(self):
        return f"{self.action} {self.user_id} → {self.proposal_id}"


class ProposalEvent(models.Model):
    """One step of a proposal's public history (its timeline)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=20, choices=Proposal.State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=Proposal.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = LimitedTextField(blank=True, max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("step of a proposal")
        verbose_name_plural = _("history of proposals")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.proposal_id}: {self.from_state} → {self.to_state}"


class ProposalModerationLogEntry(models.Model):
    """What a moderator did with a proposal, and why (as consultations' moderation log)."""

    class Action(models.TextChoices):
        ACCEPTED = "accepted", _("acceptance")
        CHANGES_REQUESTED = "changes_requested", _("request for changes")
        REJECTED = "rejected", _("rejection")
        MERGED = "merged", _("merge")

    call = models.ForeignKey(ProposalCall, on_delete=models.CASCADE, related_name="moderation_log")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="moderation_log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = LimitedTextField(_("reason"), blank=True, max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["call", "-created_at"], name="proposal_modlog_idx")]

    def __str__(self):
        return f"{self.action} {self.proposal_id}"


class ProposalComment(models.Model):
    """A comment on a public proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = LimitedTextField(_("comment"), max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["proposal", "created_at"], name="proposal_comment_idx")]

    def __str__(self):
        return f"#{self.pk} on {self.proposal_id}"


class ImplementationStep(models.Model):
    """A step of implementing an accepted proposal: what, who, when, and how it went."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="implementation_steps"
    )
    description = LimitedTextField(_("step"), max_length=REASON_MAX_LENGTH)
    owner = models.CharField(_("owner"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = LimitedTextField(_("progress note"), blank=True, max_length=REASON_MAX_LENGTH)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("implementation step")
        verbose_name_plural = _("implementation steps")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("starts_on")), name="step_due_after_start"
            ),
        ]

    def __str__(self):
        return self.description[:60]


class Evaluation(models.Model):
    """A member of the evaluation group's rating (1 to 5) of an implemented proposal's
    result, published with their comment."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    rating = models.PositiveSmallIntegerField(_("rating (1 to 5)"))
    comment = LimitedTextField(_("comment"), blank=True, max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "evaluator"], name="unique_proposal_evaluation"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="evaluation_rating_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.rating} on {self.proposal_id}"


class ProposalFollow(models.Model):
    """A user follows a proposal: they are told of each of its steps."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="unique_proposal_follow"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.proposal_id}"


class ProposalNotification(models.Model):
    """One step of a proposal for one user: listed on the site and e-mailed at most once,
    at once or in the digest, as the user's consultations preference says."""

    class Kind(models.TextChoices):
        MODERATED = "moderated", _("your proposal was moderated")
        VOTING_OPENED = "voting", _("a proposal opened for votes")
        REFERRED = "referred", _("a proposal reached its threshold")
        NOT_ENOUGH_SUPPORT = "archived", _("a proposal closed without enough support")
        SCHEDULED = "scheduled", _("a proposal was put on a meeting's agenda")
        INVITED = "invited", _("you are invited to present your proposal")
        DECIDED = "decided", _("a decision on a proposal was published")
        STEP = "step", _("the implementation of a proposal moved on")
        IMPLEMENTED = "implemented", _("a proposal was implemented")

    class EmailStatus(models.TextChoices):
        NONE = "none", _("not e-mailed")
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("e-mail sent")
        DIGEST = "digest", _("waiting for the digest")
        DIGESTED = "digested", _("sent in a digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_notifications"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    event_key = models.CharField(max_length=100)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.NONE
    )
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event_key"], name="unique_proposal_notification"
            ),
        ]
        indexes = [
            models.Index(fields=["event_key", "email_status"], name="proposal_notif_event_idx"),
            models.Index(fields=["email_status", "user"], name="proposal_notif_digest_idx"),
            models.Index(fields=["user", "-created_at"], name="proposal_notif_user_idx"),
        ]

    def __str__(self):
        return f"{self.event_key} → {self.user_id}"
