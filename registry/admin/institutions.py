"""Administration of institutions, staff, officials and advisory structures.

Coordinators read everything here, with the history of each record ("History" button);
only superusers change records here, since everyday changes go through the pages and
their services (e-mails, search columns, statistics).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from conect.core.text import fold

from ..models import (
    AdvisoryStructure,
    Institution,
    InstitutionStaff,
    Meeting,
    MembershipApplication,
    MembershipCall,
    RelationshipOfficial,
    Seat,
)


class InstitutionStaffInline(admin.TabularInline):
    model = InstitutionStaff
    fk_name = "institution"
    extra = 0
    fields = ["user", "role", "position", "status", "requested_at", "decided_at"]
    readonly_fields = ["requested_at", "decided_at"]
    raw_id_fields = ["user"]


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "level", "county", "parent"]
    list_filter = ["kind", "level", "county__region"]
    search_fields = ["name", "search_name"]
    raw_id_fields = ["parent"]
    list_select_related = ["county", "parent"]
    inlines = [InstitutionStaffInline]

    def save_model(self, request, obj, form, change):
        obj.search_name = fold(obj.name)
        super().save_model(request, obj, form, change)


@admin.register(InstitutionStaff)
class InstitutionStaffAdmin(SimpleHistoryAdmin):
    list_display = ["user", "institution", "role", "status", "requested_at"]
    list_filter = ["status", "role"]
    search_fields = ["user__email", "user__name", "institution__name"]
    raw_id_fields = ["user", "institution", "decided_by"]
    list_select_related = ["user", "institution"]
    readonly_fields = ["requested_at", "decided_at", "decided_by"]


@admin.register(RelationshipOfficial)
class RelationshipOfficialAdmin(SimpleHistoryAdmin):
    list_display = ["name", "institution", "email", "consented_at", "declined_at", "removed_at"]
    list_filter = [
        ("consented_at", admin.EmptyFieldListFilter),
        ("removed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "email", "institution__name"]
    raw_id_fields = ["institution", "user", "created_by", "removed_by"]
    filter_horizontal = ["domains", "counties"]
    list_select_related = ["institution"]
    readonly_fields = [
        "consent_requested_at",
        "consent_expires_at",
        "consented_at",
        "declined_at",
        "removed_at",
        "removed_by",
        "removed_by_self",
    ]


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    raw_id_fields = ["organisation", "official"]


@admin.register(AdvisoryStructure)
class AdvisoryStructureAdmin(SimpleHistoryAdmin):
    list_display = ["name", "institution", "kind", "territorial_level", "status"]
    list_filter = ["kind", "territorial_level", "status", "region"]
    search_fields = ["name", "institution__name"]
    raw_id_fields = ["institution"]
    filter_horizontal = ["domains"]
    list_select_related = ["institution"]
    inlines = [SeatInline]


@admin.register(Seat)
class SeatAdmin(SimpleHistoryAdmin):
    list_display = ["structure", "role", "organisation", "official", "mandate_start", "mandate_end"]
    list_filter = ["role"]
    search_fields = ["structure__name", "organisation__name", "official__name"]
    raw_id_fields = ["structure", "organisation", "official"]
    list_select_related = ["structure", "organisation", "official__institution"]


@admin.register(MembershipCall)
class MembershipCallAdmin(SimpleHistoryAdmin):
    list_display = ["title", "structure", "opens_on", "closes_on", "status"]
    list_filter = ["status"]
    search_fields = ["title", "structure__name"]
    raw_id_fields = ["structure", "created_by"]
    list_select_related = ["structure"]


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "call", "status", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organisation__name", "call__title"]
    raw_id_fields = ["call", "organisation", "submitted_by", "decided_by", "seat"]
    list_select_related = ["organisation", "call"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["structure", "held_at", "location"]
    search_fields = ["structure__name", "location"]
    raw_id_fields = ["structure"]
    list_select_related = ["structure"]
    date_hierarchy = "held_at"
