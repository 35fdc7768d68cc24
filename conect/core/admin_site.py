from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class ConectAdminSite(admin.AdminSite):
    """The administration site, open to coordinators and superusers through one rule."""

    site_header = _("CONECT administration")
    site_title = _("CONECT administration")
    index_title = _("Registry and platform data")

    def has_permission(self, request):
        return request.user.is_active and request.user.has_perm("conect.access_admin")
