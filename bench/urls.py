"""The site's URLs, plus /bench/hello/: the floor under every page (a view that runs no
query and renders no template, served by the same gunicorn through the same middleware)."""

from django.http import HttpResponse
from django.urls import include, path

from conect.urls import handler403, handler404, handler500  # noqa: F401


def hello(request):
    return HttpResponse(b"Hello, world.", content_type="text/plain")


urlpatterns = [
    path("bench/hello/", hello, name="bench-hello"),
    path("", include("conect.urls")),
]
