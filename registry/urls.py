"""The registry's pages, under /registry/. Each part keeps its routes in its own module."""

from django.urls import path

from .urls_import import urlpatterns as import_urls
from .urls_institutions import urlpatterns as institution_urls
from .urls_organisations import urlpatterns as organisation_urls
from .views import autocomplete

app_name = "registry"

# Suggestions for the fields that choose among thousands of records (JSON).
autocomplete_urls = [
    path(
        "institutions/parents/",
        autocomplete.institution_parents,
        name="new-institution-parent-options",
    ),
    path(
        "institutions/<int:pk>/parents/",
        autocomplete.institution_parents,
        name="institution-parent-options",
    ),
    path(
        "structures/<int:pk>/officials/",
        autocomplete.seat_officials,
        name="seat-official-options",
    ),
]

urlpatterns = [*organisation_urls, *institution_urls, *import_urls, *autocomplete_urls]
