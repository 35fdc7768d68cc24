"""Forms of the institution pages: they parse and check input; the services write."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conect.core.baked import BakedValues, set_prefetched, stub
from conect.core.fields import KeyLabelChoiceField
from conect.core.forms import Form, ModelForm

from .form_fields import (
    CountiesField,
    CountyField,
    DomainsField,
    RegionField,
    institution_names,
    institutions_other_than,
    without_boundaries,
)
from .models import (
    AdvisoryStructure,
    County,
    Domain,
    Institution,
    InstitutionStaff,
    Meeting,
    MembershipCall,
    Organisation,
    RelationshipOfficial,
    Seat,
)
from .selectors.institutions import published_officials

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


def _domains_field(help_text=""):
    return DomainsField(
        label=_("Domains of activity"),
        queryset=Domain.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


# --- Institutions ----------------------------------------------------------------


class InstitutionForm(ModelForm):
    class Meta:
        model = Institution
        formfield_callback = https_urls
        fields = ["name", "kind", "level", "county", "parent", "website", "email"]
        # Thousands of institutions: options drawn from their keys and names.
        field_classes = {"parent": KeyLabelChoiceField, "county": CountyField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].offer(institutions_other_than, self.instance.pk)
        else:
            self.fields["parent"].offer(institution_names)
        self.fields["county"].offer(without_boundaries)
        self.fields["county"].help_text = _("Required for county and local institutions.")


class JoinForm(Form):
    position = forms.CharField(
        label=_("Your position in the institution"),
        max_length=200,
        help_text=_("For example: adviser, Public Relations Department."),
    )


class StaffDecisionForm(Form):
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
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Sent to the person who asked."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the refusal."))
        return data


class StaffRoleForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=InstitutionStaff.Role.choices)


# --- Officials -------------------------------------------------------------------


def _link_keys(relation, owner: str, target: str) -> BakedValues:
    """The keys a many-to-many relation links to one record (SQL written once)."""
    return BakedValues(
        lambda pk: relation.through.objects.filter(**{owner: pk}).order_by().values_list(target)
    )


_official_domain_keys = _link_keys(
    RelationshipOfficial.domains, "relationshipofficial_id", "domain_id"
)
_official_county_keys = _link_keys(
    RelationshipOfficial.counties, "relationshipofficial_id", "county_id"
)
_structure_domain_keys = _link_keys(AdvisoryStructure.domains, "advisorystructure_id", "domain_id")


def _initial_links(instance, name: str, model, keys_of: BakedValues) -> None:
    """An edit form's initial records of a relation from their keys alone: not the
    query ModelForm makes, which joins the whole records (a county's with its boundary)."""
    if instance is not None and instance.pk:
        set_prefetched(instance, name, [stub(model, pk=key) for (key,) in keys_of(instance.pk)])


class OfficialForm(ModelForm):
    domains = _domains_field(help_text=_("Leave empty if the official covers every domain."))
    counties = CountiesField(
        label=_("Counties covered"),
        queryset=County.objects.only("code", "name").order_by("name"),
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
        _initial_links(instance, "domains", Domain, _official_domain_keys)
        _initial_links(instance, "counties", County, _official_county_keys)
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES


class ConsentForm(Form):
    AGREE, DECLINE = "agree", "decline"
    answer = forms.ChoiceField(choices=[(AGREE, AGREE), (DECLINE, DECLINE)])


# --- Advisory structures -----------------------------------------------------------


class StructureForm(ModelForm):
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
        field_classes = {"region": RegionField, "county": CountyField}

    def __init__(self, *args, **kwargs):
        _initial_links(kwargs.get("instance"), "domains", Domain, _structure_domain_keys)
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["status"]
        self.fields["region"].offer(without_boundaries)
        self.fields["county"].offer(without_boundaries)


class SeatForm(Form):
    organisation = forms.CharField(
        label=_("Organisation (fiscal code)"),
        max_length=12,
        required=False,
        help_text=_("The fiscal code (CUI) of a verified organisation."),
    )
    official = KeyLabelChoiceField(
        label=_("Or a relationship official"),
        queryset=published_officials().order_by("institution__name", "name", "pk"),
        label_fields=("name", "institution__name"),  # "name — institution"
        required=False,
    )
    role = forms.ChoiceField(label=_("Role"), choices=Seat.Role.choices, initial=Seat.Role.MEMBER)
    mandate_start = forms.DateField(label=_("Mandate from"), widget=DATE_WIDGET)
    mandate_end = forms.DateField(label=_("Mandate to"), widget=DATE_WIDGET, required=False)

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


class SeatEndForm(Form):
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


class CallForm(ModelForm):
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


class ApplicationForm(Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    motivation = forms.CharField(
        label=_("Why your organisation applies"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ApplicationDecisionForm(Form):
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


class MeetingForm(ModelForm):
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
