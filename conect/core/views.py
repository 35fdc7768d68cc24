import datetime

from django.conf import settings
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from conect.core.selectors import home_page_data
from conect.core.templatetags.conect_site import contact_email

# The day the accessibility statement was last reviewed: change it with the statement.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 12, 7)
DEFAULT_DPO_EMAIL = "dpo@conect.gov.ro"


def home(request):
    return render(request, "home.html", home_page_data())


def accessibility(request):
    """The accessibility statement that Romanian public-sector sites must publish."""
    return render(
        request,
        "pages/accessibility.html",
        {
            "statement_date": ACCESSIBILITY_STATEMENT_DATE,
            "contact_email": contact_email(),
            "map_tiles_configured": bool(getattr(settings, "LEAFLET_CONFIG", {}).get("TILES")),
        },
    )


def privacy(request):
    """The privacy notice (GDPR Art. 13): who controls the data, why, how long, rights."""
    return render(
        request,
        "pages/privacy.html",
        {
            "dpo_email": getattr(settings, "DPO_EMAIL", DEFAULT_DPO_EMAIL),
            "cookies": {
                "session": settings.SESSION_COOKIE_NAME,
                "csrf": settings.CSRF_COOKIE_NAME,
                "language": settings.LANGUAGE_COOKIE_NAME,
                "messages": getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
            },
        },
    )


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page declares: send them to the icon."""
    return redirect(static("img/favicon.ico"), permanent=True)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form sent without a valid security token, usually from a page left open too long
    or after signing in elsewhere: say what to do instead of Django's technical page.
    Under /api/ the answer is the API's JSON error."""
    if request.path.startswith("/api/"):
        from conect.api.exceptions import api_csrf_failed

        return api_csrf_failed(request)
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        from conect.api.exceptions import api_not_found

        return api_not_found(request)
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Rendered with the minimal context: the database or a context processor may be down.
    return render(request, "500.html", {"title": _("Server error")}, status=500)
