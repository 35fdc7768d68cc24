"""The registry's pages, under /registry/. Each part keeps its routes in its own module."""

from .autocomplete import urlpatterns as autocomplete_urls
from .imports import urlpatterns as import_urls
from .institutions import urlpatterns as institution_urls
from .organisations import urlpatterns as organisation_urls
from .profiles import urlpatterns as profile_urls

app_name = "registry"

urlpatterns = [*organisation_urls, *institution_urls, *import_urls, *autocomplete_urls]
urlpatterns += profile_urls  # issue 18: richer profiles
