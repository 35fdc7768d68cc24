from django import forms
from django.utils.translation import gettext_lazy as _

from conect.core.forms import BootstrapFormMixin


class SignupForm(BootstrapFormMixin, forms.Form):
    """Extra fields of the sign-up form (allauth adds e-mail and password)."""

    name = forms.CharField(label=_("Full name"), max_length=150)

    def signup(self, request, user):
        user.name = self.cleaned_data["name"]
        user.preferred_language = getattr(request, "LANGUAGE_CODE", "ro")[:2]
        user.save(update_fields=["name", "preferred_language"])
