from django.urls import path

from .views import answering, builder, results, roster

app_name = "surveys"

urlpatterns = [
    path("", builder.survey_list, name="list"),
    path("new/", builder.survey_create, name="create"),
    path("notices/", answering.notices, name="notices"),
    path("notices/read/", answering.notices_read, name="notices-read"),
    path("<int:pk>/", builder.survey_detail, name="detail"),
    path("<int:pk>/edit/", builder.survey_edit, name="edit"),
    path("<int:pk>/preview/", builder.survey_preview, name="preview"),
    path("<int:pk>/duplicate/", builder.survey_duplicate, name="duplicate"),
    path("<int:pk>/extend/", builder.survey_extend, name="extend"),
    path(
        "<int:pk>/ask-participants/",
        builder.survey_ask_participants,
        name="ask-participants",
    ),
    path("<int:pk>/publish-results/", builder.survey_publish_results, name="publish-results"),
    path("<int:pk>/transition/<slug:name>/", builder.survey_transition, name="transition"),
    path("<int:pk>/questions/add/", builder.question_create, name="question-add"),
    path("<int:pk>/questions/<int:question_pk>/edit/", builder.question_edit, name="question-edit"),
    path(
        "<int:pk>/questions/<int:question_pk>/delete/",
        builder.question_delete,
        name="question-delete",
    ),
    path("<int:pk>/questions/<int:question_pk>/move/", builder.question_move, name="question-move"),
    path("<int:pk>/roster/", roster.roster, name="roster"),
    path(
        "<int:pk>/roster/institutions/",
        roster.institution_options,
        name="institution-options",
    ),
    path("<int:pk>/roster/remind/", roster.remind, name="remind"),
    path("<int:pk>/roster/<int:invitation_pk>/remove/", roster.roster_remove, name="roster-remove"),
    path("<int:pk>/answer/", answering.answer, name="answer"),
    path("<int:pk>/thanks/", answering.thanks, name="thanks"),
    path("<int:pk>/results/", results.results, name="results"),
    path("<int:pk>/results/report.pdf", results.results_pdf, name="results-pdf"),
    path("<int:pk>/results/<int:question_pk>/answers/", results.free_answers, name="free-answers"),
    path("<int:pk>/export.csv", results.export_csv, name="export-csv"),
    path("<int:pk>/export.xlsx", results.export_xlsx, name="export-xlsx"),
    path(
        "<int:pk>/responses/<int:response_pk>/files/<int:question_pk>/",
        results.answer_file,
        name="answer-file",
    ),
]
