"""The feedback pages, under /feedback/ ("feedback:" names), and the short address of
each service, /s/<code>/ (what its QR code holds): mounted at the site root, as the map
is, so that the printed address stays short."""

from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("feedback/", views.feedback_index, name="index"),
    path("feedback/services/<str:code>/", views.service_detail, name="service-detail"),
    path("feedback/services/<str:code>/edit/", views.service_edit, name="service-edit"),
    path("feedback/services/<str:code>/qr.svg", views.service_qr, name="service-qr"),
    path("feedback/services/<str:code>/poster.pdf", views.service_poster, name="service-poster"),
    path("feedback/institutions/<int:pk>/", views.institution_feedback, name="institution"),
    path(
        "feedback/institutions/<int:pk>/services/new/", views.service_create, name="service-create"
    ),
    path("feedback/institutions/<int:pk>/adopt/", views.services_adopt, name="adopt"),
    path("feedback/institutions/<int:pk>/answers/", views.institution_answers, name="answers"),
    path(
        "feedback/institutions/<int:pk>/answers.csv",
        views.institution_answers_csv,
        name="answers-csv",
    ),
    path("feedback/answers/<int:pk>/reply/", views.answer_reply, name="reply"),
    path("feedback/answers/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("feedback/moderation/", views.moderation_queue, name="moderation"),
    path("feedback/catalogue/", views.catalogue, name="catalogue"),
    path("feedback/catalogue/<int:pk>/edit/", views.catalogue_edit, name="catalogue-edit"),
    path("feedback/catalogue/<int:pk>/delete/", views.catalogue_delete, name="catalogue-delete"),
    path("s/<str:code>/", views.feedback_form, name="form"),
    path("s/<str:code>/thanks/", views.feedback_thanks, name="thanks"),
]
