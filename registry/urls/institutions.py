"""Routes of institutions, their staff, relationship officials, advisory structures and
the history of registry records."""

from django.urls import path

from ..views import calls, history, institutions, officials, structures

urlpatterns = [
    # Institutions and their staff.
    path("institutions/", institutions.institution_list, name="institution-list"),
    path("institutions/new/", institutions.institution_create, name="institution-create"),
    path("institutions/mine/", institutions.my_institutions, name="my-institutions"),
    path("institutions/<int:pk>/", institutions.institution_detail, name="institution-detail"),
    path("institutions/<int:pk>/edit/", institutions.institution_edit, name="institution-edit"),
    path("institutions/<int:pk>/join/", institutions.institution_join, name="institution-join"),
    path("institutions/<int:pk>/leave/", institutions.institution_leave, name="institution-leave"),
    path(
        "institutions/<int:pk>/staff/",
        institutions.institution_staff_page,
        name="institution-staff",
    ),
    path(
        "institutions/<int:pk>/staff/<int:staff_pk>/decide/",
        institutions.institution_staff_decide,
        name="institution-staff-decide",
    ),
    path(
        "institutions/<int:pk>/staff/<int:staff_pk>/role/",
        institutions.institution_staff_role,
        name="institution-staff-role",
    ),
    path(
        "institutions/<int:pk>/staff/<int:staff_pk>/remove/",
        institutions.institution_staff_remove,
        name="institution-staff-remove",
    ),
    path(
        "institutions/<int:pk>/officials/new/",
        officials.official_create,
        name="official-create",
    ),
    path(
        "institutions/<int:pk>/structures/new/",
        structures.structure_create,
        name="structure-create",
    ),
    # Relationship officials.
    path("officials/", officials.official_list, name="official-list"),
    path("officials/<int:pk>/", officials.official_detail, name="official-detail"),
    path("officials/<int:pk>/edit/", officials.official_edit, name="official-edit"),
    path("officials/<int:pk>/remove/", officials.official_remove, name="official-remove"),
    path("officials/<int:pk>/resend/", officials.official_resend, name="official-resend"),
    path("officials/agree/<str:token>/", officials.official_consent, name="official-consent"),
    path(
        "officials/withdraw/<str:token>/",
        officials.official_self_remove,
        name="official-self-remove",
    ),
    # Advisory structures, seats, calls, applications and meetings.
    path("structures/", structures.structure_list, name="structure-list"),
    path("structures/<int:pk>/", structures.structure_detail, name="structure-detail"),
    path("structures/<int:pk>/edit/", structures.structure_edit, name="structure-edit"),
    path("structures/<int:pk>/seats/new/", structures.seat_add, name="seat-add"),
    path("seats/<int:pk>/end/", structures.seat_end, name="seat-end"),
    path("structures/<int:pk>/calls/new/", structures.call_create, name="call-create"),
    path("calls/<int:pk>/", structures.call_detail_page, name="call-detail"),
    path("calls/<int:pk>/edit/", structures.call_edit, name="call-edit"),
    path("calls/<int:pk>/close/", structures.call_close, name="call-close"),
    path("calls/<int:pk>/apply/", structures.call_apply, name="call-apply"),
    path("calls/<int:pk>/selection/", calls.selection_page, name="call-selection"),
    path("calls/<int:pk>/selection/<slug:action>/", calls.selection_act, name="call-selection-act"),
    path(
        "calls/<int:pk>/applications/",
        structures.call_applications_page,
        name="call-applications",
    ),
    path(
        "applications/<int:pk>/decide/",
        structures.application_decide,
        name="application-decide",
    ),
    path("structures/<int:pk>/meetings/new/", structures.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", structures.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", structures.meeting_edit, name="meeting-edit"),
    # History of any registry record, for coordinators.
    path("history/<slug:model>/<int:pk>/", history.record_history, name="history"),
]
