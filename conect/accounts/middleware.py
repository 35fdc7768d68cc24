from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import translation

from .rules import is_coordinator
from .selectors import user_has_totp


class UserLanguageMiddleware:
    """A signed-in user sees the site in their preferred language.

    LocaleMiddleware has already chosen from the cookie and the browser; for a signed-in
    user the stored preference wins, so that the choice follows them across devices.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


# Pages a coordinator without a second factor may still reach: allauth's MFA pages (the
# set-up itself), the re-authentication that the set-up asks for, signing out, switching
# the language, and the health check.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_reauthenticate",
        "set_language",
        "health",
    }
)


class CoordinatorMFAMiddleware:
    """A coordinator (or superuser) who has not activated an authenticator app is sent to
    set it up before any other page: they can act for the state and see personal data.

    Placed after AuthenticationMiddleware. Costs one query per request of a coordinator,
    none for anyone else.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and is_coordinator(user)
            and not self._is_setup_page(request.path_info)
            and not user_has_totp(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _is_setup_page(path: str) -> bool:
        if path.startswith(settings.STATIC_URL):
            return True
        try:
            name = resolve(path).url_name or ""
        except Resolver404:
            return False
        return name in MFA_SETUP_URL_NAMES or name.startswith("mfa_")
