"""The coordinator's upload of a National NGO Registry file."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from conect.core.forms import BootstrapFormMixin

from ..importer import max_upload_size, validate_registry_upload
from ..models import Organisation


class RegistryUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Registry file (XLSX or CSV)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,text/csv,text/plain,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    default_legal_form = forms.ChoiceField(
        label=_("Category of the file"),
        help_text=_(
            "The Ministry publishes one file per category (associations, foundations, "
            "federations, unions, foreign legal persons). Leave it on “from the file's name” "
            "when the name says it (for example “asociatii”); for a CSV file it is the legal "
            "form of the rows that do not state one."
        ),
        choices=[("", _("From the file's name, or each row")), *Organisation.LegalForm.choices],
        required=False,
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and count the changes, but save nothing"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The National NGO Registry as the Ministry of Justice publishes it (XLSX, one "
            "category per file), or as a CSV file (separated by ; or ,) in UTF-8, UTF-16 or "
            "Windows-1250; at most %(max)d MB."
        ) % {"max": max_upload_size() // (1024 * 1024)}

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            validate_registry_upload(uploaded)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return uploaded


class SetAsideImportForm(BootstrapFormMixin, forms.Form):
    """The name under which a row set aside is imported."""

    name = forms.CharField(
        label=_("The organisation's name, as the ruling gives it"),
        # The service checks the name (missing, too long, a ruling's text), with its words.
        required=False,
    )
