from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from conect.core.forms import BootstrapFormMixin


class ProfileForm(BootstrapFormMixin, forms.Form):
    """The user's own settings. A plain form, so that invalid input never touches the
    signed-in user object shown elsewhere on the page."""

    name = forms.CharField(label=_("Full name"), max_length=150)
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the site and of the e-mails we send you."),
    )
