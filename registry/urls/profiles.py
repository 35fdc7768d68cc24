"""Routes of the richer profile of an organisation (issue 18) and of the public lists of
projects, events and calls for volunteers."""

from django.urls import path

from ..views import profiles as views

urlpatterns = [
    path(
        "organisations/<int:pk>/profile/",
        views.organisation_profile_edit,
        name="organisation-profile-edit",
    ),
    path(
        "organisations/<int:pk>/affiliations/",
        views.organisation_affiliations,
        name="organisation-affiliations",
    ),
    path(
        "organisations/<int:pk>/affiliations/<int:affiliation_pk>/remove/",
        views.affiliation_remove,
        name="affiliation-remove",
    ),
    path(
        "organisations/<int:pk>/affiliations/options/",
        views.affiliation_options,
        name="affiliation-options",
    ),
    path(
        "organisations/<int:pk>/branches/",
        views.organisation_branches,
        name="organisation-branches",
    ),
    path(
        "organisations/<int:pk>/branches/<int:branch_pk>/remove/",
        views.branch_remove,
        name="branch-remove",
    ),
    path(
        "organisations/<int:pk>/activities/new/<str:kind>/",
        views.activity_create,
        name="activity-create",
    ),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("activities/<int:pk>/remove/", views.activity_delete, name="activity-delete"),
    path("projects/", views.project_list, name="project-list"),
    path("events/", views.event_list, name="event-list"),
    path("volunteering/", views.volunteering_list, name="volunteering-list"),
]
