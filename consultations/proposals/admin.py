"""Proposals in the administration site: coordinators read the records, the votes' audit
trail and the moderation log; everyday changes go through the pages and their services."""

from django.contrib import admin

from .models import (
    Proposal,
    ProposalCall,
    ProposalModerationLogEntry,
    ProposalNotification,
    Vote,
    VoteAuditEntry,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProposalCall)
class ProposalCallAdmin(ReadOnlyAdmin):
    list_display = ["title", "institution", "structure", "state", "threshold"]
    list_filter = ["state"]
    search_fields = ["title"]
    list_select_related = ["institution", "structure"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "call", "state", "yes_count", "no_count", "created_at"]
    list_filter = ["state", "decision"]
    search_fields = ["title"]
    list_select_related = ["call"]
    raw_id_fields = ["author", "organisation", "merged_into", "meeting"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "user", "is_yes", "created_at", "updated_at"]
    list_select_related = ["proposal", "user"]
    raw_id_fields = ["proposal", "user"]


@admin.register(VoteAuditEntry)
class VoteAuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "proposal", "user", "action", "is_yes", "ip_address"]
    list_filter = ["action"]
    list_select_related = ["proposal", "user"]
    raw_id_fields = ["proposal", "user"]


@admin.register(ProposalModerationLogEntry)
class ModerationLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "call", "proposal", "action", "actor", "reason"]
    list_filter = ["action"]
    list_select_related = ["call", "proposal", "actor"]


@admin.register(ProposalNotification)
class ProposalNotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "proposal", "kind", "email_status"]
    list_filter = ["kind", "email_status"]
    list_select_related = ["user", "proposal"]
    raw_id_fields = ["user", "proposal"]
