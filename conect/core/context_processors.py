from django.conf import settings

from conect.core.site import site_url


def platform(request):
    """What every page needs: the languages and the site URL."""
    return {
        "SITE_URL": site_url(),
        "LANGUAGES": settings.LANGUAGES,
    }
