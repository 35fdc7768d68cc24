"""The registry's pages, under /registry/. Each part keeps its routes in its own module."""

from .urls_import import urlpatterns as import_urls
from .urls_institutions import urlpatterns as institution_urls
from .urls_organisations import urlpatterns as organisation_urls

app_name = "registry"

urlpatterns = [*organisation_urls, *institution_urls, *import_urls]
