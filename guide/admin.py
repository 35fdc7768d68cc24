"""Administration of the guide: coordinators read the records here; everyday changes go
through the pages and their services (sanitising, editions, the waiting list), so the
admin is read-only for everyone but superusers."""

from django.contrib import admin

from .models import (
    Chapter,
    Edition,
    Method,
    NetworkMember,
    Practice,
    Registration,
    Section,
    SectionFeedback,
    TrainingSession,
)


class ReadOnlyForCoordinators(admin.ModelAdmin):
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Chapter)
class ChapterAdmin(ReadOnlyForCoordinators):
    list_display = ["title_ro", "key", "position"]


@admin.register(Section)
class SectionAdmin(ReadOnlyForCoordinators):
    list_display = ["title_ro", "key", "chapter", "position", "updated_at"]
    list_select_related = ["chapter"]
    search_fields = ["title_ro", "title_en", "key"]
    raw_id_fields = ["updated_by"]


@admin.register(Edition)
class EditionAdmin(ReadOnlyForCoordinators):
    list_display = ["number", "published_at", "published_by"]
    raw_id_fields = ["published_by"]


@admin.register(SectionFeedback)
class SectionFeedbackAdmin(ReadOnlyForCoordinators):
    list_display = ["section_key", "useful", "created_at"]
    list_filter = ["useful"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyForCoordinators):
    list_display = ["topic", "starts_at", "capacity", "status", "institution"]
    list_filter = ["status", "audience", "is_network_event"]
    search_fields = ["topic", "trainers"]
    raw_id_fields = ["institution", "created_by"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyForCoordinators):
    list_display = ["session", "user", "status", "registered_at", "attended"]
    list_filter = ["status", "attended"]
    list_select_related = ["session", "user"]
    raw_id_fields = ["session", "user", "institution", "organisation"]


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin):
    list_display = ["name_ro", "name_en", "slug"]


@admin.register(Practice)
class PracticeAdmin(ReadOnlyForCoordinators):
    list_display = ["title", "institution", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "search_text"]
    raw_id_fields = [
        "institution",
        "organisation",
        "submitted_by",
        "decided_by",
        "consultations",
        "proposals",
    ]


@admin.register(NetworkMember)
class NetworkMemberAdmin(ReadOnlyForCoordinators):
    list_display = ["__str__", "joined_at"]
    raw_id_fields = ["institution", "organisation", "joined_by"]
