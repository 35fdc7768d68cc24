from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _

# django-leaflet's admin module imports GeoDjango, which needs the GDAL system library.
# CONECT draws maps from plain GeoJSON and uses only django-leaflet's template tags and
# assets, so its admin module is not loaded and GDAL is not needed.
ADMIN_AUTODISCOVER_SKIP = {"leaflet"}


class CoreConfig(AppConfig):
    name = "conect.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self):
        # Romanian alphabetical order on SQLite too (a collation on each connection).
        from . import collation  # noqa: F401


class ConectAdminConfig(admin_apps.SimpleAdminConfig):
    default_site = "conect.core.admin_site.ConectAdminSite"

    def ready(self):
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.name in ADMIN_AUTODISCOVER_SKIP:
                continue
            module = f"{app_config.name}.admin"
            if find_spec(module) is not None:
                import_module(module)
