"""Suggestions for the fields that choose among thousands of records (JSON)."""

from django.urls import path

from ..views import autocomplete

urlpatterns = [
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
