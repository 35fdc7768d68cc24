"""Forms of proposals. They parse and show errors; the services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conect.core.forms import AutocompleteChoiceField, BootstrapFormMixin
from conect.core.validators import DESCRIPTION_MAX_LENGTH, DOCUMENT_MAX_LENGTH, REASON_MAX_LENGTH
from consultations.forms import MultipleFileField
from registry.models import AdvisoryStructure, County, Domain, Institution, Meeting, Organisation

from . import workflow
from .models import ATTACHMENTS_MAX, TITLE_MAX_LENGTH, ImplementationStep, Proposal, ProposalCall

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACCEPT = ".pdf,.docx,.odt"


class CallForm(BootstrapFormMixin, forms.ModelForm):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none()
    )

    class Meta:
        model = ProposalCall
        fields = [
            "institution",
            "title",
            "description",
            "domains",
            "is_national",
            "counties",
            "is_permanent",
            "submissions_open_on",
            "submissions_close_on",
            "vote_days",
            "threshold",
            "count_net_votes",
            "structure",
            "answer_days",
            "answer_by",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "submissions_open_on": DATE,
            "submissions_close_on": DATE,
            "answer_by": DATE,
            "domains": forms.CheckboxSelectMultiple,
            "counties": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "submissions_close_on": _("Leave empty for a permanent call."),
            "structure": _(
                "The advisory structure of your institution that examines the proposals that "
                "reach the threshold."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = Institution.objects.filter(
            staff_memberships__user=user, staff_memberships__status="approved"
        ).distinct()
        self.fields["institution"].queryset = institutions
        self.fields["structure"].queryset = AdvisoryStructure.objects.filter(
            institution__in=institutions, status=AdvisoryStructure.Status.ACTIVE
        ).order_by("name")
        self.fields["domains"].queryset = Domain.objects.filter(is_active=True)
        self.fields["counties"].queryset = County.objects.order_by("name")
        self.fields["counties"].required = False
        if self.instance.pk:
            del self.fields["institution"]

    def clean(self):
        data = super().clean()
        structure, institution = data.get("structure"), data.get("institution")
        institution_id = institution.pk if institution else self.instance.institution_id
        if structure and institution_id and structure.institution_id != institution_id:
            self.add_error(
                "structure", _("Choose an advisory structure of the institution of the call.")
            )
        return data


class ProposalForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-similar": "1"}),
        help_text=_("Similar proposals already in this call are shown as you type."),
    )
    problem = forms.CharField(
        label=_("The problem"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    body = forms.CharField(
        label=_("The proposal"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    expected_effect = forms.CharField(
        label=_("The expected effect"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    domain = forms.ModelChoiceField(
        label=_("Domain"), queryset=Domain.objects.none(), required=False
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.none(),
        required=False,
        empty_label=_("The whole area of the call"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Propose as"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Myself"),
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional: PDF, DOCX or ODT)"),
        required=False,
        help_text=_("Up to %(count)d files in all; you can choose several at once.")
        % {"count": ATTACHMENTS_MAX},
    )

    def __init__(self, *args, call: ProposalCall, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = (
            call.domains.all() if call.domains.exists() else Domain.objects.filter(is_active=True)
        )
        self.fields["county"].queryset = (
            County.objects.order_by("name") if call.is_national else call.counties.order_by("name")
        )
        if editing:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                memberships__user=user,
                status__in=(Organisation.Status.VERIFIED, Organisation.Status.IMPORTED),
            )


class MergeChoiceField(AutocompleteChoiceField):
    def label_from_instance(self, obj):
        return merge_label(obj)


class ModerationForm(BootstrapFormMixin, forms.Form):
    ACTIONS = [
        ("accept", _("Accept: open the vote")),
        ("request_changes", _("Ask the author for changes")),
        ("reject", _("Reject")),
        ("merge", _("Merge into another proposal")),
    ]
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (the author sees it)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # A call may have thousands of proposals: the one to merge into is chosen among
    # suggestions as one types its title (or its number), not in a list of every one.
    merge_into = MergeChoiceField(
        label=_("Merge into"),
        queryset=Proposal.objects.none(),
        required=False,
        help_text=_("Type a few words of its title, or its number."),
        error_messages={
            "invalid_choice": _(
                "Choose a proposal of this call, awaiting moderation or open for votes, "
                "from the suggestions."
            )
        },
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what the workflow allows from the proposal's state.
        self.fields["action"].choices = [
            (name, label) for name, label in self.ACTIONS if workflow.allowed(name, proposal.state)
        ]
        merge_into = self.fields["merge_into"]
        merge_into.queryset = merge_choices(proposal)
        merge_into.url = reverse("proposals:merge-options", args=[proposal.pk])


def merge_choices(proposal: Proposal):
    """The proposals this one may be merged into: the others of its call that await
    moderation or are open for votes."""
    return (
        Proposal.objects.filter(
            call_id=proposal.call_id,
            state__in=(Proposal.State.PENDING, Proposal.State.VOTING),
        )
        .exclude(pk=proposal.pk)
        .only("id", "title")
        .order_by("-yes_count", "-id")
    )


def merge_label(proposal: Proposal) -> str:
    return f"#{proposal.pk} {proposal.title}"


class VoteForm(forms.Form):
    vote = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])


class CommentForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ScheduleForm(BootstrapFormMixin, forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            structure_id=proposal.call.structure_id, held_at__gte=timezone.now()
        ).order_by("held_at")


class DecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Proposal.Decision.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    minutes = forms.CharField(
        label=_("Minutes of the meeting"),
        required=False,
        max_length=DOCUMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class StepForm(BootstrapFormMixin, forms.Form):
    description = forms.CharField(
        label=_("Step"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.CharField(label=_("Owner"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


class StepUpdateForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ImplementationStep.Status.choices)
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Progress note"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EvaluationForm(BootstrapFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating of the result"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("1: no visible result; 5: the problem is solved."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EvaluatorsForm(BootstrapFormMixin, forms.Form):
    emails = forms.CharField(
        label=_("Citizens (e-mail addresses of their CONECT accounts, one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    organisations = forms.CharField(
        label=_("NGOs (fiscal codes, one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_emails(self):
        emails = [line.strip().lower() for line in self.cleaned_data["emails"].splitlines()]
        emails = [e for e in emails if e]
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(
                    _("“%(value)s” is not an e-mail address."), params={"value": email}
                ) from None
        users = list(get_user_model().objects.filter(email__in=emails, is_active=True))
        missing = sorted(set(emails) - {u.email.lower() for u in users})
        if missing:
            raise ValidationError(
                _("No CONECT account has these addresses: %(emails)s."),
                params={"emails": ", ".join(missing)},
            )
        return users

    def clean_organisations(self):
        codes = [c.strip() for c in self.cleaned_data["organisations"].splitlines() if c.strip()]
        organisations = list(
            Organisation.objects.filter(
                fiscal_code__in=codes,
                status__in=(Organisation.Status.VERIFIED, Organisation.Status.IMPORTED),
            )
        )
        missing = sorted(set(codes) - {o.fiscal_code for o in organisations})
        if missing:
            raise ValidationError(
                _("No organisation in the registry has these fiscal codes: %(codes)s."),
                params={"codes": ", ".join(missing)},
            )
        return organisations
