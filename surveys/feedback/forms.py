"""Forms of the feedback on public services: the public form (in Romanian, English or
Hungarian, see texts.py), and the forms of the institutions and the coordinators."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conect.core.forms import BootstrapFormMixin
from registry.models import Institution

from .models import Answer, Channel, CommentStatus, CommonService, Reply, Service

SCORE_KEYS = ("very_poor", "poor", "fair", "good", "very_good")
SATISFACTION_KEYS = ("very_dissatisfied", "dissatisfied", "neutral", "satisfied", "very_satisfied")
INDICATOR_FIELDS = ("access", "clarity", "courtesy", "timeliness")


class FeedbackForm(BootstrapFormMixin, forms.Form):
    """The form a person fills in, in under a minute, without JavaScript: the overall
    satisfaction (required), four indicators and whether the matter was solved
    (optional), a comment and an e-mail address (optional), and a honeypot field that
    people never see."""

    satisfaction = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect)
    access = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, widget=forms.RadioSelect
    )
    clarity = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, widget=forms.RadioSelect
    )
    courtesy = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, widget=forms.RadioSelect
    )
    timeliness = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, widget=forms.RadioSelect
    )
    solved = forms.ChoiceField(required=False, widget=forms.RadioSelect)
    comment = forms.CharField(
        required=False,
        max_length=Answer._meta.get_field("comment").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    email = forms.EmailField(
        required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by form robots.
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, texts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.texts = texts
        errors = {
            "required": texts["required"],
            "invalid_choice": texts["invalid_choice"],
            "invalid": texts["invalid_email"],
            "max_length": texts["too_long"],
        }
        satisfaction = self.fields["satisfaction"]
        satisfaction.label = texts["satisfaction"]
        satisfaction.choices = [(i + 1, texts[key]) for i, key in enumerate(SATISFACTION_KEYS)]
        for name in INDICATOR_FIELDS:
            field = self.fields[name]
            field.label = texts[name]
            field.choices = [(i + 1, texts[key]) for i, key in enumerate(SCORE_KEYS)]
        self.fields["solved"].label = texts["solved"]
        self.fields["solved"].choices = [(key, texts[key]) for key in ("yes", "partly", "no")]
        self.fields["comment"].label = texts["comment"]
        self.fields["comment"].help_text = texts["comment_help"]
        self.fields["email"].label = texts["email"]
        self.fields["email"].help_text = texts["email_help"]
        self.fields["website"].label = texts["honeypot"]
        for field in self.fields.values():
            field.error_messages = {**field.error_messages, **errors}

    @property
    def is_robot(self) -> bool:
        """The honeypot was filled in: the answer is thanked for and never kept."""
        return bool(self.cleaned_data.get("website"))

    def answer_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("website", None)
        return data

    def indicator_fields(self):
        return [self[name] for name in INDICATOR_FIELDS]


class ServiceForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            "name",
            "description",
            "channel",
            "county",
            "locality",
            "responsible",
            "poster_language",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CommonServiceForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CommonService
        fields = ["name", "description", "channel", "institution_kind"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CommonServiceListForm(BootstrapFormMixin, forms.Form):
    """Several services of the catalogue at once: their names, one per line, for the
    institutions of one kind and one channel."""

    institution_kind = forms.ChoiceField(
        label=_("Institutions of the kind"), choices=Institution.Kind.choices
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.COUNTER
    )
    names = forms.CharField(
        label=_("Services, one per line"),
        max_length=20_000,
        error_messages={"required": _("Write at least one service, one per line.")},
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Each line becomes a service of the catalogue. A service the catalogue already "
            "has for these institutions is not added twice."
        ),
    )

    def clean_names(self):
        return self.cleaned_data["names"].splitlines()


class AdoptForm(BootstrapFormMixin, forms.Form):
    common_services = forms.ModelMultipleChoiceField(
        label=_("Services of the catalogue"),
        queryset=CommonService.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["common_services"].queryset = choices


class ModerationForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (CommentStatus.PUBLISHED, _("Publish as written")),
            (CommentStatus.EDITED, _("Publish with personal data or insults removed")),
            (CommentStatus.REJECTED, _("Do not publish")),
        ],
    )
    public_comment = forms.CharField(
        label=_("The comment as it will be published"),
        required=False,
        max_length=Answer._meta.get_field("public_comment").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        help_text=_("Required when the comment is changed or not published."),
    )


class ReplyForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Reply
        fields = ["body", "visibility"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4}), "visibility": forms.RadioSelect}
