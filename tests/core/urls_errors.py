"""The site's URLs plus a page that fails, to see the 500 page."""

from django.urls import path

from conect.urls import handler403, handler404, handler500
from conect.urls import urlpatterns as site_urlpatterns


def broken_view(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("broken/", broken_view), *site_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
