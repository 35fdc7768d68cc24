"""Forms of the guide app; drawn by Django's renderer with the project's templates."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conect.core.fields import SafeURLFormField
from conect.core.forms import BootstrapFormMixin
from consultations.models import Consultation
from consultations.proposals.models import Proposal
from registry.models import County, Domain, Institution, Organisation, Region
from registry.rules.predicates import _institution_roles, _org_roles

from .models import (
    COMMENT_MAX_LENGTH,
    Chapter,
    Method,
    Section,
    SectionImage,
    TemplateFile,
    TrainingSession,
)

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ChapterForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Chapter
        fields = ["title_ro", "title_en", "key", "position"]


class SectionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["chapter", "title_ro", "title_en", "key", "position", "body_ro", "body_en"]
        widgets = {
            "body_ro": forms.Textarea(attrs={"rows": 14}),
            "body_en": forms.Textarea(attrs={"rows": 14}),
        }
        help_texts = {
            "body_ro": _(
                "Paragraphs, bold, italics, lists, quotations and links are kept; anything "
                "else is removed when the section is saved."
            )
        }


class ImageForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = SectionImage
        fields = ["image", "alt_ro", "alt_en", "caption_ro", "caption_en", "position"]
        help_texts = {"alt_ro": _("Required: what the image shows, for those who cannot see it.")}


class TemplateFileForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = TemplateFile
        fields = ["title_ro", "title_en", "language", "file", "position"]
        help_texts = {"file": _("A PDF, DOCX or ODT document.")}


class EditionForm(BootstrapFormMixin, forms.Form):
    note_ro = forms.CharField(
        label=_("What changed (Romanian)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=COMMENT_MAX_LENGTH,
    )
    note_en = forms.CharField(
        label=_("What changed (English)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
    )


class SectionFeedbackForm(BootstrapFormMixin, forms.Form):
    useful = forms.TypedChoiceField(
        label=_("Was this useful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("A comment for the editors (optional)"),
        help_text=_("Do not write personal data: the comment is read by the guide's editors."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
    )


class SearchForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search the guide"), max_length=200, required=False)


class CompareForm(BootstrapFormMixin, forms.Form):
    old = forms.TypedChoiceField(label=_("Earlier edition"), coerce=int)
    new = forms.TypedChoiceField(label=_("Later edition"), coerce=int)

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, str(n)) for n in numbers]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("old") is not None and data.get("old") == data.get("new"):
            raise forms.ValidationError(_("Choose two different editions."))
        return data


# --- Training sessions -------------------------------------------------------------------


class SessionForm(BootstrapFormMixin, forms.ModelForm):
    online_url = SafeURLFormField(label=_("Online link"), required=False)

    class Meta:
        model = TrainingSession
        fields = [
            "topic",
            "description",
            "audience",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "capacity",
            "trainers",
            "sections",
            "institution",
            "is_network_event",
            "feedback_survey",
        ]
        widgets = {
            "starts_at": DATETIME_INPUT,
            "ends_at": DATETIME_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
            "sections": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "trainers": _("Their names, separated by commas."),
            "place": _("An address, or leave empty for an online session with its link."),
            "feedback_survey": _(
                "A questionnaire you manage, open to anyone or to signed-in users: the "
                "attendees get its link after the session. Without one, they get a short "
                "built-in form."
            ),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].queryset = Section.objects.select_related("chapter")
        from conect.accounts.rules import is_coordinator

        if is_coordinator(user):
            self.fields["institution"].queryset = Institution.objects.order_by("name")
            self.fields["institution"].required = False
        else:
            ids = list(_institution_roles(user))
            self.fields["institution"].queryset = Institution.objects.filter(pk__in=ids)
            self.fields["institution"].required = True
            self.fields["institution"].empty_label = None
        self.fields["feedback_survey"].queryset = _feedback_surveys(user, self.instance)
        self.fields["feedback_survey"].empty_label = _("The short built-in form")


def _feedback_surveys(user, session):
    """The questionnaires `user` manages that attendees could answer (not a roster's, not
    closed), and the one the session already has."""
    from surveys.models import Survey
    from surveys.selectors import surveys_managed

    usable = (
        surveys_managed(user)
        .exclude(audience=Survey.Audience.ROSTER)
        .exclude(status=Survey.Status.CLOSED)
    )
    return Survey.objects.filter(
        Q(pk__in=usable.values("pk")) | Q(pk=session.feedback_survey_id or 0)
    ).order_by("-created_at", "-pk")


class RegisterForm(BootstrapFormMixin, forms.Form):
    """Whom the person represents, when they act for more than one body."""

    institution = forms.ModelChoiceField(
        label=_("I represent the institution"), queryset=Institution.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("I represent the organisation"),
        queryset=Organisation.objects.none(),
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        institution_ids = list(_institution_roles(user)) if user.is_authenticated else []
        organisation_ids = list(_org_roles(user)) if user.is_authenticated else []
        if len(institution_ids) + len(organisation_ids) > 1:
            self.fields["institution"].queryset = Institution.objects.filter(pk__in=institution_ids)
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=organisation_ids
            )
        else:  # nothing to choose: the service takes the one body, if any
            del self.fields["institution"]
            del self.fields["organisation"]

    def clean(self):
        data = super().clean()
        if data.get("institution") and data.get("organisation"):
            raise forms.ValidationError(_("Choose an institution or an organisation, not both."))
        return data


class TrainingFeedbackForm(BootstrapFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Overall, how useful was the session? (1: not at all, 5: very)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    liked = forms.CharField(
        label=_("What was most useful?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
    )
    improve = forms.CharField(
        label=_("What should change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
    )


# --- Practices -------------------------------------------------------------------------


class PracticeForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.order_by("name"),
        help_text=_("The institution whose practice this is."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Submitted in the name of the organisation"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    problem = forms.CharField(label=_("The problem"), widget=forms.Textarea(attrs={"rows": 4}))
    what_was_done = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4})
    )
    methods_text = forms.CharField(
        label=_("How (methods)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    results = forms.CharField(label=_("Results"), widget=forms.Textarea(attrs={"rows": 3}))
    contact = forms.CharField(label=_("Contact"), max_length=300)
    domains = forms.ModelMultipleChoiceField(
        label=_("Domains"),
        queryset=Domain.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    methods = forms.ModelMultipleChoiceField(
        label=_("Methods"),
        queryset=Method.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consultations = forms.ModelMultipleChoiceField(
        label=_("Consultations of the institution"),
        queryset=Consultation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    proposals = forms.ModelMultipleChoiceField(
        label=_("Citizens' proposals"),
        queryset=Proposal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Public proposals made to the institution's calls for proposals."),
    )
    document_title = forms.CharField(label=_("Document title"), max_length=300, required=False)
    document = forms.FileField(label=_("Document (PDF, DOCX or ODT)"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        institution_ids = list(_institution_roles(user))
        organisation_ids = list(_org_roles(user))
        if institution_ids and not organisation_ids:
            self.fields["institution"].queryset = Institution.objects.filter(pk__in=institution_ids)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=organisation_ids)
        if not organisation_ids:
            del self.fields["organisation"]
        consultations = Consultation.objects.filter(
            institution_id__in=institution_ids, state__in=Consultation.PUBLIC_STATES
        ).order_by("-opens_on")[:50]
        if institution_ids:
            self.fields["consultations"].queryset = Consultation.objects.filter(
                pk__in=list(consultations.values_list("pk", flat=True))
            )
        else:
            del self.fields["consultations"]
        # The public proposals to the calls of the person's institutions, or those sent in
        # the name of their organisations (the newest 50).
        proposals = Proposal.objects.filter(
            Q(call__institution_id__in=institution_ids) | Q(organisation_id__in=organisation_ids),
            state__in=Proposal.PUBLIC_STATES,
        ).order_by("-created_at", "-pk")[:50]
        proposal_ids = list(proposals.values_list("pk", flat=True))
        if proposal_ids:
            self.fields["proposals"].queryset = Proposal.objects.filter(
                pk__in=proposal_ids
            ).select_related("call")
        else:
            del self.fields["proposals"]

    def clean(self):
        data = super().clean()
        if data.get("document") and not (data.get("document_title") or "").strip():
            self.add_error("document_title", _("Give the document a title."))
        return data

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            from consultations.uploads import check_upload

            check_upload(document, max_bytes=10 * 1024 * 1024)
        return document


class PracticeFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    domain = forms.ModelChoiceField(
        label=_("Domain"),
        queryset=Domain.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
    )
    method = forms.ModelChoiceField(
        label=_("Method"), queryset=Method.objects.all(), to_field_name="slug", required=False
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.order_by("name"),
        to_field_name="code",
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("code"),
        to_field_name="code",
        required=False,
    )


class JoinNetworkForm(BootstrapFormMixin, forms.Form):
    body = forms.ChoiceField(label=_("Join the network as"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from registry.models import InstitutionStaff, OrganisationMembership

        choices = []
        for pk, role in _institution_roles(user).items():
            if role == InstitutionStaff.Role.ADMIN:
                choices.append((f"i{pk}", pk))
        for pk, role in _org_roles(user).items():
            if role == OrganisationMembership.Role.ADMIN:
                choices.append((f"o{pk}", pk))
        names = {
            **{
                f"i{i.pk}": i.name
                for i in Institution.objects.filter(
                    pk__in=[c[1] for c in choices if c[0][0] == "i"]
                )
            },
            **{
                f"o{o.pk}": o.name
                for o in Organisation.objects.filter(
                    pk__in=[c[1] for c in choices if c[0][0] == "o"]
                )
            },
        }
        self.fields["body"].choices = [(key, names[key]) for key, _pk in choices if key in names]
