"""Administration of consultations: coordinators read everything here; changes go through
the pages and their services (timeline, moderation log, notifications), so the admin is
read-only for everyone but superusers."""

from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    Consultation,
    DebateRequest,
    ModerationLogEntry,
    Notification,
    Recommendation,
)


class ReadOnlyForCoordinators(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyForCoordinators):
    list_display = ["title", "institution", "state", "opens_on", "closes_on", "is_urgent"]
    list_filter = ["state", "kind", "is_urgent", "moderation"]
    search_fields = ["title", "search_text", "institution__name"]
    list_select_related = ["institution"]
    raw_id_fields = ["institution", "contact_official", "created_by"]
    date_hierarchy = "opens_on"
    readonly_fields = ["published_at", "closed_at", "state_changed_at", "created_at"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyForCoordinators):
    list_display = ["pk", "consultation", "author", "organisation", "status", "report_count"]
    list_filter = ["status", "disposition"]
    search_fields = ["text", "author__email", "organisation__name"]
    list_select_related = ["consultation", "author", "organisation"]
    raw_id_fields = ["consultation", "author", "organisation", "article", "answered_by"]
    # The attachment is in the private storage, which has no address: the admin links to
    # the checked download view and does not change the file (the pages and their service
    # check a new one's content).
    exclude = ["attachment"]
    readonly_fields = [
        "attachment_link",
        "attachment_name",
        "attachment_type",
        "created_at",
        "edited_at",
        "answered_at",
    ]

    @admin.display(description=_("attachment"))
    def attachment_link(self, recommendation):
        if not recommendation.attachment:
            return None
        return format_html(
            '<a href="{}">{}</a>',
            reverse("consultations:recommendation-attachment", args=[recommendation.pk]),
            recommendation.attachment_name or _("attachment"),
        )


@admin.register(ModerationLogEntry)
class ModerationLogEntryAdmin(ReadOnlyForCoordinators):
    list_display = ["created_at", "consultation", "recommendation", "action", "actor"]
    list_filter = ["action"]
    list_select_related = ["consultation", "actor"]
    raw_id_fields = ["consultation", "recommendation", "actor"]


@admin.register(DebateRequest)
class DebateRequestAdmin(ReadOnlyForCoordinators):
    list_display = [
        "consultation",
        "organisation",
        "institution",
        "channel",
        "status",
        "requested_on",
        "decided_at",
    ]
    list_filter = ["status", "channel"]
    list_select_related = ["consultation", "organisation", "institution"]
    raw_id_fields = [
        "consultation",
        "organisation",
        "institution",
        "requested_by",
        "debate",
        "decided_by",
    ]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyForCoordinators):
    list_display = ["event_key", "user", "kind", "email_status", "created_at", "emailed_at"]
    list_filter = ["kind", "email_status"]
    search_fields = ["event_key", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "consultation", "recommendation"]
