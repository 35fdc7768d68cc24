"""Forms of the selection of representatives: they parse and check input; the services
(registry/services/calls.py) write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conect.core.forms import BootstrapFormMixin
from conect.core.validators import DESCRIPTION_MAX_LENGTH, REASON_MAX_LENGTH

from .institutions import DATE_WIDGET

REASONS_WIDGET = forms.Textarea(attrs={"rows": 3})


class SelectionForm(BootstrapFormMixin, forms.Form):
    eligibility_criteria = forms.CharField(
        label=_("Eligibility criteria"),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    has_vote = forms.BooleanField(
        label=_("The verified organisations vote for the admitted candidates"), required=False
    )


class ExtendForm(BootstrapFormMixin, forms.Form):
    closes_on = forms.DateField(label=_("New closing date of the registration"), widget=DATE_WIDGET)


class EvaluationForm(BootstrapFormMixin, forms.Form):
    admitted = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Admitted")), ("0", _("Not admitted"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    score = forms.DecimalField(
        label=_("Score"), max_digits=6, decimal_places=2, min_value=0, required=False
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=REASONS_WIDGET,
        help_text=_("Required when the application is not admitted; sent to the organisation."),
    )


class ProvisionalForm(BootstrapFormMixin, forms.Form):
    appeals_until = forms.DateField(label=_("Appeals accepted until"), widget=DATE_WIDGET)


class AppealForm(BootstrapFormMixin, forms.Form):
    reasons = forms.CharField(
        label=_("Reasons of the appeal"), max_length=REASON_MAX_LENGTH, widget=REASONS_WIDGET
    )


class AppealDecisionForm(BootstrapFormMixin, forms.Form):
    uphold = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Uphold: the application is admitted")), ("0", _("Dismiss"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons of the decision"), max_length=REASON_MAX_LENGTH, widget=REASONS_WIDGET
    )


class VoteOpenForm(BootstrapFormMixin, forms.Form):
    vote_until = forms.DateField(label=_("Vote open until"), widget=DATE_WIDGET)


class VoteForm(BootstrapFormMixin, forms.Form):
    def __init__(self, *args, organisations, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = forms.ModelChoiceField(
            label=_("Voting organisation"), queryset=organisations, empty_label=None
        )
        self.fields["candidate"] = forms.ModelChoiceField(
            label=_("Candidate"),
            queryset=candidates,
            empty_label=None,
            widget=forms.RadioSelect,
        )
        self.fields["candidate"].label_from_instance = lambda a: a.organisation.name
