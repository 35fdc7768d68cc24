"""Forms of the institution pages: they parse and check input; the services write."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conect.core.collation import by_name
from conect.core.forms import AutocompleteChoiceField, BootstrapFormMixin
from conect.core.validators import DESCRIPTION_MAX_LENGTH, REASON_MAX_LENGTH

from ..models import (
    AdvisoryStructure,
    County,
    Domain,
    Institution,
    InstitutionStaff,
    Meeting,
    MembershipCall,
    Organisation,
    Region,
    RelationshipOfficial,
    Seat,
)
from ..selectors.institutions import published_officials

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it,
    above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def https_urls(field, **kwargs):
    """Model form fields, where an address typed without a scheme is taken as https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class DomainsField(forms.ModelMultipleChoiceField):
    """Domains of activity as checkboxes, each labelled in the active language."""

    widget = forms.CheckboxSelectMultiple


def _domains_field(help_text=""):
    return DomainsField(
        label=_("Domains of activity"),
        queryset=Domain.objects.filter(is_active=True),
        required=False,
        help_text=help_text,
    )


def county_choices() -> models.QuerySet:
    """Counties by name, without their boundaries (large GeoJSON), which choosing one does
    not need."""
    return County.objects.only("id", "code", "name").order_by(by_name())


def region_choices() -> models.QuerySet:
    return Region.objects.only("id", "code", "name").order_by(by_name())


def parent_choices(institution: Institution | None = None) -> models.QuerySet:
    """The institutions that may be another's parent: every one but itself."""
    institutions = Institution.objects.only("id", "name").order_by("name", "id")
    return institutions if institution is None else institutions.exclude(pk=institution.pk)


def official_choices() -> models.QuerySet:
    """The published officials a seat may be given to, labelled "name — institution"."""
    return (
        published_officials()
        .select_related("institution")
        .only("id", "name", "institution__id", "institution__name")
        .order_by(by_name(), by_name("institution__name"), "id")
    )


class OfficialChoiceField(AutocompleteChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.institution.name}"


# --- Institutions ----------------------------------------------------------------


class InstitutionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Institution
        formfield_callback = https_urls
        fields = ["name", "kind", "level", "county", "parent", "website", "email"]
        # Thousands of institutions: the parent is chosen by suggestions, not in a list.
        field_classes = {"parent": AutocompleteChoiceField}
        error_messages = {
            "parent": {
                "invalid_choice": _(
                    "Choose the parent institution from the suggestions, or leave the field empty."
                )
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        if self.instance.pk:
            parent.queryset = parent_choices(self.instance)
            parent.url = reverse("registry:institution-parent-options", args=[self.instance.pk])
        else:
            parent.queryset = parent_choices()
            parent.url = reverse("registry:new-institution-parent-options")
        self.fields["county"].queryset = county_choices()
        self.fields["county"].help_text = _("Required for county and local institutions.")


class JoinForm(BootstrapFormMixin, forms.Form):
    position = forms.CharField(
        label=_("Your position in the institution"),
        max_length=200,
        help_text=_("For example: adviser, Public Relations Department."),
    )


class StaffDecisionForm(BootstrapFormMixin, forms.Form):
    APPROVE, REJECT = "approve", "reject"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (REJECT, _("Refuse"))],
        widget=forms.RadioSelect,
    )
    role = forms.ChoiceField(
        label=_("Role if approved"),
        choices=InstitutionStaff.Role.choices,
        initial=InstitutionStaff.Role.MEMBER,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason if refused"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Sent to the person who asked."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the refusal."))
        return data


class StaffRoleForm(BootstrapFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=InstitutionStaff.Role.choices)


# --- Officials -------------------------------------------------------------------


class OfficialForm(BootstrapFormMixin, forms.ModelForm):
    domains = _domains_field(help_text=_("Leave empty if the official covers every domain."))
    counties = forms.ModelMultipleChoiceField(
        label=_("Counties covered"),
        queryset=county_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty if the official covers the whole country."),
    )

    class Meta:
        model = RelationshipOfficial
        fields = ["name", "position", "email", "phone", "language", "domains", "counties"]
        help_texts = {
            "email": _(
                "A professional address: the official receives there the link by which they "
                "agree to be published."
            ),
            "language": _("The language of the e-mails sent to the official."),
        }

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            # Its counties by their keys: ModelForm's initial value would read the whole
            # records, with their boundaries.
            prefetch_related_objects(
                [instance], Prefetch("counties", queryset=County.objects.only("id"))
            )
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES


class ConsentForm(BootstrapFormMixin, forms.Form):
    AGREE, DECLINE = "agree", "decline"
    answer = forms.ChoiceField(choices=[(AGREE, AGREE), (DECLINE, DECLINE)])


# --- Advisory structures -----------------------------------------------------------


class StructureForm(BootstrapFormMixin, forms.ModelForm):
    domains = _domains_field()

    class Meta:
        model = AdvisoryStructure
        fields = [
            "name",
            "kind",
            "legal_basis",
            "domains",
            "territorial_level",
            "region",
            "county",
            "description",
            "status",
        ]
        help_texts = {
            "legal_basis": _("The act that set it up, for example: Government Decision no. ..."),
            "region": _("Only for a regional structure."),
            "county": _("For a county or local structure."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["status"]
        self.fields["region"].queryset = region_choices()
        self.fields["county"].queryset = county_choices()


class SeatForm(BootstrapFormMixin, forms.Form):
    organisation = forms.CharField(
        label=_("Organisation (fiscal code)"),
        max_length=12,
        required=False,
        help_text=_("The fiscal code (CUI) of a verified organisation."),
    )
    official = OfficialChoiceField(
        label=_("Or a relationship official"),
        queryset=official_choices(),
        required=False,
        error_messages={
            "invalid_choice": _("Choose the relationship official from the suggestions.")
        },
    )
    role = forms.ChoiceField(label=_("Role"), choices=Seat.Role.choices, initial=Seat.Role.MEMBER)
    mandate_start = forms.DateField(label=_("Mandate from"), widget=DATE_WIDGET)
    mandate_end = forms.DateField(label=_("Mandate to"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args, structure: AdvisoryStructure | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if structure is not None:
            self.fields["official"].url = reverse(
                "registry:seat-official-options", args=[structure.pk]
            )

    def clean_organisation(self):
        code = "".join((self.cleaned_data.get("organisation") or "").split()).upper()
        code = code.removeprefix("RO")
        if not code:
            return None
        organisation = Organisation.objects.filter(fiscal_code=code).first()
        if organisation is None:
            raise ValidationError(_("No organisation in the registry has this fiscal code."))
        return organisation

    def clean(self):
        data = super().clean()
        holders = ("organisation", "official")
        if all(h in data for h in holders) and bool(data["organisation"]) == bool(data["official"]):
            raise ValidationError(
                _("A seat is held by exactly one organisation or one official: choose one of them.")
            )
        start, end = data.get("mandate_start"), data.get("mandate_end")
        if start and end and end < start:
            self.add_error("mandate_end", _("The mandate cannot end before it starts."))
        return data


class SeatEndForm(BootstrapFormMixin, forms.Form):
    mandate_end = forms.DateField(label=_("Mandate ends on"), widget=DATE_WIDGET)

    def __init__(self, *args, seat: Seat, **kwargs):
        super().__init__(*args, **kwargs)
        self.seat = seat
        self.fields["mandate_end"].initial = timezone.localdate()

    def clean_mandate_end(self):
        end = self.cleaned_data["mandate_end"]
        if end < self.seat.mandate_start:
            raise ValidationError(_("The mandate cannot end before it starts."))
        return end


class CallForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = MembershipCall
        fields = ["title", "description", "seats_available", "opens_on", "closes_on"]
        widgets = {
            "opens_on": DATE_WIDGET,
            "closes_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def clean(self):
        data = super().clean()
        if data.get("seats_available") is not None and data["seats_available"] < 1:
            self.add_error("seats_available", _("A call offers at least one seat."))
        return data


class ApplicationForm(BootstrapFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    motivation = forms.CharField(
        label=_("Why your organisation applies"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DESCRIPTION_MAX_LENGTH,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ApplicationDecisionForm(BootstrapFormMixin, forms.Form):
    ACCEPT, REJECT = "accept", "reject"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept: the organisation gets a seat")), (REJECT, _("Reject"))],
        widget=forms.RadioSelect,
    )
    role = forms.ChoiceField(
        label=_("Role in the structure"),
        choices=Seat.Role.choices,
        initial=Seat.Role.MEMBER,
        required=False,
    )
    mandate_start = forms.DateField(label=_("Mandate from"), widget=DATE_WIDGET, required=False)
    mandate_end = forms.DateField(label=_("Mandate to"), widget=DATE_WIDGET, required=False)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required for a rejection; sent to the organisation."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate_start"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the rejection."))
        start, end = data.get("mandate_start"), data.get("mandate_end")
        if start and end and end < start:
            self.add_error("mandate_end", _("The mandate cannot end before it starts."))
        return data


class MeetingForm(BootstrapFormMixin, forms.ModelForm):
    held_at = forms.DateTimeField(
        label=_("Date and time"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )

    class Meta:
        model = Meeting
        formfield_callback = https_urls
        fields = ["held_at", "location", "online_link", "agenda", "minutes"]
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    def clean(self):
        data = super().clean()
        if not data.get("location") and not data.get("online_link") and not self.errors:
            raise ValidationError(_("Give the place of the meeting, its online link, or both."))
        return data
