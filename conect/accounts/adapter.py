from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from conect.core.client_ip import client_ip

from .rules import is_coordinator

# Errors that allauth's forms add with hard-coded strings. Listed so that our catalogue,
# which Django consults before allauth's, carries their Romanian translation.
ALLAUTH_HARD_CODED_MESSAGES = [
    gettext_noop("You must type the same password each time."),
    gettext_noop("You must type the same email each time."),
]


class AccountAdapter(DefaultAccountAdapter):
    """Account e-mails go out in the recipient's language; every error is ours."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account is inactive."),
        "cannot_remove_primary_email": _("You cannot remove your primary e-mail address."),
        "duplicate_email": _("This e-mail address is already on your account."),
        "email_password_mismatch": _("The e-mail address or the password is not correct."),
        "email_taken": _("An account with this e-mail address already exists."),
        "enter_current_password": _("Please type your current password."),
        "incorrect_code": _("The code is not correct."),
        "incorrect_password": _("The password is not correct."),
        "invalid_or_expired_key": _("The link is invalid or has expired."),
        "invalid_login": _("The sign-in failed."),
        "invalid_password_reset": _("The password reset link is invalid."),
        "max_email_addresses": _("You cannot add more than %d e-mail addresses."),
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts. Please wait a few minutes and try again."
        ),
        "unknown_email": _("No account uses this e-mail address."),
        "unverified_primary_email": _("Your primary e-mail address must be verified."),
        "select_only_one": _("Please select only one."),
        "same_as_current": _("The new value must be different from the current one."),
        "rate_limited": _("You are sending too many requests. Please wait a little."),
    }

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = (
            getattr(user, "preferred_language", None)
            or translation.get_language()
            or settings.LANGUAGE_CODE
        )
        with translation.override(language):
            return super().send_mail(template_prefix, email, context)

    def get_client_ip(self, request):
        """The address allauth's rate limits count by: the one our reverse proxies saw
        (TRUSTED_PROXY_COUNT), the same the API's limits use, never one the client chose."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Failed sign-ins are counted per account and client address (allauth counts per
        account alone): five wrong passwords typed elsewhere never lock the owner out."""
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{self.get_client_ip(request)}"


class MFAAdapter(DefaultMFAAdapter):
    """allauth's second factor, with CONECT's rule: a coordinator keeps an authenticator
    app (see conect.accounts.middleware.CoordinatorMFAMiddleware)."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": _(
            "You cannot add an e-mail address to an account protected by two-factor authentication."
        ),
        "cannot_delete_authenticator": _(
            "Coordinators must keep two-factor authentication: it cannot be deactivated."
        ),
        "incorrect_code": _("The code is not correct."),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and is_coordinator(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
