from functools import partial

from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from .models import Visitor


def _visitor(user):
    return Visitor() if type(user) is AnonymousUser else user


def _user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = _visitor(auth.get_user(request))
    return request._cached_user


async def _auser(request):
    if not hasattr(request, "_acached_user"):
        request._acached_user = _visitor(await auth.aget_user(request))
    return request._acached_user


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's: request.user is the signed-in user, read when first used; a visitor who
    is not signed in is a models.Visitor (Django's AnonymousUser, its permissions answered
    by the named rules directly)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))
        request.auser = partial(_auser, request)


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
