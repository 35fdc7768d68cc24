from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ConectAdminSite(admin.AdminSite):
    """The administration site, open to coordinators and superusers through one rule.

    Like every page of CONECT: an anonymous visitor is sent to the site's sign-in page
    (allauth's, not the admin's own form) and a signed-in user without permission gets 403.
    """

    site_header = _("CONECT administration")
    site_title = _("CONECT administration")
    index_title = _("Registry and platform data")

    def has_permission(self, request):
        return request.user.is_active and request.user.has_perm("conect.access_admin")

    def _refuse(self, request):
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def guarded(request, *args, **kwargs):
            logout_path = reverse("admin:logout", current_app=self.name)
            if not self.has_permission(request) and request.path != logout_path:
                return self._refuse(request)
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        if self.has_permission(request):
            return super().login(request, extra_context)
        if request.user.is_authenticated:
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, resolve_url(settings.LOGIN_URL))
