from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Civic registry")

    def ready(self):
        # Issue 18: the map's layers of NGO projects, events and calls for volunteers.
        from .map import activity_layers

        activity_layers.register()
