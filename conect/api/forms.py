from django import forms
from django.utils.translation import gettext_lazy as _

from conect.core.forms import BootstrapFormMixin


class ApiTokenCreateForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_(
            "What the token is for, so that you recognise it later (for example, "
            "“Newsroom data scripts”)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
