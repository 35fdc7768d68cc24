from django.conf import settings


def platform(request):
    """What every page needs: the languages and the site URL."""
    return {
        "SITE_URL": settings.SITE_URL,
        "LANGUAGES": settings.LANGUAGES,
    }
