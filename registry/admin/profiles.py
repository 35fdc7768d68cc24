"""Administration of the richer NGO profiles (issue 18): coordinators read the projects,
events and calls for volunteers, the federations and coalitions and the branches, with
their history ("History" button). They change through the organisation's pages, whose
services keep the map's statistics in step; superusers may still correct a record here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import OrganisationActivity, OrganisationAffiliation, OrganisationBranch
from ..stats import bump_stats_version


class SuperuserWritesAdmin(SimpleHistoryAdmin):
    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
        bump_stats_version()


@admin.register(OrganisationActivity)
class OrganisationActivityAdmin(SuperuserWritesAdmin):
    list_display = ["title", "kind", "organisation", "starts_on", "ends_on", "county", "language"]
    list_filter = ["kind", "language", "domain", "county__region"]
    search_fields = ["title", "organisation__name"]
    list_select_related = ["organisation", "county"]
    raw_id_fields = ["organisation", "county", "created_by"]
    date_hierarchy = "starts_on"
    readonly_fields = ["created_by", "created_at", "updated_at"]


@admin.register(OrganisationAffiliation)
class OrganisationAffiliationAdmin(SuperuserWritesAdmin):
    list_display = ["organisation", "kind", "parent", "name"]
    list_filter = ["kind"]
    search_fields = ["organisation__name", "parent__name", "name"]
    list_select_related = ["organisation", "parent"]
    raw_id_fields = ["organisation", "parent"]


@admin.register(OrganisationBranch)
class OrganisationBranchAdmin(SuperuserWritesAdmin):
    list_display = ["name", "organisation", "county", "locality"]
    search_fields = ["name", "organisation__name"]
    list_select_related = ["organisation", "county"]
    raw_id_fields = ["organisation", "county"]
