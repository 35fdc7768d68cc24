from django.urls import path

from . import feeds
from .views import channels, consultations, debates, follows, package, recommendations, reports

app_name = "consultations"

urlpatterns = [
    path("", consultations.consultation_list, name="list"),
    path("new/", consultations.consultation_create, name="create"),
    path("<int:pk>/", consultations.consultation_detail, name="detail"),
    path("<int:pk>/edit/", consultations.consultation_edit, name="edit"),
    path("<int:pk>/delete/", consultations.consultation_delete, name="delete"),
    path(
        "<int:pk>/transition/<slug:name>/",
        consultations.consultation_transition,
        name="transition",
    ),
    path("<int:pk>/articles/", consultations.articles_edit, name="articles"),
    # Working beside e-consultare
    path("<int:pk>/package.zip", package.consultation_package, name="package"),
    path("import/", package.package_import, name="import"),
    path(
        "new/from-announcement/",
        package.create_from_announcement,
        name="create-from-announcement",
    ),
    path("<int:pk>/documents/new/", consultations.document_add, name="document-add"),
    path(
        "<int:pk>/documents/<int:document_pk>/versions/new/",
        consultations.document_version_add,
        name="document-version-add",
    ),
    # Recommendations and moderation
    path("<int:pk>/recommend/", recommendations.recommend, name="recommend"),
    path(
        "recommendations/<int:pk>/edit/",
        recommendations.recommendation_edit,
        name="recommendation-edit",
    ),
    path(
        "recommendations/<int:pk>/attachment/",
        recommendations.recommendation_attachment,
        name="recommendation-attachment",
    ),
    path(
        "recommendations/<int:pk>/report/",
        recommendations.recommendation_report,
        name="recommendation-report",
    ),
    path(
        "recommendations/<int:pk>/moderate/",
        recommendations.moderate,
        name="moderate",
    ),
    path("<int:pk>/moderation/", recommendations.moderation_queue, name="moderation"),
    path("<int:pk>/moderation/log/", recommendations.moderation_log, name="moderation-log"),
    path("<int:pk>/answers/", recommendations.answers, name="answers"),
    path("<int:pk>/synthesis/", recommendations.synthesis, name="synthesis"),
    path("<int:pk>/synthesis.csv", recommendations.synthesis_csv, name="synthesis-csv"),
    path("<int:pk>/synthesis.pdf", recommendations.synthesis_pdf, name="synthesis-pdf"),
    # Public debates
    path("<int:pk>/debates/request/", debates.debate_request, name="debate-request"),
    path("<int:pk>/debates/new/", debates.debate_schedule, name="debate-schedule"),
    path("debate-requests/<int:pk>/decline/", debates.debate_decline, name="debate-decline"),
    path("debates/<int:pk>/register/", debates.debate_register, name="debate-register"),
    path("debates/<int:pk>/minutes/", debates.debate_minutes, name="debate-minutes"),
    # Following and notifications
    path("follows/", follows.follows, name="follows"),
    path("follows/new/", follows.follow, name="follow"),
    path("follows/<int:pk>/delete/", follows.unfollow, name="unfollow"),
    path("follows/preference/", follows.preference, name="preference"),
    path("notifications/", follows.notification_list, name="notifications"),
    path("notifications/read/", follows.notifications_read, name="notifications-read"),
    path("unsubscribe/<str:token>/", follows.unsubscribe, name="unsubscribe"),
    # Feeds and calendars
    path("feed/", feeds.ConsultationFeed(), name="feed"),
    path("feed/domain/<slug:slug>/", feeds.DomainFeed(), name="feed-domain"),
    path("feed/institution/<int:pk>/", feeds.InstitutionFeed(), name="feed-institution"),
    path("calendar.ics", feeds.calendar_all, name="calendar"),
    path("<int:pk>/calendar.ics", feeds.calendar_consultation, name="calendar-consultation"),
    # Scoreboard and annual report
    path("scoreboard/", reports.scoreboard, name="scoreboard"),
    path("scoreboard/<int:pk>/", reports.scoreboard_institution, name="scoreboard-institution"),
    path("annual-report/", reports.annual_report, name="annual-report"),
    path("annual-report.csv", reports.annual_report_csv, name="annual-report-csv"),
    path("annual-report.pdf", reports.annual_report_pdf, name="annual-report-pdf"),
    # Recommendations from every channel
    path("<int:pk>/record/", channels.recommendation_record, name="recommendation-record"),
    path(
        "recommendations/<int:pk>/files/",
        channels.recommendation_files,
        name="recommendation-files",
    ),
    path(
        "recommendation-files/<int:pk>/", channels.recommendation_file, name="recommendation-file"
    ),
    path(
        "<int:pk>/organisation-options/",
        channels.organisation_options,
        name="organisation-options",
    ),
    # Debates as the law runs them
    path("debates/<int:pk>/", debates.debate_detail, name="debate-detail"),
    path("debates/<int:pk>/end/", debates.debate_end, name="debate-end"),
    path("debates/<int:pk>/record/", debates.debate_record, name="debate-record"),
    path(
        "debate-registrations/<int:pk>/spoken/",
        debates.debate_speaker_spoken,
        name="debate-speaker-spoken",
    ),
    path(
        "<int:pk>/debates/request/record/",
        debates.debate_request_record,
        name="debate-request-record",
    ),
    # The annual report, per institution and year; the national view
    path("annual-report/national/", reports.annual_report_national, name="annual-report-national"),
    path(
        "annual-report/<int:pk>/<int:year>/",
        reports.annual_report_institution,
        name="annual-report-institution",
    ),
    path(
        "annual-report/<int:pk>/<int:year>/report.csv",
        reports.annual_report_institution_csv,
        name="annual-report-institution-csv",
    ),
    path(
        "annual-report/<int:pk>/<int:year>/report.pdf",
        reports.annual_report_institution_pdf,
        name="annual-report-institution-pdf",
    ),
    path(
        "annual-report/<int:pk>/<int:year>/complete/",
        reports.annual_statement,
        name="annual-statement",
    ),
    path(
        "annual-report/<int:pk>/<int:year>/publish/",
        reports.annual_report_publish,
        name="annual-report-publish",
    ),
]
