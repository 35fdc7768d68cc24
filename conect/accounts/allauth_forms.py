"""django-allauth's forms with CONECT's own labels, so that every word a user reads on the
account pages comes from our catalogue (allauth's Romanian catalogue has no diacritics).

Selected by ACCOUNT_FORMS in the settings. Kept apart from `forms.py`, which allauth
imports while it defines its own forms (ACCOUNT_SIGNUP_FORM_CLASS).
"""

from allauth.account import forms as allauth_forms
from django.utils.translation import gettext_lazy as _

from conect.core.forms import BootstrapFormMixin

EMAIL = _("E-mail address")
PASSWORD = _("Password")
PASSWORD_AGAIN = _("Password (again)")
NEW_PASSWORD = _("New password")
NEW_PASSWORD_AGAIN = _("New password (again)")


class RelabelMixin(BootstrapFormMixin):
    """Give fields our label and drop allauth's placeholders, which repeated the label
    (a placeholder is not a label and disappears as soon as one types); draw the fields
    with Bootstrap's classes, as every form of the project."""

    labels: dict = {}
    autocomplete: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.labels:
                field.label = self.labels[name]
            field.widget.attrs.pop("placeholder", None)
            if name in self.autocomplete:
                field.widget.attrs["autocomplete"] = self.autocomplete[name]


class LoginForm(RelabelMixin, allauth_forms.LoginForm):
    labels = {"login": EMAIL, "password": PASSWORD, "remember": _("Keep me signed in")}
    autocomplete = {"login": "email", "password": "current-password"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The "forgot your password?" link is part of the page, next to the button.
        self.fields["password"].help_text = ""


class SignupForm(RelabelMixin, allauth_forms.SignupForm):
    labels = {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD_AGAIN}
    autocomplete = {"email": "email", "name": "name", "password1": "new-password"}
    field_order = ["name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)


class AddEmailForm(RelabelMixin, allauth_forms.AddEmailForm):
    labels = {"email": _("New e-mail address")}
    autocomplete = {"email": "email"}


class ChangePasswordForm(RelabelMixin, allauth_forms.ChangePasswordForm):
    labels = {
        "oldpassword": _("Current password"),
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD_AGAIN,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].help_text = ""


class SetPasswordForm(RelabelMixin, allauth_forms.SetPasswordForm):
    labels = {"password1": PASSWORD, "password2": PASSWORD_AGAIN}


class ResetPasswordForm(RelabelMixin, allauth_forms.ResetPasswordForm):
    labels = {"email": EMAIL}
    autocomplete = {"email": "email"}


class ResetPasswordKeyForm(RelabelMixin, allauth_forms.ResetPasswordKeyForm):
    labels = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD_AGAIN}


class ReauthenticateForm(RelabelMixin, allauth_forms.ReauthenticateForm):
    labels = {"password": PASSWORD}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
