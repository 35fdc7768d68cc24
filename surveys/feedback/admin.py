"""Administration of the feedback on public services: coordinators read the records here;
changes go through the pages and their services (moderation, monthly sums, e-mails), so
the admin is read-only for everyone but superusers. The answers never show their e-mail
address in the list."""

from django.contrib import admin

from .models import Answer, CommonService, MonthlyIndex, Reply, Service


class ReadOnlyForCoordinators(admin.ModelAdmin):
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(CommonService)
class CommonServiceAdmin(ReadOnlyForCoordinators):
    list_display = ["name", "institution_kind", "channel", "created_at"]
    list_filter = ["institution_kind", "channel"]
    search_fields = ["name"]
    raw_id_fields = ["created_by"]


@admin.register(Service)
class ServiceAdmin(ReadOnlyForCoordinators):
    list_display = ["name", "code", "institution", "channel", "county", "is_active"]
    list_filter = ["channel", "is_active", "poster_language"]
    search_fields = ["name", "code", "institution__name"]
    list_select_related = ["institution", "county"]
    raw_id_fields = ["institution", "common"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyForCoordinators):
    list_display = ["service", "created_at", "satisfaction", "comment_status", "language"]
    list_filter = ["comment_status", "satisfaction", "language"]
    search_fields = ["service__code", "service__name"]
    list_select_related = ["service"]
    raw_id_fields = ["service", "moderated_by"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(Reply)
class ReplyAdmin(ReadOnlyForCoordinators):
    list_display = ["answer", "visibility", "created_at", "emailed_at"]
    list_filter = ["visibility"]
    raw_id_fields = ["answer", "author"]


@admin.register(MonthlyIndex)
class MonthlyIndexAdmin(ReadOnlyForCoordinators):
    list_display = ["service", "month", "answers", "satisfied"]
    list_filter = ["month"]
    raw_id_fields = ["service", "institution", "county", "region"]
    show_full_result_count = False
