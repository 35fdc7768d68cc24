from django.urls import path

from . import feeds, views

app_name = "proposals"

urlpatterns = [
    path("", views.call_list, name="call-list"),
    path("all/", views.proposal_list, name="proposal-list"),
    path("feed/", feeds.ProposalFeed(), name="feed"),
    path("notifications/", views.notifications, name="notifications"),
    path("calls/new/", views.call_create, name="call-create"),
    path("calls/<int:pk>/", views.call_detail, name="call-detail"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call-edit"),
    path("calls/<int:pk>/evaluators/", views.call_evaluators, name="call-evaluators"),
    path("calls/<int:pk>/moderation/", views.call_moderation, name="call-moderation"),
    path("calls/<int:pk>/propose/", views.proposal_create, name="proposal-create"),
    path("calls/<int:pk>/similar/", views.similar, name="similar"),
    path("calls/<int:pk>/feed/", feeds.CallProposalFeed(), name="call-feed"),
    path(
        "calls/<int:pk>/<str:name>/",
        views.call_transition,
        name="call-transition",
    ),
    path("<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("<int:pk>/edit/", views.proposal_edit, name="proposal-edit"),
    path("<int:pk>/moderate/", views.proposal_moderate, name="proposal-moderate"),
    path("<int:pk>/merge-options/", views.merge_options, name="merge-options"),
    path("<int:pk>/vote/", views.proposal_vote, name="proposal-vote"),
    path("<int:pk>/comment/", views.proposal_comment, name="proposal-comment"),
    path("<int:pk>/follow/", views.proposal_follow, name="proposal-follow"),
    path("<int:pk>/schedule/", views.proposal_schedule, name="proposal-schedule"),
    path("<int:pk>/decide/", views.proposal_decide, name="proposal-decide"),
    path("<int:pk>/steps/new/", views.step_add, name="step-add"),
    path("<int:pk>/evaluate/", views.proposal_evaluate, name="proposal-evaluate"),
    path("<int:pk>/votes/", views.proposal_votes, name="proposal-votes"),
    path("steps/<int:pk>/", views.step_update, name="step-update"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
