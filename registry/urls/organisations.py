"""Routes of organisations, their members, the verification queue and the domains."""

from django.urls import path

from ..views import organisations as views

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/claim/", views.organisation_claim, name="organisation-claim"),
    path("organisations/mine/", views.my_organisations, name="my-organisations"),
    path("organisations/verification/", views.verification_queue, name="verification-queue"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
    path(
        "organisations/<int:pk>/claim-proof/",
        views.organisation_claim_proof,
        name="organisation-claim-proof",
    ),
    path(
        "organisations/<int:pk>/members/",
        views.organisation_members,
        name="organisation-members",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/role/",
        views.organisation_member_role,
        name="organisation-member-role",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/remove/",
        views.organisation_member_remove,
        name="organisation-member-remove",
    ),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_pk>/withdraw/",
        views.organisation_invitation_revoke,
        name="organisation-invitation-revoke",
    ),
    path("organisations/<int:pk>/leave/", views.organisation_leave, name="organisation-leave"),
    path("organisations/<int:pk>/status/", views.organisation_status, name="organisation-status"),
    path(
        "organisations/<int:pk>/history/",
        views.organisation_history,
        name="organisation-history",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("domains/", views.domain_list, name="domain-list"),
    path("domains/new/", views.domain_create, name="domain-create"),
    path("domains/<int:pk>/edit/", views.domain_edit, name="domain-edit"),
]
