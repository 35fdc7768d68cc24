"""The form that confirms an account's deletion: the password, and a code of the second
factor when the person has one."""

from allauth.mfa.base.forms import ReauthenticateForm as MFAReauthenticateForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from conect.core.forms import BootstrapFormMixin

from .selectors import user_has_totp


class AccountDeleteForm(BootstrapFormMixin, forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account is deleted for good."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user_has_totp(user):
            self.fields["code"] = forms.CharField(
                label=_("Code from your authenticator app (or a recovery code)"),
                widget=forms.TextInput(
                    attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
                ),
            )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not correct."), code="incorrect_password")
        return password

    def clean_code(self):
        # allauth's own check: the authenticator app's code or an unused recovery code,
        # with allauth's rate limit on wrong codes.
        check = MFAReauthenticateForm(data={"code": self.cleaned_data["code"]}, user=self.user)
        if not check.is_valid():
            raise ValidationError(_("The code is not correct."), code="incorrect_code")
        return self.cleaned_data["code"]
