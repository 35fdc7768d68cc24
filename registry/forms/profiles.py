"""Forms of the richer profile of an organisation (issue 18). They parse what people type;
the services in registry.services.profiles validate again and write."""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conect.core.forms import AutocompleteChoiceField, BootstrapFormMixin

from ..models import (
    Domain,
    Organisation,
    OrganisationActivity,
    OrganisationAffiliation,
    OrganisationBranch,
)
from ..selectors.profiles import affiliation_parent_choices
from ..services.profiles import ACTIVITY_FIELDS, RICH_PROFILE_FIELDS, RICH_PROFILE_M2M
from .institutions import county_choices, region_choices
from .organisations import ServiceValidatedModelForm, _formfield

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganisationProfileForm(ServiceValidatedModelForm):
    """Where the organisation works, its social services, links and contact person."""

    class Meta:
        model = Organisation
        fields = [
            "activity_area",
            *RICH_PROFILE_M2M,
            *(f for f in RICH_PROFILE_FIELDS if f != "activity_area"),
        ]
        formfield_callback = _formfield
        widgets = {
            "activity_counties": forms.CheckboxSelectMultiple,
            "activity_regions": forms.CheckboxSelectMultiple,
            "contact_email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "public_utility_date": DATE,
        }
        help_texts = {
            "activity_area": _(
                "Local or county: name the counties. Regional: name the development "
                "regions. National: the whole country."
            ),
            "social_services_accreditation": _(
                "The number of the accreditation certificate issued by the Ministry of Labour."
            ),
            "public_utility_decision": _(
                "The Government decision that recognised the organisation of public "
                "utility, for example HG nr. 1234/2010. The National NGO Registry is its "
                "source: what the register says replaces it at the next import."
            ),
            "donation_url": _("The page where people can donate to the organisation."),
            "contact_name": _(
                "Shown on the organisation's public page, with the role, e-mail and phone "
                "below: give them only with the person's agreement."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_counties"].queryset = county_choices()
        self.fields["activity_regions"].queryset = region_choices()
        self.fields["activity_area"].choices = [
            ("", _("Not given")),
            *Organisation.ActivityArea.choices,
        ]

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in RICH_PROFILE_FIELDS}
        for name in RICH_PROFILE_M2M:
            data[name] = list(self.cleaned_data.get(name) or [])
        return data


class AffiliationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = OrganisationAffiliation
        fields = ["kind", "parent", "name", "website"]
        formfield_callback = _formfield
        field_classes = {"parent": AutocompleteChoiceField}
        help_texts = {
            "parent": _("Type a few letters of its name and choose it from the suggestions."),
            "name": _("Only when it is not in the registry."),
        }
        error_messages = {
            "parent": {
                "invalid_choice": _(
                    "Choose the federation or coalition from the suggestions, or leave the "
                    "field empty and write its name."
                )
            }
        }

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        parent.queryset = affiliation_parent_choices(organisation)
        parent.url = reverse("registry:affiliation-options", args=[organisation.pk])

    def _post_clean(self):
        pass  # the service validates


class BranchForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = OrganisationBranch
        fields = ["name", "county", "locality", "address", "email", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = county_choices()

    def _post_clean(self):
        pass  # the service validates


class ActivityForm(ServiceValidatedModelForm):
    """A project, an event or a call for volunteers."""

    class Meta:
        model = OrganisationActivity
        fields = list(ACTIVITY_FIELDS)
        formfield_callback = _formfield
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "language": _(
                "The language you write the title and description in: they are shown as "
                "written, never translated."
            ),
            "county": _("Leave empty only for an online activity."),
            "volunteers_needed": _("For a call for volunteers."),
        }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        offered = Q(is_active=True)
        if self.instance.pk and self.instance.domain_id:
            offered |= Q(pk=self.instance.domain_id)
        self.fields["domain"].queryset = Domain.objects.filter(offered).order_by(
            "position", "name_ro"
        )
        self.fields["domain"].required = True
        self.fields["county"].queryset = county_choices()
        if kind != OrganisationActivity.Kind.VOLUNTEERING:
            del self.fields["volunteers_needed"]
        if kind == OrganisationActivity.Kind.VOLUNTEERING:
            self.fields["ends_on"].label = _("Applications until")

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}
