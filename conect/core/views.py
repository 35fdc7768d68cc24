from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token


def home(request):
    return render(request, "home.html")


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form sent without a valid security token, usually from a page left open too long
    or after signing in elsewhere: say what to do instead of Django's technical page."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Rendered with the minimal context: the database or a context processor may be down.
    return render(request, "500.html", {"title": _("Server error")}, status=500)
