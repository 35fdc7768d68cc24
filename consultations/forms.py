"""Forms of consultations. They parse and show errors; the services decide."""

import uuid

from django import forms
from django.conf import settings
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conect.core.collation import by_name
from conect.core.fields import SafeURLFormField
from conect.core.forms import AutocompleteChoiceField, BootstrapFormMixin
from conect.core.validators import (
    DESCRIPTION_MAX_LENGTH,
    DOCUMENT_MAX_LENGTH,
    DRAFT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    RECOMMENDATION_MAX_LENGTH,
)
from registry.models import County, Domain, Institution, Organisation, Region, RelationshipOfficial

from .models import (
    AnnouncementChannel,
    AnnualReportStatement,
    Channel,
    Consultation,
    DebateRegistration,
    DebateRequest,
    Document,
    NotificationPreference,
    Recommendation,
)
from .services import EDITABLE_WHEN_OPEN, check_dates

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACCEPT = ".pdf,.docx,.odt,application/pdf,application/vnd.oasis.opendocument.text,"
ACCEPT += "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ConsultationForm(BootstrapFormMixin, forms.ModelForm):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none()
    )
    announcement_channels = forms.MultipleChoiceField(
        label=_("Where the draft is also announced"),
        choices=AnnouncementChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Counted in the annual report, by channel."),
    )

    class Meta:
        model = Consultation
        fields = [
            "institution",
            "title",
            "summary",
            "kind",
            "domains",
            "is_national",
            "regions",
            "counties",
            "contact_official",
            "opens_on",
            "closes_on",
            "planned_adoption_on",
            "planned_endorsement_on",
            "announcement_channels",
            "is_urgent",
            "urgency_justification",
            "moderation",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "urgency_justification": forms.Textarea(attrs={"rows": 3}),
            "opens_on": DATE,
            "closes_on": DATE,
            "planned_adoption_on": DATE,
            "planned_endorsement_on": DATE,
            "domains": forms.SelectMultiple(attrs={"size": 8}),
            "regions": forms.SelectMultiple(attrs={"size": 8}),
            "counties": forms.SelectMultiple(attrs={"size": 10}),
            "moderation": forms.RadioSelect,
        }
        help_texts = {
            "summary": _(
                "Plain text. Leave an empty line between paragraphs, start a line with “-” for "
                "a list, put **two asterisks** around words in bold; web addresses become links."
            ),
            "opens_on": _("The announcement is published on the day you publish it."),
            "closes_on": _("At least %(days)d calendar days after the opening.")
            % {"days": settings.CONSULTATION_MIN_WINDOW_DAYS},
            "planned_adoption_on": _(
                "At least %(days)d working days after the announcement; weekends and "
                "public holidays are not counted."
            )
            % {"days": settings.CONSULTATION_MIN_ANNOUNCEMENT_WORKING_DAYS},
            "planned_endorsement_on": _(
                "When the draft goes to the other institutions for endorsement (avizare): at "
                "least %(days)d working days after the announcement. Left empty, the "
                "planned adoption is checked instead."
            )
            % {"days": settings.CONSULTATION_MIN_ANNOUNCEMENT_WORKING_DAYS},
            "urgency_justification": _("Required for the urgency procedure; shown publicly."),
            "is_national": _("Otherwise choose the regions or counties concerned."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if editing:
            del self.fields["institution"]
            institution_id = self.instance.institution_id
        else:
            institutions = Institution.objects.filter(
                staff_memberships__user=user, staff_memberships__status="approved"
            )
            self.fields["institution"].queryset = institutions
            choices = list(institutions.values_list("pk", flat=True)[:2])
            if len(choices) == 1:
                self.fields["institution"].initial = choices[0]
            institution_id = self.data.get("institution") or (choices[0] if choices else None)
        self.fields["domains"].queryset = Domain.objects.filter(is_active=True)
        regions = Region.objects.only("id", "code", "name")
        self.fields["regions"].queryset = regions.order_by(by_name())
        self.fields["counties"].queryset = County.objects.only("id", "code", "name")
        self.fields["contact_official"].queryset = RelationshipOfficial.objects.filter(
            institution_id=institution_id if str(institution_id or "").isdigit() else None,
            consented_at__isnull=False,
            removed_at__isnull=True,
        )
        if editing and self.instance.state == Consultation.State.OPEN:
            for name, field in self.fields.items():
                if name not in EDITABLE_WHEN_OPEN:
                    field.disabled = True

    def clean(self):
        data = super().clean()
        needed = ("opens_on", "closes_on", "planned_adoption_on")
        if all(data.get(name) for name in needed):
            from . import dates

            is_draft = self.instance.pk is None or self.instance.state == Consultation.State.DRAFT
            errors = check_dates(
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                planned_adoption_on=data["planned_adoption_on"],
                planned_endorsement_on=data.get("planned_endorsement_on"),
                is_urgent=data.get("is_urgent", False),
                urgency_justification=data.get("urgency_justification", ""),
                today=dates.local_today() if is_draft else None,
            )
            for field, messages in errors.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data


class TransitionForm(BootstrapFormMixin, forms.Form):
    """The fields a transition needs: a reason, the adopted act, the synthesis summary."""

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        if transition.name == "withdraw":
            self.fields["reason"] = forms.CharField(
                label=_("Reason for the withdrawal (public)"),
                max_length=REASON_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        elif transition.name == "adopt":
            self.fields["adopted_act_url"] = SafeURLFormField(
                label=_("Link to the adopted act"), max_length=200
            )
            self.fields["adopted_on"] = forms.DateField(label=_("Adopted on"), widget=DATE)
        elif transition.name == "synthesise":
            self.fields["synthesis_summary"] = forms.CharField(
                label=_("Introduction to the synthesis (optional)"),
                required=False,
                max_length=RECOMMENDATION_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 5}),
            )


class ArticlesForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Text of the draft, article by article"),
        max_length=DRAFT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            'Start each article on a new line with "Art. 1", "Art. 2"... (or "Articolul 1"). '
            "Recommendations can then point to an article."
        ),
    )


def _file_help(max_bytes):
    return _("PDF, DOCX or ODT, at most %(size)s.") % {"size": filesizeformat(max_bytes)}


class DocumentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help(settings.CONSULTATION_DOCUMENT_MAX_BYTES)


class VersionForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("New version"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    change_note = forms.CharField(
        label=_("What changed (public)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help(settings.CONSULTATION_DOCUMENT_MAX_BYTES)


class RecommendationForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Your recommendation"),
        max_length=RECOMMENDATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Plain text. Leave an empty line between paragraphs, start a line with “-” for "
            "a list, put **two asterisks** around words in bold; web addresses become links."
        ),
    )
    article = forms.ModelChoiceField(
        label=_("Article"),
        queryset=None,
        required=False,
        empty_label=_("General recommendation (the whole draft)"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Send as"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Myself"),
    )
    hide_name = forms.BooleanField(
        label=_("Do not show my name publicly"),
        required=False,
        help_text=_(
            "The institution still sees it. Not available when writing for an organisation."
        ),
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, consultation, user, recommendation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = consultation.articles.all()
        self.fields["attachment"].help_text = _file_help(settings.CONSULTATION_ATTACHMENT_MAX_BYTES)
        if recommendation is not None:
            del self.fields["organisation"]
            del self.fields["submission_key"]
            if recommendation.organisation_id:
                del self.fields["hide_name"]
            self.fields["remove_attachment"] = forms.BooleanField(
                label=_("Remove the attachment"), required=False
            )
            if not recommendation.attachment:
                del self.fields["remove_attachment"]
        else:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                memberships__user=user, status__in=Organisation.PUBLIC_STATUSES
            )
            if not self.is_bound:
                self.initial["submission_key"] = uuid.uuid4()

    def clean(self):
        data = super().clean()
        if data.get("organisation") and data.get("hide_name"):
            self.add_error(
                "hide_name", _("A recommendation sent for an organisation shows its name.")
            )
        return data


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=REASON_MAX_LENGTH
    )


class ModerationForm(BootstrapFormMixin, forms.Form):
    ACTIONS = [
        ("approve", _("Approve")),
        ("hide", _("Hide")),
        ("restore", _("Restore")),
        ("dismiss", _("Dismiss the reports")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(required=False, max_length=REASON_MAX_LENGTH, widget=forms.Textarea)


class AnswerForm(BootstrapFormMixin, forms.Form):
    recommendations = forms.TypedMultipleChoiceField(
        label=_("Recommendations"), coerce=int, choices=()
    )
    # Nothing is chosen in advance: a disposition is a decision, never a default.
    disposition = forms.ChoiceField(
        label=_("Disposition"),
        choices=[("", _("Choose a disposition")), *Recommendation.Disposition.choices],
        error_messages={"required": _("Choose a disposition.")},
    )
    justification = forms.CharField(
        label=_("Justification"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give a justification for the disposition.")},
    )

    def __init__(self, *args, recommendation_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendations"].choices = [(pk, pk) for pk in recommendation_ids]
        self.fields["recommendations"].error_messages["required"] = _(
            "Select at least one recommendation."
        )


class DebateRequestForm(BootstrapFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    motivation = forms.CharField(
        label=_("Why a public debate is needed"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    institution = forms.ModelChoiceField(
        label=_("Public authority"), queryset=Institution.objects.none(), required=False
    )

    def __init__(self, *args, user, consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__user=user, status__in=Organisation.PUBLIC_STATUSES
        )
        # A civil servant of another public authority asks on its behalf.
        authorities = Institution.objects.filter(
            staff_memberships__user=user, staff_memberships__status="approved"
        ).only("id", "name")
        if consultation is not None:
            authorities = authorities.exclude(pk=consultation.institution_id)
        self.fields["institution"].queryset = authorities
        self.fields["organisation"].required = False
        if not authorities.exists():
            del self.fields["institution"]

    def clean(self):
        data = super().clean()
        if bool(data.get("organisation")) == bool(data.get("institution")):
            raise forms.ValidationError(
                _("Choose the association or the public authority that asks.")
            )
        return data


class DebateScheduleForm(BootstrapFormMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=300)
    online_url = SafeURLFormField(label=_("Online link"), required=False, max_length=200)
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for no limit; beyond it, people join a waiting list."),
    )
    minutes_per_speaker = forms.IntegerField(
        label=_("Minutes per speaker"), min_value=1, max_value=60, initial=5, required=False
    )
    requests = forms.ModelMultipleChoiceField(
        label=_("Requests this debate honours"),
        queryset=DebateRequest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requests"].queryset = consultation.debate_requests.filter(
            status=DebateRequest.Status.PENDING
        ).select_related("organisation", "institution")
        self.fields["requests"].label_from_instance = lambda r: r.requester_name


class MinutesForm(BootstrapFormMixin, forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=DOCUMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class PreferenceForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect}


class FollowForm(BootstrapFormMixin, forms.Form):
    TARGETS = [
        ("domain", _("Domain")),
        ("county", _("County")),
        ("region", _("Development region")),
        ("institution", _("Institution")),
        ("consultation", _("Consultation")),
    ]
    domain = forms.ModelChoiceField(
        label=_("Domain"), queryset=Domain.objects.filter(is_active=True), required=False
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.only("id", "code", "name", "region_id"),
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Development region"),
        queryset=Region.objects.only("id", "code", "name").order_by(by_name()),
        required=False,
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.only("id", "name"), required=False
    )
    # Sent by the follow button of a consultation's page, never chosen in a list.
    consultation = forms.ModelChoiceField(
        label=_("Consultation"),
        queryset=Consultation.objects.filter(state__in=Consultation.PUBLIC_STATES).only("id"),
        required=False,
        widget=forms.HiddenInput,
    )
    organisation = forms.ModelChoiceField(
        label=_("Follow as"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Myself"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__user=user,
            memberships__role="admin",
            status__in=Organisation.PUBLIC_STATUSES,
        )

    def clean(self):
        data = super().clean()
        targets = [data.get(name) for name, _label in self.TARGETS if data.get(name)]
        if len(targets) != 1:
            raise forms.ValidationError(
                _("Choose one domain, county, region or institution to follow.")
            )
        data["target"] = targets[0]
        return data


class AnnualReportForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2003, max_value=2100)
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.only("id", "name"),
        required=False,
        empty_label=_("All institutions"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.has_perm("consultations.produce_annual_report"):
            self.fields["institution"].queryset = Institution.objects.filter(
                staff_memberships__user=user, staff_memberships__status="approved"
            )
            self.fields["institution"].required = True


# --- Recommendations from every channel ------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented way): cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class RecordedRecommendationForm(BootstrapFormMixin, forms.Form):
    """A recommendation received by e-mail, post, at a debate, by phone or in person."""

    channel = forms.ChoiceField(
        label=_("Received"),
        choices=[("", _("Choose how it was received"))]
        + [(value, label) for value, label in Channel.choices if value != Channel.ONLINE],
        error_messages={"required": _("Choose how the recommendation was received.")},
    )
    received_on = forms.DateField(
        label=_("Date received"),
        widget=DATE,
        error_messages={"required": _("Give the date the recommendation was received.")},
    )
    organisation = AutocompleteChoiceField(
        Organisation.objects.filter(status__in=Organisation.PUBLIC_STATUSES).only("id", "name"),
        label=_("Organisation in the registry"),
        required=False,
        help_text=_("Type a few letters of its name; otherwise write the sender below."),
        error_messages={
            "invalid_choice": _("Choose the organisation from the suggestions, or leave it empty.")
        },
    )
    sender_name = forms.CharField(label=_("Sender, as written"), max_length=300, required=False)
    sender_is_organisation = forms.BooleanField(
        label=_("The sender is an organisation (its name is public)"), required=False
    )
    name_consent = forms.BooleanField(
        label=_("The person agreed to be named publicly"),
        required=False,
        help_text=_('Otherwise the recommendation is published as sent by "a person".'),
    )
    article = forms.ModelChoiceField(
        label=_("Article"),
        queryset=None,
        required=False,
        empty_label=_("General recommendation (the whole draft)"),
    )
    text = forms.CharField(
        label=_("Text of the recommendation"),
        max_length=RECOMMENDATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the text of the recommendation.")},
    )
    attachments = MultipleFileField(
        label=_("Scanned letter and attachments (optional)"), required=False
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = consultation.articles.all()
        self.fields["attachments"].help_text = _(
            "Up to 10 files; each PDF, DOCX or ODT, at most %(size)s."
        ) % {"size": filesizeformat(settings.CONSULTATION_ATTACHMENT_MAX_BYTES)}
        self.fields["organisation"].url = reverse(
            "consultations:organisation-options", args=[consultation.pk]
        )


# --- Debates as the law runs them --------------------------------------------------------


class DebateRegistrationForm(BootstrapFormMixin, forms.Form):
    mode = forms.ChoiceField(
        label=_("I take part"),
        choices=DebateRegistration.Mode.choices,
        initial=DebateRegistration.Mode.IN_PERSON,
        widget=forms.RadioSelect,
    )
    wants_to_speak = forms.BooleanField(label=_("I want to speak"), required=False)


class DebateRecordForm(BootstrapFormMixin, forms.Form):
    """What happened at a debate: attendance, recording, the minutes' dates."""

    attendance_count = forms.IntegerField(label=_("People present"), min_value=0, required=False)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations present"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The organisations of the people registered and of those who asked."),
    )
    attending_others = forms.CharField(
        label=_("Other organisations present (not in the registry)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    recording_url = SafeURLFormField(label=_("Link to the recording"), required=False)
    minutes_drawn_up_on = forms.DateField(
        label=_("Minutes drawn up on"), required=False, widget=DATE
    )
    minutes_archived_on = forms.DateField(
        label=_("Minutes archived on"), required=False, widget=DATE
    )
    minutes_archive_reference = forms.CharField(
        label=_("Archive reference of the minutes"), required=False, max_length=200
    )

    def __init__(self, *args, debate, **kwargs):
        super().__init__(*args, **kwargs)
        users = debate.registrations.values("user")
        self.fields["organisations"].queryset = (
            Organisation.objects.filter(
                Q(memberships__user__in=users)
                | Q(debate_requests__consultation=debate.consultation_id)
                | Q(pk__in=debate.attending_organisations.values("pk"))
            )
            .distinct()
            .only("id", "name")
            .order_by("name")
        )


class DebateRequestRecordForm(BootstrapFormMixin, forms.Form):
    """A request for a debate that reached the institution by letter, e-mail, phone..."""

    organisation = AutocompleteChoiceField(
        Organisation.objects.filter(status__in=Organisation.PUBLIC_STATUSES).only("id", "name"),
        label=_("Association"),
        required=False,
        error_messages={
            "invalid_choice": _("Choose the organisation from the suggestions, or leave it empty.")
        },
    )
    institution = forms.ModelChoiceField(
        label=_("Or another public authority"),
        queryset=Institution.objects.only("id", "name").order_by("name"),
        required=False,
    )
    channel = forms.ChoiceField(
        label=_("Received"),
        choices=[(value, label) for value, label in Channel.choices if value != Channel.ONLINE],
    )
    requested_on = forms.DateField(label=_("Date of the request"), widget=DATE)
    motivation = forms.CharField(
        label=_("What was asked, and why"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].url = reverse(
            "consultations:organisation-options", args=[consultation.pk]
        )
        self.fields["institution"].queryset = self.fields["institution"].queryset.exclude(
            pk=consultation.institution_id
        )

    def clean(self):
        data = super().clean()
        if bool(data.get("organisation")) == bool(data.get("institution")):
            raise forms.ValidationError(
                _("Choose the association or the public authority that asks.")
            )
        return data


# --- The annual report ---------------------------------------------------------------


class AnnualStatementForm(BootstrapFormMixin, forms.ModelForm):
    """What only the institution's staff know for the year's report."""

    class Meta:
        model = AnnualReportStatement
        fields = [
            "court_cases",
            "court_cases_details",
            "self_assessment",
            "non_public_meetings",
            "non_public_meetings_reasons",
            "draft_requests_people",
            "draft_requests_associations",
            "officials_designation",
        ]
        widgets = {
            "court_cases_details": forms.Textarea(attrs={"rows": 3}),
            "self_assessment": forms.Textarea(attrs={"rows": 5}),
            "non_public_meetings_reasons": forms.Textarea(attrs={"rows": 3}),
            "officials_designation": forms.Textarea(attrs={"rows": 2}),
        }


# --- Working beside e-consultare (cedge) -------------------------------------------------


def _served_institutions(user):
    return Institution.objects.filter(
        staff_memberships__user=user, staff_memberships__status="approved"
    ).order_by(by_name())


class PackageImportForm(BootstrapFormMixin, forms.Form):
    """A consultation package (docs/e-consultare-package.md) and the institution whose
    draft it becomes."""

    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none()
    )
    package = forms.FileField(
        label=_("Consultation package (.zip)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
        help_text=_(
            "A zip file with consultation.json and the documents, as CONECT exports it "
            "(“Download the package” on a consultation's page)."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = _served_institutions(user)


class AnnouncementForm(BootstrapFormMixin, forms.Form):
    """The public address of a consultation announced elsewhere and the text of its
    announcement, pasted by hand, to prefill a new consultation."""

    url = SafeURLFormField(
        label=_("Address of the announcement"),
        max_length=200,
        help_text=_("For example its page on e-consultare.gov.ro; it is not opened."),
    )
    text = forms.CharField(
        label=_("Text of the announcement"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Paste the announcement: its first line becomes the title; its dates, the kind "
            "of act and the rest of the text fill in the form, which you check before "
            "saving."
        ),
    )
