"""Forms of the organisation pages. They parse and check what people type; the services
validate again and write (model validation is left to them, see `_post_clean`)."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conect.core.forms import BootstrapFormMixin
from conect.core.validators import REASON_MAX_LENGTH

from ..models import Domain, Organisation, OrganisationMembership
from ..services.organisations import IDENTITY_FIELDS, LOGO_MAX_BYTES, PROFILE_FIELDS
from ..validators import normalize_fiscal_code, validate_fiscal_code
from .institutions import DomainsField, county_choices


def _formfield(model_field, **kwargs):
    # Addresses typed without a scheme ("www.ong.ro") are taken as https.
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class ServiceValidatedModelForm(BootstrapFormMixin, forms.ModelForm):
    """A ModelForm that leaves the instance alone: the service applies the data and runs
    `full_clean()`, so the form does not construct nor validate the instance."""

    def _post_clean(self):
        pass


class OrganisationForm(ServiceValidatedModelForm):
    """The profile of an organisation, to create or edit it. With `lock_identity`, the
    fields that say which legal entity it is are shown but cannot be changed (a posted
    value is ignored)."""

    class Meta:
        model = Organisation
        fields = [*PROFILE_FIELDS, "domains", "logo"]
        formfield_callback = _formfield
        field_classes = {"domains": DomainsField}
        widgets = {
            "registration_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 8}),
            "domains": forms.CheckboxSelectMultiple,
            "logo": forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
            ),
            "latitude": forms.NumberInput(attrs={"step": "0.000001"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        help_texts = {
            "fiscal_code": _("The CUI/CIF, with or without the RO prefix."),
            "registry_number": _("As written in the National NGO Registry, if you know it."),
            "description": _(
                "Paragraphs, bold, italics, lists and links are kept; any other formatting "
                "or script is removed."
            ),
            "logo": _("A PNG, JPEG, GIF or WebP image of at most 2 MB."),
            "latitude": _("Optional, with the longitude: where the organisation is on the map."),
            "website": _("For example https://www.example.ro"),
        }

    def __init__(self, *args, lock_identity: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Inactive domains are offered only to profiles that already have them.
        offered = Q(is_active=True)
        if self.instance.pk:
            offered |= Q(
                pk__in=self.instance.domains.through.objects.filter(
                    organisation_id=self.instance.pk
                ).values("domain_id")
            )
        self.fields["domains"].queryset = Domain.objects.filter(offered)
        self.fields["county"].queryset = county_choices()
        self.fields["county"].empty_label = _("Choose the county")
        if lock_identity:
            for name in IDENTITY_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Checked by the coordinators: write to them if it must change."
                )

    def clean_fiscal_code(self):
        code = normalize_fiscal_code(self.cleaned_data.get("fiscal_code", ""))
        validate_fiscal_code(code)
        return code

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile) and logo.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("The logo is too large: it may be at most %(max)s MB."),
                params={"max": LOGO_MAX_BYTES // 1024 // 1024},
                code="logo_too_large",
            )
        return logo

    def service_data(self) -> dict:
        """The cleaned data as the services take it: `logo` only when it changes (a new
        file, or False to remove it)."""
        data = {name: self.cleaned_data[name] for name in PROFILE_FIELDS}
        data["domains"] = list(self.cleaned_data.get("domains") or [])
        logo = self.cleaned_data.get("logo")
        if logo is False:
            data["logo"] = None
        elif isinstance(logo, UploadedFile):
            data["logo"] = logo
        return data


class ClaimForm(BootstrapFormMixin, forms.Form):
    fiscal_code = forms.CharField(
        label=_("Fiscal code (CUI/CIF)"),
        max_length=14,
        required=False,
        help_text=_("The CUI/CIF of the organisation, with or without the RO prefix."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    # Issue 18: the Ministry's files have no fiscal code; such a record is claimed by its
    # registry number, with a document that the coordinators check.
    registry_number = forms.CharField(
        label=_("Or: number in the National NGO Registry"),
        max_length=40,
        required=False,
        help_text=_(
            "When the record has no fiscal code, for example 1039/A/2004; add then a "
            "document that proves you represent the organisation."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    proof = forms.FileField(
        label=_("Proof (PDF, PNG or JPEG, at most 10 MB)"),
        required=False,
        help_text=_(
            "The court's registration, the statute or a decision of the board naming you; "
            "only the coordinators read it."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_(
            "I confirm that I represent this organisation and may act on its behalf; the "
            "coordinators will check it."
        ),
    )

    def clean_fiscal_code(self):
        code = normalize_fiscal_code(self.cleaned_data.get("fiscal_code", ""))
        if code:
            validate_fiscal_code(code)
        return code

    def clean(self):
        data = super().clean()
        missing = not data.get("fiscal_code") and not (data.get("registry_number") or "").strip()
        if missing and "fiscal_code" not in self.errors:
            self.add_error(
                "fiscal_code",
                _(
                    "Give the fiscal code of the organisation or, when the registry has "
                    "none, its number in the National NGO Registry."
                ),
            )
        return data


class InvitationForm(BootstrapFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("The person receives a link valid for 14 days."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=OrganisationMembership.Role.choices,
        initial=OrganisationMembership.Role.MEMBER,
    )


class MemberRoleForm(BootstrapFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationMembership.Role.choices)


class StatusChangeForm(BootstrapFormMixin, forms.Form):
    ACTIONS = [
        ("verify", _("Verify")),
        ("reject", _("Reject")),
        ("suspend", _("Suspend")),
        ("reinstate", _("Reinstate")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason (sent to the organisation)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DomainForm(ServiceValidatedModelForm):
    class Meta:
        model = Domain
        fields = ["name_ro", "name_en", "slug", "position", "is_active"]
