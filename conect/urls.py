from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from conect.core import health, views

handler403 = "conect.core.views.permission_denied"
handler404 = "conect.core.views.page_not_found"
handler500 = "conect.core.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("health/", health.health, name="health"),
    path("i18n/", include("conect.accounts.i18n_urls")),
    path("accounts/", include("allauth.urls")),
    path("profile/tokens/", include("conect.api.urls")),
    path("profile/", include("conect.accounts.urls")),
    path("registry/", include("registry.urls")),
    path("", include("registry.map.urls")),
    path("consultations/", include("consultations.urls")),
    path("surveys/", include("surveys.urls")),
    path("proposals/", include("consultations.proposals.urls")),
    path("", include("surveys.feedback.urls")),
    path("guide/", include("guide.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("conect.api_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
