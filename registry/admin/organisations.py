"""Administration of domains, organisations, their members and invitations.

Coordinators add and edit domains here, and read organisations, memberships and
invitations with their history ("History" button). Organisations change through the
pages (verification queue, profile, members), whose services send the e-mails and keep
the search columns and statistics in step; superusers may still correct a record here.
"""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from conect.core.text import fold, sanitize_html

from ..models import Domain, Organisation, OrganisationInvitation, OrganisationMembership
from ..search import update_organisation_vectors
from ..selectors.reference import bump_domains_version
from ..stats import bump_stats_version


@admin.register(Domain)
class DomainAdmin(SimpleHistoryAdmin):
    list_display = ["name_ro", "name_en", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_ro", "name_en", "slug"]
    ordering = ["position", "name_ro"]

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
        bump_stats_version()
        bump_domains_version()


class MembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "fiscal_code", "registry_number", "legal_form", "county", "status"]
    list_filter = ["status", "legal_form", "registry_state", "county__region", "domains"]
    search_fields = ["name", "search_name", "fiscal_code", "registry_number"]
    list_select_related = ["county"]
    raw_id_fields = ["county"]
    filter_horizontal = ["domains"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "status",
        "status_changed_at",
        "status_changed_by",
        "status_reason",
        "created_by",
        "claimed_at",
        "verified_at",
        "created_at",
        "updated_at",
        # Issue 18: what the National NGO Registry says is written by its import.
        "registry_state",
        "registration_year",
        "registry_country",
    ]
    # A claim's proof is private (no address): the verification queue serves it.
    exclude = ["claim_proof"]
    inlines = [MembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def save_model(self, request, obj, form, change):
        obj.search_name = fold(obj.name)[:300]
        obj.description = sanitize_html(obj.description)
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
        update_organisation_vectors([obj.pk])
        bump_stats_version()

    # A deleted organisation leaves the map's counts and the cached lists.
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        bump_stats_version()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        bump_stats_version()


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__status"]
    search_fields = ["user__email", "user__name", "organisation__name", "organisation__fiscal_code"]
    raw_id_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(OrganisationInvitation)
class OrganisationInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    raw_id_fields = ["organisation", "invited_by", "accepted_by"]
    list_select_related = ["organisation"]
    readonly_fields = [
        "organisation",
        "email",
        "role",
        "language",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "declined_at",
        "revoked_at",
    ]

    def has_add_permission(self, request):
        return False
