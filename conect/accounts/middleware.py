from django.utils import translation


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
