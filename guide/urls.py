"""The participation guide, its training sessions, the library of good practices and the
innovation network, under /guide/."""

from django.urls import path

from .views import editing, practices, reading, training

app_name = "guide"

urlpatterns = [
    path("", reading.index, name="index"),
    path("search/", reading.search, name="search"),
    path("s/<slug:key>/", reading.section, name="section"),
    path("s/<slug:key>/feedback/", reading.section_feedback, name="section-feedback"),
    path("pdf/", reading.pdf, name="pdf"),
    path("editions/", reading.edition_list, name="edition-list"),
    path("editions/compare/", reading.compare, name="compare"),
    path("editions/<int:number>/", reading.edition_detail, name="edition"),
    path("editions/<int:number>/pdf/", reading.pdf, name="edition-pdf"),
    path("editions/<int:number>/s/<slug:key>/", reading.edition_section, name="edition-section"),
    path("templates/<int:pk>/", reading.template_download, name="template-download"),
    # Writing the guide (coordinators).
    path("edit/", editing.overview, name="edit"),
    path("edit/chapters/new/", editing.chapter_form, name="edit-chapter-create"),
    path("edit/chapters/<int:pk>/", editing.chapter_form, name="edit-chapter"),
    path("edit/sections/new/", editing.section_form, name="edit-section-create"),
    path("edit/sections/<int:pk>/", editing.section_form, name="edit-section"),
    path("edit/sections/<int:pk>/images/new/", editing.image_form, name="edit-image-create"),
    path("edit/images/<int:pk>/delete/", editing.image_delete, name="edit-image-delete"),
    path(
        "edit/sections/<int:pk>/templates/new/", editing.template_form, name="edit-template-create"
    ),
    path("edit/templates/<int:pk>/delete/", editing.template_delete, name="edit-template-delete"),
    path("edit/publish/", editing.publish, name="publish"),
    # Training sessions.
    path("training/", training.session_list, name="training-list"),
    path("training/new/", training.session_form, name="training-create"),
    path("training/coverage/", training.coverage, name="training-coverage"),
    path("training/<int:pk>/", training.session_detail, name="training-detail"),
    path("training/<int:pk>/edit/", training.session_form, name="training-edit"),
    path("training/<int:pk>/cancel-session/", training.session_cancel, name="training-cancel"),
    path("training/<int:pk>/register/", training.register, name="training-register"),
    path("training/<int:pk>/unregister/", training.cancel, name="training-unregister"),
    path("training/<int:pk>/calendar.ics", training.calendar, name="training-calendar"),
    path("training/<int:pk>/attendance/", training.attendance, name="training-attendance"),
    path("training/<int:pk>/feedback/", training.feedback, name="training-feedback"),
    path("training/<int:pk>/certificate.pdf", training.certificate, name="training-certificate"),
    # The library of good practices and the innovation network.
    path("practices/", practices.practice_list, name="practice-list"),
    path("practices/new/", practices.practice_create, name="practice-create"),
    path("practices/<int:pk>/", practices.practice_detail, name="practice-detail"),
    path("practices/<int:pk>/decide/", practices.practice_decide, name="practice-decide"),
    path(
        "practices/<int:pk>/documents/<int:document_pk>/",
        practices.practice_document,
        name="practice-document",
    ),
    path("network/", practices.network, name="network"),
    path("network/join/", practices.network_join, name="network-join"),
    path("network/members/<int:pk>/leave/", practices.network_leave, name="network-leave"),
]
