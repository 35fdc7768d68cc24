"""Administration of questionnaires: coordinators read them here; changes go through the
pages and their services (the lock after the first answer, invitations, reminders), so
the admin is read-only for everyone but superusers. Responses show no answers."""

from django.contrib import admin

from .models import Invitation, Notice, Question, Response, Survey


class ReadOnlyForCoordinators(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["position", "kind", "text", "required", "condition_question", "condition_value"]
    raw_id_fields = ["condition_question"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Survey)
class SurveyAdmin(ReadOnlyForCoordinators):
    list_display = ["__str__", "status", "audience", "is_anonymous", "deadline", "created_at"]
    list_filter = ["status", "audience", "is_anonymous", "results_public"]
    raw_id_fields = ["institution", "created_by"]
    readonly_fields = ["first_answer_at", "opened_at", "closed_at", "created_at", "updated_at"]
    inlines = [QuestionInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyForCoordinators):
    list_display = ["__str__", "survey", "sent_at", "opened_at", "last_reminded_at"]
    list_select_related = ["survey", "institution", "organisation"]
    raw_id_fields = ["survey", "institution", "organisation"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyForCoordinators):
    list_display = ["pk", "survey", "status", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["survey"]
    exclude = ["answers"]
    raw_id_fields = [
        "survey",
        "invitation",
        "user",
        "institution",
        "organisation",
        "county",
        "submitted_by",
    ]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyForCoordinators):
    list_display = ["user", "kind", "event_key", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "invitation"]
